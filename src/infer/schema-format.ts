/**
 * Formats of observed scalars, named as JSON Schema 2020-12 (section 7.3 of the
 * validation vocabulary) and the OpenAPI format registry name them. Only the name
 * of the format is kept; the value is dropped after this test.
 */
import { emailValid } from '../pii/email.js';
import { ipv4Valid, ipv6Valid } from '../pii/network.js';
import { isUuid } from './schema-keys.js';

/** Every format the schema model counts. `binary` marks uploaded files and opaque bodies. */
export const FORMATS = ['date-time', 'date', 'time', 'email', 'uuid', 'uri', 'ipv4', 'ipv6',
  'int32', 'int64', 'binary'] as const;

/** One format name. */
export type Format = (typeof FORMATS)[number];

/** The format of a string value, or null when it has none of the known ones. */
export function stringFormat(s: string): Format | null {
  const n = s.length;
  if (n < 2 || n > 2048) return null;
  const c0 = s.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    if (n === 10 && fullDate(s, 0)) return 'date';
    if (n >= 20 && fullDate(s, 0) && (s[10] === 'T' || s[10] === 't') && fullTime(s, 11, true)) {
      return 'date-time';
    }
    if (n >= 8 && n <= 25 && fullTime(s, 0, false)) return 'time';
    if (ipv4Valid(s)) return 'ipv4';
  }
  if (n === 36 && isUuid(s)) return 'uuid';
  if (s.includes('@') && emailValid(s)) return 'email';
  if (s.includes(':')) {
    if (uriValid(s)) return 'uri';
    if (ipv6Valid(s)) return 'ipv6';
  }
  return null;
}

/** int32 when the integer fits in 32 signed bits, int64 otherwise (OpenAPI format registry). */
export function integerFormat(v: number): Format {
  return v >= -2147483648 && v <= 2147483647 ? 'int32' : 'int64';
}

// RFC 3339 section 5.6 full-date: YYYY-MM-DD with a real day of month.
function fullDate(s: string, i: number): boolean {
  if (s[i + 4] !== '-' || s[i + 7] !== '-') return false;
  const y = num(s, i, 4);
  const m = num(s, i + 5, 2);
  const d = num(s, i + 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

// RFC 3339 full-time: HH:MM:SS[.frac] then Z or +HH:MM; the offset is optional when
// `needOffset` is false (a wall-clock time, as many APIs send it).
function fullTime(s: string, i: number, needOffset: boolean): boolean {
  if (s[i + 2] !== ':' || s[i + 5] !== ':') return false;
  const h = num(s, i, 2);
  const m = num(s, i + 3, 2);
  const sec = num(s, i + 6, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return false;
  let j = i + 8;
  if (s[j] === '.') {
    j++;
    const start = j;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    if (j === start) return false;
  }
  if (j === s.length) return !needOffset;
  if ((s[j] === 'Z' || s[j] === 'z') && j + 1 === s.length) return true;
  if ((s[j] === '+' || s[j] === '-') && j + 6 === s.length && s[j + 3] === ':') {
    const oh = num(s, j + 1, 2);
    const om = num(s, j + 4, 2);
    return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
  }
  return false;
}

function num(s: string, i: number, len: number): number {
  if (i + len > s.length) return -1;
  let v = 0;
  for (let k = i; k < i + len; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

const URI_SCHEMES_WITHOUT_AUTHORITY = ['mailto', 'urn', 'tel', 'data', 'file'];

// An absolute URI (RFC 3986 section 4.3): a scheme, then "//" authority or one of the
// schemes that never have one. "key:value" strings are not URIs here.
function uriValid(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon < 1 || colon > 32) return false;
  for (let i = 0; i < colon; i++) {
    const c = s.charCodeAt(i);
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alpha && (i === 0 || !((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46))) {
      return false;
    }
  }
  for (let i = colon + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 34 || c === 60 || c === 62) return false;
  }
  if (s.startsWith('//', colon + 1)) return s.length > colon + 3;
  return URI_SCHEMES_WITHOUT_AUTHORITY.includes(s.slice(0, colon).toLowerCase()) &&
    s.length > colon + 1;
}
