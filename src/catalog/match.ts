/**
 * Matches observed paths against catalog templates segment by segment. A literal
 * beats a parameter (OpenAPI 3.1 "Paths Object": concrete paths match first), and a
 * parameter matches only what its declared type allows, so an integer `{petId}`
 * never swallows `findByStatus`.
 */
import { segmentShape, type ValueKind } from '../infer/value-kind.js';
import type { CatalogParam } from './types.js';

/** One segment of an observed path: a literal as on the wire, or an inferred parameter. */
export type ObservedSegment = { literal: string } | { kind: ValueKind };

/** One segment of a catalog template. */
export type CatalogSegment =
  | { type: 'literal'; text: string }
  | { type: 'param'; name: string; param: CatalogParam | null }
  | { type: 'mixed'; text: string; regex: RegExp };

/** Path segments: '/' is none; one trailing '/' is dropped (`/users/` is `/users`). */
export function splitPath(path: string): string[] {
  let p = path.startsWith('/') ? path.slice(1) : path;
  if (p.endsWith('/')) p = p.slice(0, -1);
  return p === '' ? [] : p.split('/');
}

/** Every segment of a concrete path, as a literal. */
export function rawSegments(path: string): ObservedSegment[] {
  return splitPath(path).map((literal) => ({ literal }));
}

const PARAM_SEGMENT = /^\{([^{}]+)\}$/;

/** Segments of an inferred template; parameter kinds come from `kinds` by position. */
export function templateSegments(
  template: string,
  kinds: ReadonlyMap<number, ValueKind>,
): ObservedSegment[] {
  return splitPath(template).map((seg, i) =>
    PARAM_SEGMENT.test(seg) ? { kind: kinds.get(i) ?? 'string' } : { literal: seg },
  );
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles `basePath + template` with the operation's path parameters. */
export function compileTemplate(wire: string, params: readonly CatalogParam[]): CatalogSegment[] {
  return splitPath(wire).map((seg): CatalogSegment => {
    const whole = PARAM_SEGMENT.exec(seg);
    if (whole !== null) {
      const name = whole[1]!;
      const param = params.find((p) => p.in === 'path' && p.name === name) ?? null;
      return { type: 'param', name, param };
    }
    if (!seg.includes('{')) return { type: 'literal', text: seg };
    // `{name}.{ext}` or `users:{action}`: literal text around parameters.
    // LIMITATION: parameters inside a mixed segment are not checked against their types.
    const source = seg
      .split(/(\{[^{}]+\})/)
      .map((part) => (PARAM_SEGMENT.test(part) ? '([^/]+?)' : escapeRegex(part)))
      .join('');
    return { type: 'mixed', text: seg, regex: new RegExp('^' + source + '$') };
  });
}

/** Percent-decoded text of a segment; the raw text when it does not decode. */
export function decodeSegment(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** RFC 3986 section 6.2.2: `%7E` and `~` are the same segment, and case of hex is not. */
function sameLiteral(a: string, b: string): boolean {
  return a === b || decodeSegment(a) === decodeSegment(b);
}

/** Whether a declared parameter admits one concrete value. */
export function acceptsValue(param: CatalogParam | null, raw: string): boolean {
  if (param === null) return true;
  const text = decodeSegment(raw);
  if (param.enum !== undefined && param.enum.length > 0) return param.enum.includes(text);
  const kind = segmentShape(raw).kind;
  switch (param.type) {
    case 'integer':
      return kind === 'integer';
    case 'number':
      return kind === 'integer' || kind === 'number';
    case 'boolean':
      return text === 'true' || text === 'false';
    case 'string':
      return acceptsFormat(param.format, kind);
    default:
      return true;
  }
}

function acceptsFormat(format: string | null, kind: ValueKind): boolean {
  switch (format) {
    case 'uuid':
      return kind === 'uuid';
    case 'date':
      return kind === 'date';
    case 'date-time':
      return kind === 'datetime' || kind === 'date';
    case 'email':
      return kind === 'email';
    default:
      return true;
  }
}

/** Whether a declared parameter admits an inferred parameter whose values were `kind`. */
export function acceptsKind(param: CatalogParam | null, kind: ValueKind): boolean {
  if (param === null || (param.enum !== undefined && param.enum.length > 0)) return true;
  switch (param.type) {
    case 'integer':
      return kind === 'integer';
    case 'number':
      return kind === 'integer' || kind === 'number';
    case 'boolean':
      return kind === 'slug';
    case 'string':
      return acceptsFormat(param.format, kind);
    default:
      return true;
  }
}

/**
 * Whether a catalog parameter stands for an observed literal. Inference kept the
 * literal on purpose when its shape is a word or a token (it weighed siblings and
 * catalog), so only values whose shape makes them data (ids, dates, encoded text)
 * or values the spec enumerates match a parameter.
 */
function paramTakesLiteral(param: CatalogParam | null, raw: string): boolean {
  if (param?.enum !== undefined && param.enum.includes(decodeSegment(raw))) return true;
  return segmentShape(raw).role === 'value' && acceptsValue(param, raw);
}

/**
 * Score of a match, one number per segment (3 literal, 2 typed parameter, 1 mixed
 * segment taking a parameter); null when the template does not match. Compare scores
 * with compareScores: the earliest literal wins.
 */
export function matchScore(
  template: readonly CatalogSegment[],
  observed: readonly ObservedSegment[],
): number[] | null {
  if (template.length !== observed.length) return null;
  const score: number[] = [];
  for (let i = 0; i < template.length; i++) {
    const s = segmentScore(template[i]!, observed[i]!);
    if (s === 0) return null;
    score.push(s);
  }
  return score;
}

/** Score of one segment pair as in matchScore; 0 when they do not match. */
export function segmentScore(t: CatalogSegment, o: ObservedSegment): number {
  if ('literal' in o) {
    if (t.type === 'literal') return sameLiteral(t.text, o.literal) ? 3 : 0;
    if (t.type === 'param') return paramTakesLiteral(t.param, o.literal) ? 2 : 0;
    return t.regex.test(o.literal) || t.regex.test(decodeSegment(o.literal)) ? 2 : 0;
  }
  if (t.type === 'literal') return 0;
  if (t.type === 'param') return acceptsKind(t.param, o.kind) ? 2 : 0;
  return 1;
}

/** Orders two scores: negative when a is the better match. */
export function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return b[i]! - a[i]!;
  }
  return b.length - a.length;
}

/** Literal segments of a template (its own path, base path aside). */
export function literalCount(template: string): number {
  return splitPath(template).filter((s) => !s.includes('{')).length;
}
