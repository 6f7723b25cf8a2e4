import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv4, formatIpv6 } from '../src/decode/address.js';

/** The 16 bytes of an address written as eight full groups. */
function v6(groups: string): Uint8Array {
  const b = new Uint8Array(16);
  groups.split(':').forEach((g, i) => {
    const n = parseInt(g, 16);
    b[2 * i] = n >> 8;
    b[2 * i + 1] = n & 0xff;
  });
  return b;
}

test('ipv4: dotted quad, at an offset, and the same string again from the cache', () => {
  const b = Uint8Array.of(9, 192, 0, 2, 255);
  assert.equal(formatIpv4(b, 1), '192.0.2.255');
  assert.equal(formatIpv4(b, 1), '192.0.2.255');
  assert.equal(formatIpv4(Uint8Array.of(0, 0, 0, 0), 0), '0.0.0.0');
});

// RFC 5952 section 4 and its examples.
const CASES: Array<[string, string]> = [
  ['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1'], // 4.2.1 shorten maximally
  ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // 4.2.2 one zero group
  ['2001:0000:0000:0001:0000:0000:0000:0001', '2001:0:0:1::1'], // 4.2.3 longest run
  ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // 4.2.3 tie: first run
  ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'], // 4.3 lowercase
  ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
  ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
  ['0001:0000:0000:0000:0000:0000:0000:0000', '1::'],
  ['fe80:0000:0000:0000:0202:b3ff:fe1e:8329', 'fe80::202:b3ff:fe1e:8329'],
  ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'], // section 5: IPv4-mapped
  ['2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2:3:4:5:6'],
];

for (const [full, canonical] of CASES) {
  test(`ipv6 RFC 5952: ${full} -> ${canonical}`, () => {
    const b = v6(full);
    assert.equal(formatIpv6(b, 0), canonical);
    assert.equal(formatIpv6(b, 0), canonical); // cached
  });
}

test('ipv6: the cache never returns another address that shares a slot', () => {
  const seen = new Map<string, string>();
  for (let i = 0; i < 20000; i++) {
    const b = v6(`2001:db8:0:0:0:0:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`);
    const s = formatIpv6(b, 0);
    const again = formatIpv6(b, 0);
    assert.equal(again, s);
    assert.equal(seen.has(s), false);
    seen.set(s, s);
  }
});
