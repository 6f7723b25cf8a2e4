/**
 * Telephone numbers: international form (ITU-T E.164: "+", country code, national
 * significant number, at most 15 digits) and two national forms, North American
 * (NANP, 3-3-4) and trunk-prefixed ("0" then 9-10 digits, most of Europe).
 * A bare digit run is a phone only when the field name says so, and even then the
 * NANP rules (area and exchange codes never start with 0 or 1) reject timestamps.
 */
import { digitValue, isDigit } from './chars.js';

// ITU-T E.164 assigned country codes. One digit: 1 and 7; two digits: listed;
// three digits: the ranges below minus spare codes.
const CC2 = new Set([20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51,
  52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94,
  95, 98]);
const CC3 = new Set<number>();
for (const [from, to] of [[211, 213], [216, 216], [218, 218], [220, 258], [260, 269],
  [290, 291], [297, 299], [350, 359], [370, 383], [385, 387], [389, 389], [420, 421],
  [423, 423], [500, 509], [590, 599], [670, 670], [672, 683], [685, 692], [800, 800],
  [808, 808], [850, 850], [852, 853], [855, 856], [870, 870], [880, 883], [886, 886],
  [888, 888], [960, 968], [970, 977], [992, 996], [998, 998]] as const) {
  for (let c = from; c <= to; c++) CC3.add(c);
}

// National significant number lengths where they are fixed or narrow.
const NSN: Record<number, [number, number]> = {
  1: [10, 10], 7: [10, 10], 20: [9, 10], 27: [9, 9], 30: [10, 10], 31: [9, 9], 32: [8, 9],
  33: [9, 9], 34: [9, 9], 36: [8, 9], 39: [6, 11], 40: [9, 9], 41: [9, 9], 43: [4, 13],
  44: [9, 10], 45: [8, 8], 46: [7, 10], 47: [8, 8], 48: [9, 9], 49: [6, 13], 51: [8, 9],
  52: [10, 10], 53: [8, 8], 54: [10, 11], 55: [10, 11], 56: [9, 9], 57: [10, 10],
  58: [10, 10], 60: [8, 10], 61: [9, 9], 62: [8, 12], 63: [8, 10], 64: [8, 10], 65: [8, 8],
  66: [8, 9], 81: [9, 10], 82: [8, 10], 84: [9, 10], 86: [10, 11], 90: [10, 10],
  91: [10, 10], 92: [9, 10], 93: [9, 9], 94: [9, 9], 95: [7, 10], 98: [10, 10],
};

/** True for ten digits that obey NANP numbering: NPA [2-9][0-8]X not N11, NXX [2-9]XX not N11. */
export function nanpValid(d: string): boolean {
  if (d.length !== 10) return false;
  const a0 = d.charCodeAt(0) - 48;
  const a1 = d.charCodeAt(1) - 48;
  const e0 = d.charCodeAt(3) - 48;
  if (a0 < 2 || a1 === 9 || e0 < 2) return false;
  if (d[1] === '1' && d[2] === '1') return false;
  if (d[4] === '1' && d[5] === '1') return false;
  return true;
}

/** True when `d` (country code then national number, no "+") is a plausible E.164 number. */
export function e164Valid(d: string): boolean {
  if (d.length < 8 || d.length > 15) return false;
  let ccLen = 0;
  if (d[0] === '1' || d[0] === '7') ccLen = 1;
  else if (CC2.has(digitValue(d, 0, 2))) ccLen = 2;
  else if (CC3.has(digitValue(d, 0, 3))) ccLen = 3;
  if (ccLen === 0) return false;
  const cc = digitValue(d, 0, ccLen);
  const nsn = d.slice(ccLen);
  if (cc === 1) return nanpValid(nsn);
  // A national number never starts with the trunk 0, except in Italy where it is kept.
  if (nsn[0] === '0' && cc !== 39) return false;
  const [min, max] = NSN[cc] ?? [4, 12];
  return nsn.length >= min && nsn.length <= max;
}

interface Shape {
  digits: string;
  groups: number[];
  plus: boolean;
}

/** Reads "+1 (415) 555-0198" into digits and group sizes; null for any other shape. */
function shapeOf(text: string): Shape | null {
  if (text.length < 7 || text.length > 26) return null;
  let digits = '';
  const groups: number[] = [];
  let group = 0;
  let plus = false;
  let paren = 0; // 0 none yet, 1 open, 2 closed
  let prevSep = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      digits += text[i];
      group++;
      prevSep = false;
      continue;
    }
    if (c === 43 && i === 0) {
      plus = true;
      continue;
    }
    if (group > 0) groups.push(group);
    group = 0;
    if (c === 40) {
      if (paren !== 0) return null;
      paren = 1;
    } else if (c === 41) {
      if (paren !== 1 || prevSep) return null;
      paren = 2;
      prevSep = false;
      continue; // ") " is one separator
    } else if (c !== 32 && c !== 45 && c !== 46) {
      return null;
    } else if (prevSep && i > 0 && text.charCodeAt(i - 1) !== 40) {
      return null; // two separators in a row
    }
    prevSep = true;
  }
  if (group > 0) groups.push(group);
  if (paren === 1 || prevSep) return null;
  return { digits, groups, plus };
}

// LIMITATION: national forms other than NANP and trunk-0 ("612 345 678" in Spain) are
// found only with "+" and the country code; extensions ("x123", "ext. 4") are not read.

/**
 * How much `text` looks like a phone number on its own, before field names are
 * weighed: 0 when it cannot be one. `named` says the field name points to a phone,
 * which lets bare digit runs through (still under the numbering rules).
 */
export function phoneStrength(text: string, named: boolean): number {
  const s = shapeOf(text);
  if (s === null) return 0;
  let d = s.digits;
  const formatted = s.groups.length > 1;
  if (s.plus) {
    // "+44 (0)20 ...": the trunk 0 in parentheses is not dialled from abroad.
    const i = text.indexOf('(0)');
    if (i > 0) d = d.slice(0, digitsBefore(text, i)) + d.slice(digitsBefore(text, i) + 1);
    return e164Valid(d) ? 0.85 : 0;
  }
  if (d.startsWith('00')) return e164Valid(d.slice(2)) ? (formatted ? 0.7 : named ? 0.6 : 0) : 0;
  if (d[0] !== '0' && (d.length === 10 || (d.length === 11 && d[0] === '1'))) {
    const national = d.length === 11 ? d.slice(1) : d;
    if (!nanpValid(national)) return 0;
    if (!formatted) return named ? 0.7 : 0;
    return nanpGroups(s.groups, d.length === 11) ? 0.75 : 0;
  }
  if (d[0] === '0' && (d.length === 10 || d.length === 11) && d[1] !== '0') {
    if (!formatted) return named ? 0.65 : 0;
    const ok = s.groups.every((g) => g >= 2 && g <= 6) && s.groups[0]! <= 5;
    return ok ? 0.6 : 0;
  }
  // International digits written without "+" ("33612345678"): only under a phone name.
  if (named && !formatted && d.length >= 11 && e164Valid(d)) return 0.6;
  return 0;
}

function nanpGroups(g: number[], withOne: boolean): boolean {
  const rest = withOne ? (g[0] === 1 ? g.slice(1) : null) : g;
  return rest !== null && rest.length === 3 && rest[0] === 3 && rest[1] === 3 && rest[2] === 4;
}

function digitsBefore(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (isDigit(text.charCodeAt(i))) n++;
  return n;
}
