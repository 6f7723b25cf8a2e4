/**
 * Header and start-line text as reported. The parser keeps it one character per
 * byte (latin1), so nothing is lost; bytes >= 0x80 are then read as UTF-8 where
 * they form valid UTF-8 (what clients send today in raw paths, hosts and values),
 * else left as the ISO-8859-1 characters HTTP once allowed there (RFC 9110 §5.5).
 */

const HIGH = /[\x80-\xff]/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `s` (one character per wire byte) as text: UTF-8 when valid, else unchanged. */
export function wireText(s: string): string {
  if (!HIGH.test(s)) return s;
  try {
    return UTF8.decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}

/** Header pairs with both names and values read by wireText. */
export function wireHeaders(pairs: Array<[string, string]>): Array<[string, string]> {
  for (const p of pairs) {
    p[0] = wireText(p[0]);
    p[1] = wireText(p[1]);
  }
  return pairs;
}
