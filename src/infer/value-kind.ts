/**
 * What one path segment looks like: a typed value (number, UUID, date...), a word,
 * a version, or an opaque token. Templating and catalog matching both read this;
 * a segment's shape alone never decides a word or a token, its siblings do.
 */

/** The closed list of shapes a path parameter's values can have. */
export type ValueKind =
  | 'integer'
  | 'number'
  | 'uuid'
  | 'hex'
  | 'base64ish'
  | 'date'
  | 'datetime'
  | 'email'
  | 'version'
  | 'slug'
  | 'string';

/**
 * How a segment leans. `value`: its shape alone makes it a parameter (ids, dates,
 * percent-encoded text). `word`: letters only, or a version; a literal unless its
 * siblings say otherwise. `token`: neither, decided by its siblings. `empty`: `//`.
 */
export type SegmentRole = 'value' | 'word' | 'token' | 'empty';

/** A segment's kind and role. */
export interface SegmentShape {
  kind: ValueKind;
  role: SegmentRole;
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.\d+|\d+(?:\.\d+)?e[+-]?\d+)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const EMAIL = /^[^@\s/]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;
// `v1`, `v2.1`, `v1beta1`, `v2-alpha`: API versions in the path (Google AIP-185 style).
const V_VERSION = /^v\d{1,3}(?:\.\d{1,3}){0,2}(?:[-_]?(?:alpha|beta|rc|preview)\d*)?$/i;
// `2.0`, `1.1`, `3.0.1`: small dotted numbers read as versions, not decimals.
const DOTTED_VERSION = /^\d{1,2}\.\d{1,2}(?:\.\d{1,3})?$/;
// Letters in runs joined by single `-` or `_`, with an optional leading sigil such
// as `_debug`, `$metadata` or `.well-known`; camelCase is one run (`findByStatus`).
// A dot inside (`ann.smith`, `swagger.json`) reads as a name or a file, not a route.
const WORD = /^[_$~.-]?[A-Za-z]+(?:[-_][A-Za-z]+)*$/;
const MAX_WORD_LENGTH = 64;
const B64_CHARS = /^[A-Za-z0-9_+-]+={0,2}$/;
const HEX = /^[0-9a-f]+$|^[0-9A-F]+$/;
// RFC 3986 section 3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/;

function validDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  return Number(y) >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Class changes between lower, upper and digit characters, separators skipped. */
function classChanges(s: string): number {
  let prev = '';
  let n = 0;
  for (const ch of s) {
    const c = /[a-z]/.test(ch) ? 'l' : /[A-Z]/.test(ch) ? 'u' : /\d/.test(ch) ? 'd' : '';
    if (c === '') continue;
    if (prev !== '' && c !== prev) n++;
    prev = c;
  }
  return n;
}

function looksRandom(s: string): boolean {
  if (!B64_CHARS.test(s) || !/\d/.test(s) || !/[A-Za-z]/.test(s)) return false;
  const changes = classChanges(s);
  // Random ids switch character class often; words with a number (`report_2024`) do not.
  return (s.length >= 16 && changes >= 4) || (s.length >= 10 && changes * 2 >= s.length);
}

function typedKind(s: string): ValueKind | null {
  if (INTEGER.test(s)) return 'integer';
  if (DOTTED_VERSION.test(s)) return null;
  if (NUMBER.test(s)) return 'number';
  if (UUID.test(s)) return 'uuid';
  let m = DATE.exec(s);
  if (m !== null && validDate(m[1]!, m[2]!, m[3]!)) return 'date';
  m = DATETIME.exec(s);
  if (m !== null && validDate(m[1]!, m[2]!, m[3]!)) return 'datetime';
  if (EMAIL.test(s)) return 'email';
  if (s.length >= 8 && HEX.test(s) && /\d/.test(s) && /[a-f]/i.test(s)) return 'hex';
  if (looksRandom(s)) return 'base64ish';
  return null;
}

function decoded(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** True for version segments such as `v2`, `v1beta1` or `2.0`. */
export function isVersion(raw: string): boolean {
  return V_VERSION.test(raw) || DOTTED_VERSION.test(raw);
}

/** The shape of one raw path segment (percent-encoding as on the wire). */
export function segmentShape(raw: string): SegmentShape {
  if (raw === '') return { kind: 'string', role: 'empty' };
  if (raw.includes('%')) {
    // Encoded text (`Valens%20tenus`) is data a client typed or generated, not a route.
    const text = decoded(raw);
    const kind = text === null ? null : typedKind(text);
    return { kind: kind ?? 'string', role: 'value' };
  }
  const kind = typedKind(raw);
  if (kind !== null) return { kind, role: 'value' };
  if (isVersion(raw)) return { kind: 'version', role: 'word' };
  if (raw.length <= MAX_WORD_LENGTH && WORD.test(raw)) return { kind: 'slug', role: 'word' };
  if (!PCHAR.test(raw)) return { kind: 'string', role: 'value' };
  const sluggish = /^[A-Za-z0-9]+(?:[-_.~][A-Za-z0-9]+)*$/.test(raw);
  return { kind: sluggish ? 'slug' : 'string', role: 'token' };
}

const SLUGGY: ReadonlySet<ValueKind> = new Set([
  'integer', 'hex', 'uuid', 'base64ish', 'slug', 'version', 'date',
]);

/** The kind of a parameter whose values have kinds a and b. */
export function mergeKinds(a: ValueKind, b: ValueKind): ValueKind {
  if (a === b) return a;
  const pair = (x: ValueKind, y: ValueKind): boolean =>
    (a === x && b === y) || (a === y && b === x);
  if (pair('integer', 'number')) return 'number';
  if (pair('integer', 'hex')) return 'hex';
  if (pair('date', 'datetime')) return 'datetime';
  return SLUGGY.has(a) && SLUGGY.has(b) ? 'slug' : 'string';
}

const ACCEPTS: Record<ValueKind, ReadonlySet<ValueKind> | null> = {
  integer: new Set(['integer']),
  number: new Set(['integer', 'number']),
  uuid: new Set(['uuid']),
  hex: new Set(['hex', 'integer']),
  base64ish: new Set(['base64ish', 'hex', 'integer', 'uuid']),
  date: new Set(['date']),
  datetime: new Set(['datetime', 'date']),
  email: new Set(['email']),
  version: new Set(['version']),
  slug: null,
  string: null,
};

/** Whether a parameter known to hold `declared` values can hold a value of `observed`. */
export function kindAccepts(declared: ValueKind, observed: ValueKind): boolean {
  const set = ACCEPTS[declared];
  return set === null || set.has(observed);
}

/** Parses a kind stored elsewhere (database, hints); unknown names read as 'string'. */
export function asValueKind(s: string): ValueKind {
  return s in ACCEPTS ? (s as ValueKind) : 'string';
}
