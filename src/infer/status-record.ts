/**
 * Records keyed by HTTP status code ("200"). V8 keeps index-like keys in a flat
 * array sized past the largest one, so a record holding only "200" costs 2.6 KB;
 * the inventory has one per concrete path and one per schema (40,000 of them took
 * 100 MB of a 100 MB capture's replay). Started sparse, the object stays a small
 * dictionary, about 200 bytes, and reads and serialises like any other.
 */

// An array index far past any status code.
const FAR_INDEX = 2 ** 30;

/** An empty record for status-code keys, or a copy of `from`. */
export function statusRecord<T>(from?: Readonly<Record<string, T>>): Record<string, T> {
  const o: Record<string, T> = {};
  o[FAR_INDEX] = undefined as T;
  delete o[FAR_INDEX];
  if (from !== undefined) for (const [k, v] of Object.entries(from)) o[k] = v;
  return o;
}
