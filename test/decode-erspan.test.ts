import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeErspan2, decodeErspan3, newErspanHeader } from '../src/decode/erspan.js';
import { hex } from './decode-hex.js';

test('erspan: type II header: session id, Ethernet follows 8 bytes later', () => {
  // ERSPAN II, vlan 7, cos 0, en 0, t 0, session 5, index 18
  const b = hex('10 07 00 05  00 00 00 12');
  const out = newErspanHeader();
  assert.equal(decodeErspan2(b, 0, b.length, out), 'ok');
  assert.equal(out.sessionId, 5);
  assert.equal(out.ipPayload, false);
  assert.equal(out.payload, 8);
});

test('erspan: type III with the optional platform sub-header', () => {
  // ERSPAN III, vlan 10, session 0, timestamp 0x70507e55, sgt 0,
  // P 0, FT 0 (Ethernet), hw 0, D 0, gra 3, O 1; then 8 bytes of platform sub-header
  const b = hex(`
    20 0a 00 00  70 50 7e 55  00 00 00 07
    0c 00 00 03  15 f7 42 e8               # platform id 3, port 3, upper timestamp
  `);
  const out = newErspanHeader();
  assert.equal(decodeErspan3(b, 0, b.length, out), 'ok');
  assert.equal(out.sessionId, 0);
  assert.equal(out.ipPayload, false);
  assert.equal(out.payload, 20);
});

test('erspan: type III without sub-header and with an IP frame type', () => {
  // ERSPAN III, session 0x3ff, FT 2 (IP) -> byte 10 = 0b00001000, O 0
  const b = hex('20 00 03 ff  00 00 00 00  00 00 08 00');
  const out = newErspanHeader();
  assert.equal(decodeErspan3(b, 0, b.length, out), 'ok');
  assert.equal(out.sessionId, 0x3ff);
  assert.equal(out.ipPayload, true);
  assert.equal(out.payload, 12);
});

test('erspan: wrong version nibble or unknown frame type is malformed', () => {
  const out = newErspanHeader();
  const v3in2 = hex('20 07 00 05  00 00 00 12');
  assert.equal(decodeErspan2(v3in2, 0, v3in2.length, out), 'malformed');
  const v2in3 = hex('10 00 00 00  00 00 00 00  00 00 00 00');
  assert.equal(decodeErspan3(v2in3, 0, v2in3.length, out), 'malformed');
  // FT 1 (reserved)
  const ft1 = hex('20 00 00 00  00 00 00 00  00 00 04 00');
  assert.equal(decodeErspan3(ft1, 0, ft1.length, out), 'malformed');
});

test('erspan: cut headers (and a cut sub-header) are truncated', () => {
  const out = newErspanHeader();
  assert.equal(decodeErspan2(hex('10 07 00 05 00 00 00'), 0, 7, out), 'truncated');
  const withSub = hex('20 0a 00 00  70 50 7e 55  00 00 00 07  0c 00');
  assert.equal(decodeErspan3(withSub, 0, withSub.length, out), 'truncated');
});
