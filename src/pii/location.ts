/**
 * Location segments for keys. A key that is an id or personal data itself is
 * written `*`, so that no location ever holds a value.
 */
import { isIdKey, pointerSegment } from '../infer/schema-keys.js';
import { scanValue } from './scan-value.js';

/** JSON Pointer escaping of one key (RFC 6901 section 3). */
export { pointerSegment };

// Field names repeat in every message; the verdict on a name is computed once.
const CACHE_MAX = 4096;
const cache = new Map<string, boolean>();

/** True when an object key is a record id or personal data, not a field name. */
export function isMapKey(k: string): boolean {
  const hit = cache.get(k);
  if (hit !== undefined) return hit;
  const v = decide(k);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(k, v);
  return v;
}

function decide(k: string): boolean {
  if (isIdKey(k)) return true;
  if (k.length < 6 || k.length > 320) return false;
  // Field names are words; only a key with a digit, '@', '+' or ':' can be data.
  if (!/[0-9@+:]/.test(k)) return false;
  return scanValue(k, { fieldName: null, location: '' }).length > 0;
}
