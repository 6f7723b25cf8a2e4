import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIpv6, newIpv6Header } from '../src/decode/ipv6.js';
import { concat, hex } from './decode-hex.js';

/** Fixed header: 2001:db8::1 > 2001:db8::2, next header `nh`, payload length `len`. */
function fixed(nh: number, len: number): Uint8Array {
  const b = hex(`
    60 00 00 00  00 00 00 40              # version 6; payload length and next header set below
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # 2001:db8::2
  `);
  b[4] = len >> 8;
  b[5] = len & 0xff;
  b[6] = nh;
  return b;
}

// 20 bytes standing for a TCP header
const TCP20 = new Uint8Array(20);

test('ipv6: plain TCP payload', () => {
  const b = concat(fixed(6, 20), TCP20);
  const out = newIpv6Header();
  assert.equal(decodeIpv6(b, 0, b.length, out), 'ok');
  assert.equal(out.nextHeader, 6);
  assert.equal(out.payload, 40);
  assert.equal(out.payloadEnd, 60);
  assert.equal(out.srcOff, 8);
  assert.equal(out.dstOff, 24);
  assert.equal(out.fragment, false);
});

test('ipv6: hop-by-hop, routing, destination options and AH are walked', () => {
  const b = concat(
    fixed(0, 8 + 24 + 8 + 16 + 20),
    hex('2b 00  05 02 00 00 01 00'), // HBH, next Routing, len 0 (8 bytes): Router Alert
    hex(`3c 02 00 00 00 00 00 00     # Routing, next DestOpts, len 2 (24 bytes), type 0, segs 0
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00`),
    hex('33 00  01 04 00 00 00 00'), // DestOpts, next AH, len 0 (8 bytes): PadN
    hex(`06 02 00 00                 # AH, next TCP, payload len 2: (2+2)*4 = 16 bytes
         00 00 10 00 00 00 00 01 00 00 00 00`), // SPI 0x1000, seq 1, 4 bytes of ICV
    TCP20,
  );
  const out = newIpv6Header();
  assert.equal(decodeIpv6(b, 0, b.length, out), 'ok');
  assert.equal(out.nextHeader, 6);
  assert.equal(out.payload, 40 + 8 + 24 + 8 + 16);
});

test('ipv6: a fragment header stops the walk with the fragment fields', () => {
  // frag (id 0x12345678, offset 1232, more), next header TCP
  const b = concat(fixed(44, 8 + 16), hex('06 00 04 d1 12 34 56 78'), new Uint8Array(16));
  const out = newIpv6Header();
  assert.equal(decodeIpv6(b, 0, b.length, out), 'ok');
  assert.equal(out.fragment, true);
  assert.equal(out.fragmentOffset, 1232);
  assert.equal(out.moreFragments, true);
  assert.equal(out.fragmentId, 0x12345678);
  assert.equal(out.nextHeader, 6);
  assert.equal(out.payload, 48);
});

test('ipv6: an atomic fragment (offset 0, no more) is a whole packet (RFC 6946)', () => {
  const b = concat(fixed(44, 8 + 20), hex('06 00 00 00 00 00 00 01'), TCP20);
  const out = newIpv6Header();
  assert.equal(decodeIpv6(b, 0, b.length, out), 'ok');
  assert.equal(out.fragment, false);
  assert.equal(out.nextHeader, 6);
  assert.equal(out.payload, 48);
});

test('ipv6: snapped payload reports missing bytes; cut extension header is truncated', () => {
  const b = concat(fixed(6, 20), TCP20);
  const out = newIpv6Header();
  assert.equal(decodeIpv6(b, 0, 50, out), 'ok');
  assert.equal(out.missing, 10);
  const hbh = concat(fixed(0, 16 + 20), hex('06 01 00 00 00 00 00 00'), new Uint8Array(28));
  // the HBH header claims 16 bytes but the capture stops after 4 of them
  assert.equal(decodeIpv6(hbh, 0, 44, out), 'truncated');
});

test('ipv6: an extension header longer than the packet is malformed', () => {
  // HBH claims (255+1)*8 bytes in a 28-byte payload that was captured whole
  const b = concat(fixed(0, 28), hex('06 ff 00 00 00 00 00 00'), TCP20);
  const out = newIpv6Header();
  assert.equal(decodeIpv6(b, 0, b.length, out), 'malformed');
});

test('ipv6: wrong version is malformed, short header truncated', () => {
  const b = concat(fixed(6, 20), TCP20);
  const out = newIpv6Header();
  assert.equal(decodeIpv6(b, 0, 39, out), 'truncated');
  b[0] = 0x45;
  assert.equal(decodeIpv6(b, 0, b.length, out), 'malformed');
});
