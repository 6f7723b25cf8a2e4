/**
 * Character tests shared by the detectors. Detectors scan by hand with these
 * instead of regular expressions so every one of them is visibly linear.
 */

/** True for '0'..'9'. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True for 'A'..'Z'. */
export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** True for 'a'..'z'. */
export function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** True for ASCII letters. */
export function isAlpha(c: number): boolean {
  return isUpper(c) || isLower(c);
}

/** True for ASCII letters and digits. */
export function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}

/** True for hexadecimal digits of either case. */
export function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** True for the base64url alphabet (RFC 4648 section 5). */
export function isB64Url(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 95;
}

/** True for characters that may continue a word-like token (letters, digits, '_'). */
export function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 95;
}

/** Code of s[i], or -1 outside the string (so boundary tests need no range check). */
export function codeAt(s: string, i: number): number {
  return i >= 0 && i < s.length ? s.charCodeAt(i) : -1;
}

/** Digits of s in order, every other character dropped. */
export function digitsOf(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) if (isDigit(s.charCodeAt(i))) out += s[i];
  return out;
}

/** True when every character of s is a digit (and s is not empty). */
export function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Value of a digit string that fits in a double exactly (<= 15 digits). */
export function digitValue(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/** Remainder of a long digit string divided by m, computed piecewise (no big integers). */
export function digitsMod(s: string, m: number): number {
  let r = 0;
  for (let i = 0; i < s.length; i++) r = (r * 10 + (s.charCodeAt(i) - 48)) % m;
  return r;
}
