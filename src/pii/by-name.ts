/**
 * Kinds that no validator can tell from the value alone: dates of birth, postal
 * addresses, passwords and unprefixed secrets. The field name is the evidence; the
 * value only has to be a plausible instance (a date, a street line, a secret-looking
 * string), which keeps `password_policy: "strict"` and `dob_required: true` out.
 */
import { emailValid } from './email.js';
import { ipv4Valid, ipv6Valid } from './network.js';
import { allDigits, digitValue, isAlpha, isDigit, isHex, isLower, isUpper } from './chars.js';

// LIMITATION: month names are English only, and two-digit years ("5/17/85") are not read.
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov',
  'dec'];

/**
 * True when `s` is a calendar date a person could be born on: ISO 8601 (time part
 * allowed), day/month/year or month/day/year with "/", "." or "-", compact
 * YYYYMMDD, or English month names ("17 May 1985", "May 17, 1985").
 */
export function birthDateValid(s: string): boolean {
  if (s.length < 8 || s.length > 40) return false;
  if (allDigits(s)) return s.length === 8 && ymd(digitValue(s, 0, 4), digitValue(s, 4, 6),
    digitValue(s, 6, 8));
  // "1985-05-17T00:00:00Z" and "1985-05-17 00:00:00": the time part is ignored.
  const date = s.length > 10 && (s[10] === 'T' || s[10] === ' ') && s[4] === '-'
    ? s.slice(0, 10) : s;
  const parts = date.split(/[-/. ,]+/).filter((p) => p !== '');
  if (parts.length !== 3) return false;
  const [a, b, c] = parts as [string, string, string];
  if (allDigits(a) && allDigits(b) && allDigits(c)) {
    if (a.length === 4) return ymd(+a, +b, +c);
    if (c.length === 4) return ymd(+c, +b, +a) || ymd(+c, +a, +b);
    return false;
  }
  const m = (x: string): number => MONTHS.indexOf(x.slice(0, 3).toLowerCase()) + 1;
  if (allDigits(a) && m(b) > 0 && allDigits(c) && c.length === 4) return ymd(+c, m(b), +a);
  if (m(a) > 0 && allDigits(b) && allDigits(c) && c.length === 4) return ymd(+c, m(a), +b);
  return false;
}

function ymd(y: number, m: number, d: number): boolean {
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1880 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1]!;
}

/**
 * How much a value under a postal-address name looks like one: a street line has
 * letters and usually a house number; a postcode (`postcode` set) has a digit and
 * fits in ten characters. E-mail, IP and URL values are other kinds.
 */
export function addressStrength(s: string, postcode: boolean): number {
  if (s.length < 3 || s.length > 300) return 0;
  if (emailValid(s) || ipv4Valid(s) || ipv6Valid(s) || s.includes('://')) return 0;
  let letters = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isAlpha(c) || c > 127) letters++;
  }
  if (postcode) return digits > 0 && s.length <= 10 ? 0.6 : 0;
  if (letters < 2) return 0;
  return digits > 0 ? 0.85 : 0.7;
}

/** How much a value under a password name looks like a password (not a flag or mask). */
export function passwordStrength(s: string): number {
  if (s.length === 0 || s.length > 512) return 0;
  if (s === 'true' || s === 'false' || s === 'null' || s === 'undefined') return 0;
  // Already masked by the sender ("********", "•••") is not a leak.
  let masked = true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '*' && c !== '•' && c !== 'x' && c !== 'X') masked = false;
  }
  return masked ? 0 : 0.9;
}

/**
 * How much a value under a secret-bearing name (`client_secret`, `x-api-key`)
 * looks like a machine-made secret: at least 16 characters without spaces, mixed
 * character classes or long hex, and enough entropy to rule out words and slugs.
 */
export function secretStrength(s: string): number {
  if (s.length < 16 || s.length > 512 || s.includes('://')) return 0;
  let classes = 0;
  let up = false;
  let low = false;
  let dig = false;
  let hex = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127) return 0;
    if (isUpper(c)) up = true;
    else if (isLower(c)) low = true;
    else if (isDigit(c)) dig = true;
    if (!isHex(c) && c !== 45) hex = false;
  }
  classes = (up ? 1 : 0) + (low ? 1 : 0) + (dig ? 1 : 0);
  if (hex && s.length >= 32) return 0.8;
  if (classes < 2 || !dig) return 0;
  return entropyBits(s) >= 3.2 ? 0.8 : 0;
}

/** Shannon entropy of the characters of s, in bits per character. */
export function entropyBits(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}
