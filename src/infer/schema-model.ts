/**
 * The stored shape of a schema: a flat map from path to counts, bounded and
 * mergeable. Workers build partial maps and merge them in any order and grouping
 * with the same result (merge is associative and commutative), and the map is
 * plain JSON so it can be stored as is. It holds types, formats and counts only:
 * never a value, never an enum.
 *
 * Paths are JSON Pointers (RFC 6901) from the message root, with two reference
 * tokens that escaping can never produce: `~i` for "any item of this array" and
 * `~k` for "the value under any id-like key of this object" (a map).
 *
 * The size bound is a bottom-k sample: when there are more paths than the cap, the
 * kept ones are the smallest by (depth, hash, path). That order puts every ancestor
 * before its descendants, so the kept set is always a whole tree, and the smallest
 * k of a union do not depend on how the union was grouped, so merging stays
 * associative; a kept path was kept in every partial map, so its counts are exact.
 */
import type { Format } from './schema-format.js';
import { statusRecord } from './status-record.js';

/** JSON types as JSON Schema names them, with integers apart from other numbers. */
export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'object' | 'array';

/** Counts for one path. */
export interface FieldStats {
  /** Times the path was present: in how many parent objects, items sampled or messages. */
  n: number;
  /** Presences per JSON type. */
  t: Partial<Record<JsonType, number>>;
  /** Strings and integers per format. */
  f?: Partial<Record<Format, number>>;
}

/** The schema of one kind of message part (a JSON body, a query, a header set). */
export interface FieldMap {
  fields: Record<string, FieldStats>;
  /** More paths were seen than the cap kept. */
  truncated?: true;
}

/** Reference token for array items. */
export const ITEMS = '~i';
/** Reference token for the values of a map with id-like keys. */
export const MAP_VALUES = '~k';

/** A map with no paths. */
export function emptyFieldMap(): FieldMap {
  return { fields: {} };
}

/** Number of reference tokens in a path ("" is 0, "/a/~i" is 2). */
export function depthOf(path: string): number {
  let d = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) d++;
  return d;
}

// FNV-1a, 32 bits: a fixed, seedless hash, so every worker orders paths alike.
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The total order of the bottom-k sample: depth, then hash, then the path itself. */
export function compareForCap(a: string, b: string): number {
  const da = depthOf(a);
  const db = depthOf(b);
  if (da !== db) return da - db;
  const ha = fnv1a(a);
  const hb = fnv1a(b);
  if (ha !== hb) return ha - hb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sum of two counters keyed by name, keys sorted; undefined when both are absent. */
function addCounts<K extends string>(
  a: Partial<Record<K, number>> | undefined,
  b: Partial<Record<K, number>> | undefined,
): Partial<Record<K, number>> | undefined {
  if (a === undefined && b === undefined) return undefined;
  const sum = new Map<K, number>();
  for (const src of [a, b]) {
    if (src === undefined) continue;
    for (const k of Object.keys(src) as K[]) sum.set(k, (sum.get(k) ?? 0) + (src[k] ?? 0));
  }
  const out: Partial<Record<K, number>> = {};
  for (const k of [...sum.keys()].sort()) out[k] = sum.get(k)!;
  return out;
}

/** Sum of two stats of the same path. */
export function mergeStats(a: FieldStats | undefined, b: FieldStats | undefined): FieldStats {
  const out: FieldStats = { n: (a?.n ?? 0) + (b?.n ?? 0), t: addCounts(a?.t, b?.t) ?? {} };
  const f = addCounts(a?.f, b?.f);
  if (f !== undefined) out.f = f;
  return out;
}

/** Keeps the `cap` smallest paths of a stats map (sorted by path), flagging any overflow. */
export function capFields(fields: Map<string, FieldStats>, cap: number, truncated: boolean) {
  let keys = [...fields.keys()];
  let over = truncated;
  if (keys.length > cap) {
    keys.sort(compareForCap);
    keys = keys.slice(0, cap);
    over = true;
  }
  keys.sort();
  const out: FieldMap = { fields: {} };
  for (const k of keys) out.fields[k] = fields.get(k)!;
  if (over) out.truncated = true;
  return out;
}

/** Merges two field maps under a cap on paths; associative and commutative. */
export function mergeFieldMaps(a: FieldMap, b: FieldMap, cap: number): FieldMap {
  const all = new Map<string, FieldStats>();
  for (const [k, v] of Object.entries(a.fields)) all.set(k, v);
  for (const [k, v] of Object.entries(b.fields)) all.set(k, mergeStats(all.get(k), v));
  // A lone side still goes through mergeStats so both orders produce equal objects.
  for (const [k, v] of Object.entries(a.fields)) {
    if (!(k in b.fields)) all.set(k, mergeStats(v, undefined));
  }
  return capFields(all, cap, a.truncated === true || b.truncated === true);
}

/**
 * Merges two records of sub-schemas (per media type, per status) keeping the `cap`
 * smallest keys; `mergeOne` merges two values of one key and `copy` normalises one.
 */
export function mergeKeyed<T>(
  a: Record<string, T>,
  b: Record<string, T>,
  cap: number,
  mergeOne: (x: T, y: T) => T,
): { out: Record<string, T>; truncated: boolean } {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: Record<string, T> = statusRecord();
  for (const k of keys.slice(0, cap)) {
    const x = a[k];
    const y = b[k];
    out[k] = x !== undefined && y !== undefined ? mergeOne(x, y) : (x ?? y)!;
  }
  return { out, truncated: keys.length > cap };
}

/**
 * A field map built in place: counts add up without a copy per message. Past twice
 * the cap it keeps only the cap smallest paths; a path dropped then can never be
 * among the smallest of the whole, so `done` gives exactly what merging the maps of
 * every message one by one would give.
 */
export class FieldMapBuilder {
  private readonly fields = new Map<string, FieldStats>();
  private truncated = false;

  constructor(private readonly cap: number) {}

  add(path: string, type: JsonType, format: Format | null): void {
    const s = this.statsOf(path);
    s.n++;
    s.t[type] = (s.t[type] ?? 0) + 1;
    if (format !== null) {
      const f = (s.f ??= {});
      f[format] = (f[format] ?? 0) + 1;
    }
  }

  /** Adds a whole map (its counts and its truncation). */
  addMap(m: FieldMap): void {
    if (m.truncated === true) this.truncated = true;
    for (const [path, v] of Object.entries(m.fields)) {
      const s = this.statsOf(path);
      s.n += v.n;
      for (const [k, n] of Object.entries(v.t) as Array<[JsonType, number]>) {
        s.t[k] = (s.t[k] ?? 0) + n;
      }
      if (v.f === undefined) continue;
      const f = (s.f ??= {});
      for (const [k, n] of Object.entries(v.f) as Array<[Format, number]>) f[k] = (f[k] ?? 0) + n;
    }
  }

  get size(): number {
    return this.fields.size;
  }

  /** The canonical map: the cap smallest paths, sorted, counters' keys sorted. */
  done(): FieldMap {
    const sorted = new Map<string, FieldStats>();
    for (const [k, v] of this.fields) sorted.set(k, mergeStats(v, undefined));
    return capFields(sorted, this.cap, this.truncated);
  }

  private statsOf(path: string): FieldStats {
    let s = this.fields.get(path);
    if (s === undefined) {
      if (this.fields.size >= 2 * this.cap + 16) this.trim();
      s = { n: 0, t: {} };
      this.fields.set(path, s);
    }
    return s;
  }

  private trim(): void {
    const keep = [...this.fields.keys()].sort(compareForCap).slice(0, this.cap);
    const kept = new Map<string, FieldStats>();
    for (const k of keep) kept.set(k, this.fields.get(k)!);
    this.fields.clear();
    for (const [k, v] of kept) this.fields.set(k, v);
    this.truncated = true;
  }
}

/**
 * Values keyed by name (media types, statuses) built in place, keeping the `cap`
 * smallest keys like mergeKeyed; past twice the cap the larger keys are dropped.
 */
export class KeyedBuilder<T> {
  private readonly items = new Map<string, T>();
  private truncated = false;

  constructor(
    private readonly cap: number,
    private readonly create: () => T,
  ) {}

  /** The value under `key`, created when new. */
  get(key: string): T {
    let v = this.items.get(key);
    if (v === undefined) {
      if (this.items.size >= 2 * this.cap + 4) this.trim();
      v = this.create();
      this.items.set(key, v);
    }
    return v;
  }

  /** The cap smallest keys, sorted, each value finished by `finish`. */
  done<U>(finish: (v: T) => U): { out: Record<string, U>; truncated: boolean } {
    const keys = [...this.items.keys()].sort();
    const out: Record<string, U> = statusRecord();
    for (const k of keys.slice(0, this.cap)) out[k] = finish(this.items.get(k)!);
    return { out, truncated: this.truncated || keys.length > this.cap };
  }

  private trim(): void {
    const drop = [...this.items.keys()].sort().slice(this.cap);
    for (const k of drop) this.items.delete(k);
    this.truncated = true;
  }
}
