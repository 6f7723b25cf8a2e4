/**
 * Bank identifiers: IBAN (ISO 13616: country length table and the mod-97 check of
 * ISO 7064) and BIC (ISO 9362: bank, country, location and branch codes).
 */
import { isAlnum, isDigit, isUpper } from './chars.js';

// IBAN length per country, from the IBAN registry (SWIFT, release 99).
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29,
  BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29,
  ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28,
  LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20,
  MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25,
  QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27,
  SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};
// LIMITATION: national "IBAN-like" formats outside the registry (e.g. some African
// countries) are not recognised.

/** IBAN length for a country code, or undefined when the country has no IBAN. */
export function ibanLength(country: string): number | undefined {
  return IBAN_LENGTHS[country];
}

/** ISO 7064 mod 97-10 over an IBAN (no spaces, upper case): true when it leaves 1. */
export function ibanMod97(iban: string): boolean {
  // Move the first four characters to the end, letters become 10..35, then mod 97;
  // done piecewise so no big integer is needed.
  let r = 0;
  const n = iban.length;
  for (let k = 0; k < n; k++) {
    const c = iban.charCodeAt((k + 4) % n);
    if (isDigit(c)) r = (r * 10 + (c - 48)) % 97;
    else if (isUpper(c)) r = (r * 100 + (c - 55)) % 97;
    else return false;
  }
  return r === 1;
}

/**
 * The IBAN written in `text` (electronic form or groups split by single spaces),
 * normalised to upper case without spaces, or null when it does not validate.
 */
export function ibanOf(text: string): string | null {
  if (text.length < 15 || text.length > 42) return null;
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (i === 0 || text.charCodeAt(i - 1) === 32) return null;
      continue;
    }
    if (!isAlnum(c)) return null;
    s += text[i];
  }
  s = s.toUpperCase();
  return ibanValid(s) ? s : null;
}

/** True for a compact upper-case IBAN with the right length and check digits. */
export function ibanValid(s: string): boolean {
  const len = ibanLength(s.slice(0, 2));
  if (len === undefined || s.length !== len) return false;
  if (!isDigit(s.charCodeAt(2)) || !isDigit(s.charCodeAt(3))) return false;
  // Check digits 00, 01 and 99 are never produced by the algorithm.
  const check = s.slice(2, 4);
  if (check === '00' || check === '01' || check === '99') return false;
  return ibanMod97(s);
}

// ISO 3166-1 alpha-2 codes, plus XK (Kosovo) which SWIFT uses.
const COUNTRIES = new Set(
  ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ ' +
    'BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ' +
    'DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS ' +
    'GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ' +
    'KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ ' +
    'MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
    'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
    'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ' +
    'VN VU WF WS XK YE YT ZA ZM ZW').split(' '),
);

/** True for an ISO 3166-1 alpha-2 country code. */
export function isCountryCode(cc: string): boolean {
  return COUNTRIES.has(cc);
}

/**
 * How much a text looks like a BIC on its own: 0 when the structure is wrong. An
 * eight-letter word such as "DISABLED" has a valid structure (DISA, BL, ED), so a
 * BIC of letters only stays below the reporting threshold without a field name.
 */
export function bicStrength(text: string): number {
  const n = text.length;
  if (n !== 8 && n !== 11) return 0;
  for (let i = 0; i < 6; i++) if (!isUpper(text.charCodeAt(i))) return 0;
  if (!isCountryCode(text.slice(4, 6))) return 0;
  for (let i = 6; i < n; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && !isUpper(c)) return 0;
  }
  // Location code: its first character is never 0 or 1 (ISO 9362).
  const l0 = text.charCodeAt(6);
  if (l0 === 48 || l0 === 49) return 0;
  // A branch code starting with X is only ever "XXX" (the head office).
  if (n === 11 && text[8] === 'X' && text.slice(8) !== 'XXX') return 0;
  let digits = 0;
  for (let i = 6; i < n; i++) if (isDigit(text.charCodeAt(i))) digits++;
  if (digits > 0) return n === 11 ? 0.6 : 0.5;
  return n === 11 && text.endsWith('XXX') ? 0.5 : 0.4;
}
