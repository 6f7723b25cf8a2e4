/**
 * Decides, for one position (same host, same template prefix, any method), which of
 * the values seen there are parameter values and which are literals.
 *
 * Shape decides typed values: numbers, UUIDs, hex and base64-like ids, dates, emails
 * and percent-encoded text are data. Words and tokens are decided by the position:
 * many distinct values, each seen a few times, are the values of one parameter; a
 * handful of words each seen many times are routes (`findByStatus`, `register`).
 */
import type { Limits } from '../config/limits.js';
import type { HintParam } from './template-hints.js';
import type { SegmentShape } from './value-kind.js';

/** What the position knows about one value, over all group nodes and methods. */
export interface ValueStats {
  raw: string;
  shape: SegmentShape;
  hits: number;
  /** Some request through it was answered other than 404. */
  live: boolean;
  /** Most of its live children are typed values (`/orders/17`): a collection. */
  typedChildren: boolean;
  /** A live POST ends at it: a collection or an action (`/login`). */
  takesPost: boolean;
  /** Its children that are words (`email` in `/users/ann/email`). */
  childWords: ReadonlySet<string>;
  /** The catalog has it as a literal here. */
  hintLiteral: boolean;
  /** The catalog lists it among a parameter's values here (`enum`). */
  hintListed: boolean;
}

// Segments that name "the caller" or a fixed view beside an id (`/users/me`).
const WELL_KNOWN: ReadonlySet<string> = new Set(['me', 'self', 'current', 'mine', 'latest']);

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Values that never become parameters here. */
function fixedLiteral(v: ValueStats): boolean {
  // A segment holding '/' is the folded tail of an over-long path.
  return v.hintLiteral || v.shape.role === 'empty' || v.raw.includes('/') || v.raw.startsWith('{');
}

/**
 * Words and tokens that look like routes whatever their siblings do: `me`, and the
 * parents of ids or targets of POSTs when only a few values here are. When most are,
 * the trait belongs to the parameter (`/repos/{owner}/{repoId}`, `POST /pet/{petId}`)
 * and tells nothing. Nor does an id-like child under a value seen only a few times.
 */
function routeTest(values: readonly ValueStats[], rareHits: number): (v: ValueStats) => boolean {
  const few = (n: number): boolean => n * 2 < values.length;
  const idParents = few(values.filter((v) => v.typedChildren).length);
  const postTargets = few(values.filter((v) => v.takesPost).length);
  return (v) =>
    WELL_KNOWN.has(v.raw.toLowerCase()) ||
    (idParents && v.typedChildren && v.hits > rareHits) ||
    (postTargets && v.takesPost);
}

/**
 * One or two words (`orders`, `payment_methods`, `findByStatus`), as routes are named;
 * three or more joined words (`how-to-train-a-dragon`) read as a content slug.
 */
function plainWord(v: ValueStats): boolean {
  return v.shape.role === 'word' && v.raw.split(/[-_.]+/).filter((w) => w !== '').length <= 2;
}

/** Some child word sits under at least half of the values (and under three or more). */
function sharedStructure(values: readonly ValueStats[]): boolean {
  const counts = new Map<string, number>();
  for (const v of values) for (const w of v.childWords) counts.set(w, (counts.get(w) ?? 0) + 1);
  const need = Math.max(3, values.length / 2);
  for (const n of counts.values()) if (n >= need) return true;
  return false;
}

function sharesChildren(v: ValueStats, clusterWords: ReadonlySet<string>): boolean {
  for (const w of v.childWords) if (clusterWords.has(w)) return true;
  return false;
}

/** Inputs of decidePosition besides the values. */
export interface PositionContext {
  /** 0-based index of the position in the path. */
  depth: number;
  hintParams: readonly HintParam[];
  limits: Limits;
}

/** The raw values at this position that are parameter values (the rest stay literal). */
export function decidePosition(values: readonly ValueStats[], ctx: PositionContext): Set<string> {
  const { limits } = ctx;
  const params = new Set<string>();
  const open: ValueStats[] = [];
  for (const v of values) {
    if (fixedLiteral(v)) continue;
    if (v.shape.role === 'value' || v.hintListed) params.add(v.raw);
    else open.push(v);
  }
  if (open.length === 0) return params;
  const routeLike = routeTest(
    open.filter((v) => v.live),
    limits.templateRareHits,
  );

  // Scanner probes answered 404 say nothing about the position: kept out of the count.
  const evidence = open.filter((v) => v.live && !routeLike(v));
  // Plain words need more evidence, unless they share sub-resources the way instances
  // of one parameter do (`/users/ann/sessions`, `/users/bob/sessions`).
  // LIMITATION: a few plain-word ids each called often (eight organisation names with
  // nothing below them) look like routes and stay one literal each.
  const allWords = evidence.every(plainWord);
  const wordsOnly = allWords && !sharedStructure(evidence);
  const need = wordsOnly ? limits.templateMinDistinctWords : limits.templateMinDistinct;
  const typical = median(evidence.map((v) => v.hits));
  // The first segment names services and scanners' favourite files; it is a
  // parameter only by shape or by hint.
  // LIMITATION: a root-level username (`/{user}`) stays one literal per value.
  const variable =
    ctx.depth > 0 &&
    ((evidence.length >= need && typical <= limits.templateRareHits) ||
      evidence.length >= limits.templateManyDistinct);

  if (variable) {
    const literalMin = Math.max(limits.templateLiteralMinHits, 4 * typical);
    const clusterWords = new Set<string>();
    for (const v of evidence) {
      if (v.hits < literalMin) for (const w of v.childWords) clusterWords.add(w);
    }
    for (const v of open) {
      if (routeLike(v)) continue;
      // A word called far more often than the ids beside it is a route, unless it has
      // the ids' own sub-resources (`/users/admin/email` beside `/users/ann/email`).
      // LIMITATION: a route word called as rarely as the ids is taken for one of them.
      const busy = v.shape.role === 'word' && v.hits >= literalMin;
      // A word only ever answered 404 (`.env`, `admin`) is a probe: listed apart.
      const probe = v.shape.role === 'word' && !v.live;
      if (!probe && (!busy || sharesChildren(v, clusterWords))) params.add(v.raw);
    }
    return params;
  }

  // Few distinct words: literals, except tokens beside an open-ended parameter (an
  // id-like `bookTitle77` among encoded titles) and values a hint's parameter takes.
  const openEnded = values.some((v) => params.has(v.raw) && isOpenKind(v));
  for (const v of open) {
    if (routeLike(v)) continue;
    if (openEnded && v.shape.role === 'token') {
      params.add(v.raw);
      continue;
    }
    const busyWord = v.shape.role === 'word' && v.hits >= limits.templateLiteralMinHits;
    // A root parameter in a spec (`/{page}`) must not swallow what scanners probe.
    const probe = !v.live && ctx.depth === 0;
    if (!busyWord && !probe && ctx.hintParams.some((p) => p.accepts(v.raw))) params.add(v.raw);
  }
  return params;
}

function isOpenKind(v: ValueStats): boolean {
  return v.shape.kind === 'string' || v.shape.kind === 'base64ish';
}
