/**
 * Object keys that are data rather than names: numeric ids, UUIDs, hashes, dates.
 * An object whose keys are like that is a map (`{"1042": {...}, "1043": {...}}`),
 * and its keys must never become field names of a schema or parts of a location.
 */

/** True for a key that identifies a record instead of naming a field. */
export function isIdKey(k: string): boolean {
  const n = k.length;
  if (n === 0 || n > 200) return false;
  let digits = 0;
  let hex = true;
  let other = 0;
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      if (!((c >= 65 && c <= 70) || (c >= 97 && c <= 102))) hex = false;
    } else if (c === 45 || c === 95 || c === 46 || c === 58) other++;
    else return false;
  }
  if (digits === n) return true; // "1042"
  if (isUuid(k)) return true;
  if (hex && other === 0 && n >= 16 && digits > 0) return true; // hashes, object ids
  if (/^\d{4}-\d{2}-\d{2}/.test(k)) return true; // dates: a time series
  // Ids with a short prefix ("usr-00042", "cus_9s6XKzkNRiz8i3"): a mixed-case or digit-rich
  // body after the separator. Field names like "sha256_sum" have neither.
  const sep = Math.max(k.indexOf('_'), k.indexOf('-'));
  if (sep < 2 || sep > 6 || n - sep - 1 < 5) return digits >= 4 && digits * 3 >= n;
  const body = k.slice(sep + 1);
  const bodyDigits = body.replace(/[^0-9]/g, '').length;
  const mixedCase = /[a-z]/.test(body) && /[A-Z]/.test(body);
  return bodyDigits * 2 >= body.length || (mixedCase && bodyDigits > 0);
}

/** True for an RFC 9562 UUID in its 8-4-4-4-12 text form. */
export function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) {
      return false;
    }
  }
  return true;
}

/** A key escaped as one JSON Pointer reference token (RFC 6901 section 3). */
export function pointerSegment(k: string): string {
  if (!k.includes('~') && !k.includes('/')) return k;
  return k.replaceAll('~', '~0').replaceAll('/', '~1');
}
