/**
 * Personal data per endpoint: how often each kind was seen where, with bounded sets
 * of tokens so that distinct values can be counted across runs. Merging keeps the
 * smallest tokens (bottom-k), and the preview of the smallest token, so the result
 * is the same whatever order exchanges arrive in.
 */
import type { PiiObservation } from '../pipeline/analyse.js';
import type { PiiKind } from '../pii/types.js';
import type { ParamShape } from './template.js';

/** One (direction, location, kind) of personal data at one endpoint. */
export interface PiiAggregate {
  kind: PiiKind;
  in: 'request' | 'response';
  location: string;
  count: number;
  confidence: number;
  /** Masked preview of one value (the one with the smallest token). */
  preview: string;
  /** Sorted, distinct, at most the cap; values themselves are never kept. */
  tokens: string[];
}

/** Findings keyed by `in|location|kind`. */
export type PiiFindings = Record<string, PiiAggregate>;

function keyOf(a: { in: string; location: string; kind: string }): string {
  return `${a.in}|${a.location}|${a.kind}`;
}

function insertToken(tokens: string[], token: string, cap: number): boolean {
  // Sorted insert; tokens stay small (bounded by cap), so a linear probe is enough.
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]! < token) lo = mid + 1;
    else hi = mid;
  }
  if (tokens[lo] === token) return false;
  if (tokens.length >= cap && lo >= cap) return false;
  tokens.splice(lo, 0, token);
  if (tokens.length > cap) tokens.pop();
  return lo === 0;
}

/** Adds one exchange's observations. */
export function addObservations(
  into: PiiFindings,
  obs: readonly PiiObservation[],
  cap: number,
): void {
  const seen = new Set<string>();
  for (const o of obs) {
    const k = keyOf(o);
    let agg = into[k];
    if (agg === undefined) {
      agg = { kind: o.kind, in: o.in, location: o.location, count: 0, confidence: 0,
        preview: o.preview, tokens: [] };
      into[k] = agg;
    }
    // Count exchanges, not values: a list of 50 emails in one response is one sighting.
    if (!seen.has(k)) {
      agg.count++;
      seen.add(k);
    }
    if (o.confidence > agg.confidence) agg.confidence = o.confidence;
    if (insertToken(agg.tokens, o.token, cap) || agg.tokens[0] === o.token) agg.preview = o.preview;
  }
}

/** Merges b into a. */
export function mergePii(a: PiiFindings, b: PiiFindings, cap: number): void {
  for (const [k, y] of Object.entries(b)) {
    const x = a[k];
    if (x === undefined) {
      a[k] = { ...y, tokens: y.tokens.slice(0, cap) };
      continue;
    }
    x.count += y.count;
    x.confidence = Math.max(x.confidence, y.confidence);
    const before = x.tokens[0];
    for (const t of y.tokens) insertToken(x.tokens, t, cap);
    if (x.tokens[0] !== before && x.tokens[0] === y.tokens[0]) x.preview = y.preview;
  }
}

/**
 * Names path locations after the template's parameters: `path:#3` (third segment)
 * becomes `path:{userId}`. A segment that is no parameter keeps its number.
 */
export function relocatePathFindings(f: PiiFindings, params: readonly ParamShape[]): PiiFindings {
  const out: PiiFindings = {};
  for (const agg of Object.values(f)) {
    let location = agg.location;
    const m = /^path:#(\d+)$/.exec(location);
    if (m !== null) {
      const p = params.find((q) => q.position === Number(m[1]) - 1);
      if (p !== undefined) location = `path:{${p.name}}`;
    }
    const moved = { ...agg, location };
    const k = keyOf(moved);
    if (out[k] === undefined) out[k] = moved;
    else mergePii(out, { [k]: moved }, Number.MAX_SAFE_INTEGER);
  }
  return out;
}

/** Findings as a sorted list, for reports. */
export function piiList(f: PiiFindings): PiiAggregate[] {
  return Object.values(f).sort((a, b) =>
    a.in !== b.in ? (a.in < b.in ? -1 : 1)
    : a.location !== b.location ? (a.location < b.location ? -1 : 1)
    : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
  );
}
