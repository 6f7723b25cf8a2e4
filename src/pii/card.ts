/**
 * Payment card numbers (PANs). A number is a card only when it passes the Luhn
 * check (ISO/IEC 7812-1 annex B) AND falls in an issuer range at a length that
 * issuer uses; Luhn alone passes one random number in ten, so ids and millisecond
 * timestamps pass it all the time.
 */
import { digitValue, isDigit } from './chars.js';

/** Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** GS1 check digit of an EAN-13 / UPC (GS1 General Specifications 7.9.1). */
export function ean13Valid(digits: string): boolean {
  if (digits.length !== 13) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(12) - 48;
}

interface IssuerRange {
  brand: string;
  /** Inclusive prefix range, both bounds with the same number of digits. */
  from: number;
  to: number;
  lengths: number[];
}

// Issuer identification ranges as the networks publish them. Ranges are kept narrow
// on purpose: Maestro is listed by its real IINs, not "any 5 or 6".
const RANGES: IssuerRange[] = [
  { brand: 'visa', from: 4, to: 4, lengths: [13, 16, 19] },
  { brand: 'mastercard', from: 51, to: 55, lengths: [16] },
  { brand: 'mastercard', from: 2221, to: 2720, lengths: [16] },
  { brand: 'amex', from: 34, to: 34, lengths: [15] },
  { brand: 'amex', from: 37, to: 37, lengths: [15] },
  { brand: 'discover', from: 6011, to: 6011, lengths: [16, 17, 18, 19] },
  { brand: 'discover', from: 644, to: 649, lengths: [16, 17, 18, 19] },
  { brand: 'discover', from: 65, to: 65, lengths: [16, 17, 18, 19] },
  { brand: 'diners', from: 300, to: 305, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'diners', from: 36, to: 36, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'diners', from: 38, to: 39, lengths: [14, 15, 16, 17, 18, 19] },
  { brand: 'jcb', from: 3528, to: 3589, lengths: [16, 17, 18, 19] },
  { brand: 'unionpay', from: 62, to: 62, lengths: [16, 17, 18, 19] },
  { brand: 'mir', from: 2200, to: 2204, lengths: [16, 17, 18, 19] },
  { brand: 'maestro', from: 5018, to: 5018, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 5020, to: 5020, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 5038, to: 5038, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 5893, to: 5893, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 6304, to: 6304, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 6759, to: 6759, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', from: 6761, to: 6763, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'troy', from: 9792, to: 9792, lengths: [16] },
];
// LIMITATION: regional schemes with wide or overlapping ranges (RuPay 60/65/81/82, Verve,
// Elo, Hipercard) are not listed, so their cards are found only when another range matches.

/** The brand whose issuer range and lengths fit these digits, or null. */
export function cardBrand(digits: string): string | null {
  const n = digits.length;
  for (const r of RANGES) {
    const width = String(r.from).length;
    if (n < width || !r.lengths.includes(n)) continue;
    const p = digitValue(digits, 0, width);
    if (p >= r.from && p <= r.to) return r.brand;
  }
  return null;
}

/** How sure a digit string is a card number: 0 when it is not one. */
export function cardStrength(digits: string): number {
  if (digits.length < 12 || digits.length > 19) return 0;
  if (!luhnValid(digits) || cardBrand(digits) === null) return 0;
  // One digit repeated (4444...) passes Luhn in some lengths; no issuer uses it.
  if (digits.split(digits[0]!).length === digits.length + 1) return 0;
  // A 13-digit number that is also a valid EAN-13 is a barcode far more often than one
  // of the 13-digit Visa cards, which are no longer issued.
  if (digits.length === 13 && ean13Valid(digits)) return 0.35;
  if (digits.length <= 13) return 0.6;
  return 0.9;
}

/**
 * Digits of a card written as one run or in groups split by single spaces or dashes
 * ("4111 1111 1111 1111"); null when the text has any other shape.
 */
export function cardDigits(text: string): string | null {
  if (text.length < 12 || text.length > 23) return null;
  let digits = '';
  let sep = -1;
  let group = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      digits += text[i];
      group++;
      continue;
    }
    if ((c !== 32 && c !== 45) || group === 0 || (sep !== -1 && c !== sep)) return null;
    sep = c;
    group = 0;
  }
  return group === 0 ? null : digits;
}
