/**
 * Geolocation: a latitude/longitude pair written as "48.8566,2.3522", or single
 * coordinates under lat/lon names. Precision is the tell: coordinates of a person
 * or device carry several decimals, while "1.5,2.5" is a scale or a version.
 */
import { isDigit } from './chars.js';

// LIMITATION: degree-minute-second and hemisphere notations ("51.5074° N, 0.1278° W"),
// WKT ("POINT(2.35 48.85)") and CIDR-like forms are not read.

interface Decimal {
  value: number;
  fraction: number;
}

/** Parses an optionally signed decimal ("-73.98557"); null for anything else. */
export function decimalOf(s: string): Decimal | null {
  if (s.length === 0 || s.length > 24) return null;
  let i = s[0] === '-' || s[0] === '+' ? 1 : 0;
  let intDigits = 0;
  while (i < s.length && isDigit(s.charCodeAt(i))) {
    i++;
    intDigits++;
  }
  let fraction = 0;
  if (i < s.length && s[i] === '.') {
    i++;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      i++;
      fraction++;
    }
  }
  if (i !== s.length || intDigits === 0 || intDigits > 3) return null;
  return { value: Number(s), fraction };
}

/**
 * Strength of "lat,lon" (one optional space after the comma): both in range, both
 * with a decimal part; four or more decimals (about 10 m) without a field name,
 * one is enough under a geo name (`named`).
 */
export function geoPairStrength(s: string, named: boolean): number {
  const comma = s.indexOf(',');
  if (comma < 0 || s.indexOf(',', comma + 1) >= 0) return 0;
  const lat = decimalOf(s.slice(0, comma));
  const lon = decimalOf(s.slice(comma + 1).trimStart());
  if (lat === null || lon === null) return 0;
  if (Math.abs(lat.value) > 90 || Math.abs(lon.value) > 180) return 0;
  const need = named ? 1 : 4;
  if (lat.fraction < need || lon.fraction < need) return 0;
  return named ? 0.7 : 0.6;
}

/**
 * Strength of one coordinate under a latitude (`axis` lat) or longitude name: in
 * range and with at least two decimals (whole degrees locate nobody).
 */
export function coordinateStrength(s: string, axis: 'lat' | 'lon'): number {
  const d = decimalOf(s);
  if (d === null || d.fraction < 2) return 0;
  return Math.abs(d.value) <= (axis === 'lat' ? 90 : 180) ? 0.7 : 0;
}
