/**
 * Finds personal data embedded in free text ("call +1-617-555-0110 or write to
 * a@example.com"). One left-to-right pass; a candidate starts only at a token
 * boundary and every look-ahead is bounded by a constant (the longest form of the
 * kind), so the scan is linear in the text length whatever the text is.
 */
import type { PiiKind } from './types.js';
import { cardDigits, cardStrength } from './card.js';
import { ibanLength, ibanValid } from './bank.js';
import { domainValid, isDomainChar, localValid, MAX_DOMAIN, MAX_LOCAL } from './email.js';
import { ninoValid, nirValid, ssnOf } from './national-id.js';
import { ipv4Strength, ipv6Strength } from './network.js';
import { phoneStrength } from './phone.js';
import { jwtStrength, prefixedKeyAt, privateKeyHeaderAt } from './secrets.js';
import { codeAt, isAlnum, isB64Url, isDigit, isHex, isUpper } from './chars.js';

/** A raw embedded match before field names are weighed. */
export interface RawSpan {
  kind: PiiKind;
  strength: number;
  start: number;
  end: number;
}

// Longest text read for one numeric candidate: "+1 (415) 555-0198" style phones and
// spaced 19-digit cards fit in 26 characters.
const NUMERIC_SPAN = 26;
// JWTs in the wild stay well under this; longer runs are read once and rejected.
const MAX_JWT = 16384;

// LIMITATION: in free text, NIRs are found only in their compact 15-character form,
// SSNs only dashed, and geolocation pairs, dates of birth and addresses not at all
// (they need a field name).

/** Every embedded match in `s`, non-overlapping, left to right. */
export function scanText(s: string): RawSpan[] {
  const out: RawSpan[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    const prev = codeAt(s, i - 1);
    let hit: RawSpan | null = null;
    if (c === 64) hit = emailAround(s, i, out.length > 0 ? out[out.length - 1]!.end : 0);
    else if (c === 45) hit = pemAt(s, i);
    else if (!isAlnum(prev) && prev !== 95) hit = tokenAt(s, i, c, prev);
    if (hit !== null) {
      // An email found at its '@' starts before i; drop nothing already emitted.
      out.push(hit);
      i = hit.end;
    } else {
      i++;
    }
  }
  return out;
}

function tokenAt(s: string, i: number, c: number, prev: number): RawSpan | null {
  if (isDigit(c) || c === 43 || c === 40) {
    if (prev === 46 || prev === 45 || prev === 43) return null; // inside 1.2.3 or a-1
    // Inside a run of spaced digit groups ("5555 5555 5555 4444 5555"): the run is read
    // whole from its first group or not at all.
    if ((prev === 32 || prev === 47) && isDigit(codeAt(s, i - 2))) return null;
    return numericAt(s, i, c);
  }
  if (prev === 45 || prev === 46) return null;
  if (c === 101 && s.startsWith('eyJ', i)) {
    const h = jwtAt(s, i);
    if (h !== null) return h;
  }
  const key = prefixedKeyAt(s, i);
  if (key !== null) return { kind: 'api_key', strength: key.strength, start: i, end: key.end };
  if (isUpper(c) && isUpper(codeAt(s, i + 1))) {
    const h = ibanAt(s, i) ?? ninoAt(s, i);
    if (h !== null) return h;
  }
  if (isHex(c) || c === 58) return ipv6At(s, i);
  return null;
}

function numericAt(s: string, i: number, c: number): RawSpan | null {
  if (isDigit(c)) {
    const h = ipv4At(s, i) ?? fixedAt(s, i, 11, 'ssn') ?? fixedAt(s, i, 15, 'fr_nir') ??
      cardAt(s, i);
    if (h !== null) return h;
  }
  return phoneAt(s, i);
}

function endsAtBoundary(s: string, end: number): boolean {
  const c = codeAt(s, end);
  if (c === -1) return true;
  if (isAlnum(c) || c === 95) return false;
  // "4111 1111 1111 1111 1111": a separator followed by more digits continues the run.
  if ((c === 32 || c === 45 || c === 46 || c === 47) && isDigit(codeAt(s, end + 1))) return false;
  return true;
}

function ipv4At(s: string, i: number): RawSpan | null {
  let j = i;
  while (j < s.length && j - i < 16 && (isDigit(s.charCodeAt(j)) || s.charCodeAt(j) === 46)) j++;
  while (j > i && s.charCodeAt(j - 1) === 46) j--; // sentence full stop
  if (!endsAtBoundary(s, j)) return null;
  const strength = ipv4Strength(s.slice(i, j));
  return strength > 0 ? { kind: 'ip_address', strength, start: i, end: j } : null;
}

function fixedAt(s: string, i: number, len: number, kind: 'ssn' | 'fr_nir'): RawSpan | null {
  if (i + len > s.length || !endsAtBoundary(s, i + len)) return null;
  const t = s.slice(i, i + len);
  const ok = kind === 'ssn' ? ssnOf(t, false) !== null : nirValid(t) && !t.includes(' ');
  return ok ? { kind, strength: kind === 'ssn' ? 0.8 : 0.85, start: i, end: i + len } : null;
}

function cardAt(s: string, i: number): RawSpan | null {
  let j = i;
  const stop = Math.min(s.length, i + 23);
  while (j < stop) {
    const c = s.charCodeAt(j);
    if (isDigit(c)) j++;
    else if ((c === 32 || c === 45) && isDigit(codeAt(s, j + 1))) j++;
    else break;
  }
  if (!endsAtBoundary(s, j)) return null;
  const digits = cardDigits(s.slice(i, j));
  const strength = digits === null ? 0 : cardStrength(digits);
  return strength > 0 ? { kind: 'credit_card', strength, start: i, end: j } : null;
}

function phoneAt(s: string, i: number): RawSpan | null {
  // Read the longest phone-shaped run, then give back trailing groups until the
  // rest validates ("+33 6 12 34 56 78 2 fois" ends at 78).
  const ends: number[] = [];
  let j = i;
  const stop = Math.min(s.length, i + NUMERIC_SPAN);
  while (j < stop) {
    const c = s.charCodeAt(j);
    if (isDigit(c) || c === 41 || (c === 43 && j === i) || (c === 40 && j <= i + 4)) {
      j++;
      if ((isDigit(c) || c === 41) && !isDigit(codeAt(s, j))) ends.push(j);
    } else if ((c === 32 || c === 45 || c === 46) && j > i) {
      j++;
    } else {
      break;
    }
  }
  const last = ends.length - 1;
  for (let k = last; k >= 0 && k >= last - 3; k--) {
    const e = ends[k]!;
    // The full run must end the token; a shorter one ends at a separator by construction.
    if (k === last && !endsAtBoundary(s, e)) return null;
    const strength = phoneStrength(s.slice(i, e), false);
    if (strength > 0) return { kind: 'phone', strength, start: i, end: e };
  }
  return null;
}

function emailAround(s: string, at: number, floor: number): RawSpan | null {
  let a = at;
  const min = Math.max(floor, at - MAX_LOCAL);
  while (a > min && isEmbeddedLocalChar(s.charCodeAt(a - 1))) a--;
  while (a < at && s.charCodeAt(a) === 46) a++;
  let b = at + 1;
  const max = Math.min(s.length, at + 1 + MAX_DOMAIN);
  while (b < max && isDomainChar(s.charCodeAt(b))) b++;
  while (b > at + 1 && (s.charCodeAt(b - 1) === 46 || s.charCodeAt(b - 1) === 45)) b--;
  if (a === at || !localValid(s.slice(a, at)) || !domainValid(s.slice(at + 1, b))) return null;
  return { kind: 'email', strength: 0.9, start: a, end: b };
}

// In running text the local part is held to the characters people actually use, so
// "path/to:john@example.com" yields john@example.com.
function isEmbeddedLocalChar(c: number): boolean {
  return isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function jwtAt(s: string, i: number): RawSpan | null {
  let j = i;
  const stop = Math.min(s.length, i + MAX_JWT);
  while (j < stop && (isB64Url(s.charCodeAt(j)) || s.charCodeAt(j) === 46)) j++;
  while (j > i && s.charCodeAt(j - 1) === 46) j--;
  const strength = jwtStrength(s.slice(i, j));
  return strength > 0 ? { kind: 'jwt', strength, start: i, end: j } : null;
}

function ibanAt(s: string, i: number): RawSpan | null {
  const len = ibanLength(s.slice(i, i + 2));
  if (len === undefined || !isDigit(codeAt(s, i + 2)) || !isDigit(codeAt(s, i + 3))) return null;
  let compact = '';
  let j = i;
  const stop = Math.min(s.length, i + len + Math.ceil(len / 4));
  while (j < stop && compact.length < len) {
    const c = s.charCodeAt(j);
    if (isAlnum(c)) compact += s[j];
    else if (!(c === 32 && isAlnum(codeAt(s, j + 1)) && compact.length % 4 === 0)) break;
    j++;
  }
  if (compact.length !== len || !endsAtBoundary(s, j) || !ibanValid(compact)) return null;
  return { kind: 'iban', strength: 0.95, start: i, end: j };
}

function ninoAt(s: string, i: number): RawSpan | null {
  for (const len of [9, 13]) {
    if (i + len > s.length || !endsAtBoundary(s, i + len)) continue;
    const t = s.slice(i, i + len);
    const spaced = t[2] === ' ' && t[5] === ' ' && t[8] === ' ' && t[11] === ' ';
    if ((len === 9 || spaced) && ninoValid(t)) {
      return { kind: 'uk_nino', strength: 0.75, start: i, end: i + len };
    }
  }
  return null;
}

function ipv6At(s: string, i: number): RawSpan | null {
  let j = i;
  let colons = 0;
  const stop = Math.min(s.length, i + 46);
  while (j < stop) {
    const c = s.charCodeAt(j);
    if (c === 58) colons++;
    else if (!isHex(c) && c !== 46) break;
    j++;
  }
  if (colons < 2) return null;
  while (j > i && s.charCodeAt(j - 1) === 46) j--;
  if (!endsAtBoundary(s, j) || codeAt(s, j) === 58) return null;
  const strength = ipv6Strength(s.slice(i, j));
  return strength > 0 ? { kind: 'ip_address', strength, start: i, end: j } : null;
}

function pemAt(s: string, i: number): RawSpan | null {
  const end = privateKeyHeaderAt(s, i);
  return end < 0 ? null : { kind: 'private_key', strength: 0.99, start: i, end };
}
