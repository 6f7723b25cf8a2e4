/**
 * National identity numbers with published structure rules: US Social Security
 * numbers, French NIR (numéro d'inscription au répertoire) and UK National
 * Insurance numbers.
 */
import { allDigits, digitValue, digitsMod, isDigit, isUpper } from './chars.js';

/**
 * The nine SSN digits when `text` is "AAA-GG-SSSS", "AAA GG SSSS" or (`bare`) nine
 * digits, and the number obeys the SSA rules: area not 000, 666 or 900-999 (never
 * issued), group not 00, serial not 0000. Null otherwise.
 */
export function ssnOf(text: string, bare: boolean): string | null {
  let d: string;
  if (text.length === 11) {
    const s1 = text[3];
    if ((s1 !== '-' && s1 !== ' ') || text[6] !== s1) return null;
    d = text.slice(0, 3) + text.slice(4, 6) + text.slice(7);
  } else if (text.length === 9 && bare) {
    d = text;
  } else {
    return null;
  }
  if (!allDigits(d)) return null;
  const area = digitValue(d, 0, 3);
  if (area === 0 || area === 666 || area >= 900) return null;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return null;
  return d;
}

/**
 * True for a NIR: 15 characters (spaces between the usual groups allowed) made of
 * sex, year, month, department (2A/2B for Corsica), commune, order and a control
 * key equal to 97 - (first 13 digits mod 97), Corsica counted as 19 / 18.
 */
export function nirValid(text: string): boolean {
  let s = '';
  for (let i = 0; i < text.length && s.length <= 15; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) continue;
    s += text[i]!.toUpperCase();
  }
  if (s.length !== 15) return false;
  // Sex: 1/2, 3/4 for people born abroad before registration, 7/8 for temporary numbers.
  if (!'123478'.includes(s[0]!)) return false;
  const dept = s.slice(5, 7);
  let body: string;
  if (dept === '2A') body = s.slice(0, 5) + '19' + s.slice(7, 13);
  else if (dept === '2B') body = s.slice(0, 5) + '18' + s.slice(7, 13);
  else body = s.slice(0, 13);
  if (!allDigits(body) || !allDigits(s.slice(13))) return false;
  const month = digitValue(s, 3, 5);
  // 01-12, or 20-42 and 50-99 for unknown or fictitious months in older records.
  if (month === 0 || (month > 12 && month < 20) || (month > 42 && month < 50)) return false;
  if (dept === '00') return false;
  const key = digitValue(s, 13, 15);
  return key >= 1 && key <= 97 && key === 97 - digitsMod(body, 97);
}

const NINO_FIRST_BAD = 'DFIQUV';
const NINO_SECOND_BAD = 'DFIOQUV';
const NINO_BAD_PREFIX = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * True for a UK National Insurance number: two prefix letters (HMRC allocation
 * rules: first not D F I Q U V, second not D F I O Q U V, and not BG GB KN NK NT TN
 * ZZ), six digits and a suffix A-D; spaces between pairs allowed.
 */
export function ninoValid(text: string): boolean {
  let s = '';
  for (let i = 0; i < text.length && s.length <= 9; i++) {
    if (text.charCodeAt(i) !== 32) s += text[i];
  }
  if (s.length !== 9) return false;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(1);
  if (!isUpper(a) || !isUpper(b)) return false;
  if (NINO_FIRST_BAD.includes(s[0]!) || NINO_SECOND_BAD.includes(s[1]!)) return false;
  if (NINO_BAD_PREFIX.has(s.slice(0, 2))) return false;
  for (let i = 2; i < 8; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return 'ABCD'.includes(s[8]!);
}
