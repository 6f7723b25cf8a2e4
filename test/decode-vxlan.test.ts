import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVxlan, newVxlanHeader } from '../src/decode/vxlan.js';
import { hex } from './decode-hex.js';

// VXLAN, flags [I] (0x08), vni 4242, then the inner Ethernet frame would start
const VXLAN = hex('08 00 00 00  00 10 92 00');

test('vxlan: reads the VNI; the inner frame follows the 8-byte header', () => {
  const out = newVxlanHeader();
  assert.equal(decodeVxlan(VXLAN, 0, VXLAN.length, out), 'ok');
  assert.equal(out.vni, 4242);
  assert.equal(out.payload, 8);
});

test('vxlan: without the I flag the VNI means nothing: malformed', () => {
  const b = Uint8Array.from(VXLAN);
  b[0] = 0x00;
  const out = newVxlanHeader();
  assert.equal(decodeVxlan(b, 0, b.length, out), 'malformed');
});

test('vxlan: cut header is truncated', () => {
  const out = newVxlanHeader();
  assert.equal(decodeVxlan(VXLAN, 0, 7, out), 'truncated');
});
