import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGre, newGreHeader } from '../src/decode/gre.js';
import { hex } from './decode-hex.js';

test('gre: the plain 4-byte header (RFC 2784): proto IPv4', () => {
  const b = hex('00 00 08 00');
  const out = newGreHeader();
  assert.equal(decodeGre(b, 0, b.length, out), 'ok');
  assert.equal(out.protocol, 0x0800);
  assert.equal(out.hasKey, false);
  assert.equal(out.hasSequence, false);
  assert.equal(out.payload, 4);
});

test('gre: checksum, key and sequence present (RFC 2890): all skipped in order', () => {
  // GREv0, Flags [checksum present, key present, sequence# present], key=0x5, seq 9,
  // proto TEB (0x6558)
  const b = hex(`
    b0 00 65 58
    12 34 00 00     # checksum + reserved1
    00 00 00 05     # key 5
    00 00 00 09     # sequence 9
  `);
  const out = newGreHeader();
  assert.equal(decodeGre(b, 0, b.length, out), 'ok');
  assert.equal(out.protocol, 0x6558);
  assert.equal(out.hasKey, true);
  assert.equal(out.key, 5);
  assert.equal(out.hasSequence, true);
  assert.equal(out.payload, 16);
});

test('gre: sequence only (ERSPAN II framing)', () => {
  // GREv0, Flags [sequence# present], seq 0, proto ERSPAN (0x88be)
  const b = hex('10 00 88 be  00 00 00 00');
  const out = newGreHeader();
  assert.equal(decodeGre(b, 0, b.length, out), 'ok');
  assert.equal(out.protocol, 0x88be);
  assert.equal(out.hasSequence, true);
  assert.equal(out.payload, 8);
});

test('gre: version 1 (PPTP) and RFC 1701 routing are not decoded', () => {
  const out = newGreHeader();
  // GREv1, Flags [key present], proto PPP (0x880b), payload length 0, call 1
  const pptp = hex('20 01 88 0b  00 00 00 01');
  assert.equal(decodeGre(pptp, 0, pptp.length, out), 'malformed');
  // Flags [routing present]
  const routed = hex('40 00 08 00  00 00 00 00');
  assert.equal(decodeGre(routed, 0, routed.length, out), 'malformed');
});

test('gre: optional fields cut short are truncated', () => {
  const b = hex('30 00 08 00  00 00 00 05  00 00');
  const out = newGreHeader();
  assert.equal(decodeGre(b, 0, b.length, out), 'truncated');
  assert.equal(decodeGre(b, 0, 3, out), 'truncated');
});
