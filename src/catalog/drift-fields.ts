/**
 * Compares one observed field map (schema-model.ts: paths, type and format counts)
 * with the catalog schema documented for it: fields the spec does not name, and
 * types or formats it does not allow. Only counts reach the detail text.
 *
 * A name is undocumented when its parent is closed (`additionalProperties: false`) or
 * documents `properties` without listing it or declaring `additionalProperties`. A
 * free-form object (`type: object` alone,
 * `additionalProperties: true`, a schema left open) documents whatever is under it.
 * An undocumented subtree is reported once, at its root.
 */
import type { FieldMap, FieldStats, JsonType } from '../infer/schema-model.js';
import { ITEMS, MAP_VALUES } from '../infer/schema-model.js';
import type { DriftEntry } from './drift-types.js';
import type { CatalogSchema } from './types.js';

/** How one observed part is compared and named. */
export interface FieldContext {
  in: 'request' | 'response';
  /** `body:` for JSON (pointer paths) or `form:`, `multipart:`, `query:`, `header:` (names). */
  prefix: string;
  /**
   * Values were text (query, headers, form fields), typed by their look, so `123` may
   * be a string the spec documents; in JSON a number is a number.
   */
  text: boolean;
  /** Names the part in details: `request bodies (application/json)`, `responses 200 ...`. */
  noun: string;
}

type Resolution =
  | { state: 'node'; schema: CatalogSchema }
  | { state: 'free' }
  | { state: 'undocumented'; root: string };

const FREE: Resolution = { state: 'free' };

/** Formats whose presence the schema model can tell (schema-format.ts). */
const CHECKED_FORMATS: ReadonlySet<string> = new Set([
  'date-time', 'date', 'time', 'email', 'uuid', 'uri', 'ipv4', 'ipv6',
]);

function unescapeToken(t: string): string {
  return t.replaceAll('~1', '/').replaceAll('~0', '~');
}

/**
 * A schema-model path written as a personal-data location: `/~i` and `/~k` become
 * `/*`; pointer paths under `body:`, plain (unescaped) names under the other prefixes.
 */
export function locationOf(prefix: string, path: string): string {
  const tokens = path === '' ? [] : path.slice(1).split('/');
  const segs = tokens.map((t) => (t === ITEMS || t === MAP_VALUES ? '*' : t));
  if (prefix === 'body:') return segs.length === 0 ? 'body:' : 'body:/' + segs.join('/');
  if (segs.length === 0) return prefix;
  const [first, ...rest] = segs;
  const name = first === '*' ? '*' : unescapeToken(first!);
  return prefix + [name, ...rest].join('/');
}

function hasNamedProperties(s: CatalogSchema): boolean {
  return s.properties !== undefined && Object.keys(s.properties).length > 0;
}

function step(parent: Resolution, token: string, path: string): Resolution {
  if (parent.state !== 'node') return parent;
  const s = parent.schema;
  if (s.open === true) return FREE;
  if (token === ITEMS) return s.items === undefined ? FREE : { state: 'node', schema: s.items };
  const ap = s.additionalProperties;
  if (token !== MAP_VALUES) {
    const named = s.properties?.[unescapeToken(token)];
    if (named !== undefined) return { state: 'node', schema: named };
  }
  if (ap === true) return FREE;
  if (ap !== undefined && ap !== false) return { state: 'node', schema: ap };
  return ap === false || hasNamedProperties(s) ? { state: 'undocumented', root: path } : FREE;
}

function admits(observed: JsonType, spec: readonly string[], text: boolean): boolean {
  if (spec.includes(observed)) return true;
  if (observed === 'integer' && spec.includes('number')) return true;
  // Text that looks like a number or a boolean is still a string to the spec.
  return text && spec.includes('string') &&
    (observed === 'integer' || observed === 'number' || observed === 'boolean');
}

function mismatches(st: FieldStats, s: CatalogSchema, text: boolean): string[] {
  const out: string[] = [];
  if (s.type !== undefined && s.type.length > 0) {
    const spec = s.type;
    for (const [t, n] of Object.entries(st.t) as Array<[JsonType, number]>) {
      if (n > 0 && !admits(t, spec, text)) {
        out.push(`spec ${spec.join('|')}, seen ${t} in ${n} of ${st.n}`);
      }
    }
  }
  const f = s.format;
  if (f === undefined) return out;
  const ints = st.t.integer ?? 0;
  if (f === 'int32' && ints > 0 && (st.f?.int64 ?? 0) > 0) {
    out.push(`spec format int32, seen int64 in ${st.f!.int64} of ${ints}`);
  }
  const strings = st.t.string ?? 0;
  if (!CHECKED_FORMATS.has(f) || strings === 0) return out;
  const matched = (st.f as Record<string, number> | undefined)?.[f] ?? 0;
  if (matched >= strings) return out;
  const others = Object.entries(st.f ?? {})
    .filter(([g, n]) => g !== f && g !== 'int32' && g !== 'int64' && (n ?? 0) > 0)
    .sort(([a, x], [b, y]) => (y ?? 0) - (x ?? 0) || (a < b ? -1 : 1));
  const seen = others.length > 0 ? `seen ${others[0]![0]} in ${others[0]![1]} of ${strings}`
    : `seen strings without it in ${strings - matched} of ${strings}`;
  out.push(`spec format ${f}, ${seen}`);
  return out;
}

/** Drift of one observed field map against its documented schema, in path order. */
export function compareFields(
  fm: FieldMap,
  schema: CatalogSchema,
  ctx: FieldContext,
): DriftEntry[] {
  const out: DriftEntry[] = [];
  const memo = new Map<string, Resolution>();
  const resolve = (path: string): Resolution => {
    const hit = memo.get(path);
    if (hit !== undefined) return hit;
    let r: Resolution;
    if (path === '') r = { state: 'node', schema };
    else {
      const cut = path.lastIndexOf('/');
      r = step(resolve(path.slice(0, cut)), path.slice(cut + 1), path);
    }
    memo.set(path, r);
    return r;
  };
  const total = fm.fields['']?.n ?? 0;
  for (const path of Object.keys(fm.fields).sort()) {
    const st = fm.fields[path]!;
    const r = resolve(path);
    const location = locationOf(ctx.prefix, path);
    if (r.state === 'undocumented') {
      if (r.root !== path) continue;
      out.push({
        kind: ctx.prefix === 'body:' || ctx.prefix === 'form:' || ctx.prefix === 'multipart:'
          ? 'undocumented-field' : 'undocumented-param',
        in: ctx.in,
        location,
        detail: `not in the spec; seen ${st.n}× in ${total} ${ctx.noun}`,
      });
    } else if (r.state === 'node') {
      for (const m of mismatches(st, r.schema, ctx.text)) {
        out.push({ kind: 'type-mismatch', in: ctx.in, location, detail: `${m} (${ctx.noun})` });
      }
    }
  }
  return out;
}

/** Every top-level field of a body the operation documents no body for. */
export function undocumentedBody(fm: FieldMap, ctx: FieldContext): DriftEntry[] {
  const total = fm.fields['']?.n ?? 0;
  const top = Object.keys(fm.fields).filter((p) => p !== '' && p.indexOf('/', 1) < 0).sort();
  const paths = top.length > 0 ? top : [''];
  return paths.map((p) => ({
    kind: 'undocumented-field' as const,
    in: ctx.in,
    location: locationOf(ctx.prefix, p),
    detail: `the spec documents no body; seen ${fm.fields[p]?.n ?? 0}× in ${total} ${ctx.noun}`,
  }));
}
