import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIpv4, newIpv4Header } from '../src/decode/ipv4.js';
import { concat, hex, IPV4_TCP_GET } from './decode-hex.js';

test('ipv4: plain header: protocol, id, addresses, payload bounds', () => {
  const out = newIpv4Header();
  assert.equal(decodeIpv4(IPV4_TCP_GET, 0, IPV4_TCP_GET.length, out), 'ok');
  assert.equal(out.protocol, 6);
  assert.equal(out.id, 7);
  assert.equal(out.srcOff, 12);
  assert.equal(out.dstOff, 16);
  assert.equal(out.payload, 20);
  assert.equal(out.payloadEnd, 56);
  assert.equal(out.missing, 0);
  assert.equal(out.moreFragments, false);
  assert.equal(out.fragmentOffset, 0);
});

test('ipv4: options are skipped by IHL', () => {
  // IP (ihl 6, options [RA]) 10.0.0.1 > 10.0.0.2: tcp, total length 28 (24 header + 4)
  const b = hex(`
    46 00 00 1c 00 01 00 00 40 06 00 00  0a 00 00 01  0a 00 00 02
    94 04 00 00                           # Router Alert option
    de ad be ef                           # 4 payload bytes
  `);
  const out = newIpv4Header();
  assert.equal(decodeIpv4(b, 0, b.length, out), 'ok');
  assert.equal(out.payload, 24);
  assert.equal(out.payloadEnd, 28);
});

test('ipv4: total length trims Ethernet padding', () => {
  // a 40-byte datagram followed by 6 bytes of frame padding
  const header = hex('45 00 00 28 00 01 00 00 40 06 00 00 0a 00 00 01 0a 00 00 02');
  const b = concat(header, new Uint8Array(26));
  const out = newIpv4Header();
  assert.equal(decodeIpv4(b, 0, b.length, out), 'ok');
  assert.equal(out.payloadEnd, 40);
  assert.equal(out.missing, 0);
});

test('ipv4: a datagram cut by the snap length reports the missing bytes', () => {
  const out = newIpv4Header();
  assert.equal(decodeIpv4(IPV4_TCP_GET, 0, 46, out), 'ok');
  assert.equal(out.payloadEnd, 46);
  assert.equal(out.claimedEnd, 56);
  assert.equal(out.missing, 10);
});

test('ipv4: total length 0 (segmentation offload) uses the captured length', () => {
  const b = Uint8Array.from(IPV4_TCP_GET);
  b[2] = 0;
  b[3] = 0;
  const out = newIpv4Header();
  assert.equal(decodeIpv4(b, 0, b.length, out), 'ok');
  assert.equal(out.payloadEnd, 56);
  assert.equal(out.missing, 0);
});

test('ipv4: fragment fields', () => {
  // IP 10.0.0.1 > 10.0.0.2: frag id 7, offset 1480, flags [+] (0x20b9 = MF | 185 units)
  const b = hex(`45 00 00 1c 00 07 20 b9 40 06 00 00 0a 00 00 01 0a 00 00 02
                 00 00 00 00 00 00 00 00`);
  const out = newIpv4Header();
  assert.equal(decodeIpv4(b, 0, b.length, out), 'ok');
  assert.equal(out.moreFragments, true);
  assert.equal(out.fragmentOffset, 1480);
});

test('ipv4: impossible headers are malformed, cut ones truncated', () => {
  const out = newIpv4Header();
  const ihl4 = Uint8Array.from(IPV4_TCP_GET);
  ihl4[0] = 0x44; // IHL 4 words: shorter than the fixed header
  assert.equal(decodeIpv4(ihl4, 0, ihl4.length, out), 'malformed');
  const v6 = Uint8Array.from(IPV4_TCP_GET);
  v6[0] = 0x65; // version 6 where IPv4 was announced
  assert.equal(decodeIpv4(v6, 0, v6.length, out), 'malformed');
  const short = Uint8Array.from(IPV4_TCP_GET);
  short[3] = 0x10; // total length 16 < header length 20
  assert.equal(decodeIpv4(short, 0, short.length, out), 'malformed');
  assert.equal(decodeIpv4(IPV4_TCP_GET, 0, 19, out), 'truncated');
  const longIhl = Uint8Array.from(IPV4_TCP_GET.subarray(0, 22));
  longIhl[0] = 0x46; // options announced but only 2 of their 4 bytes captured
  assert.equal(decodeIpv4(longIhl, 0, longIhl.length, out), 'truncated');
});
