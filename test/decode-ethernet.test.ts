import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEthernet, newEthernetHeader } from '../src/decode/ethernet.js';
import { hex } from './decode-hex.js';

// 00:00:00:00:00:01 > 00:00:00:00:00:02, ethertype IPv4 (0x0800), then one payload byte
const FRAME = hex('00 00 00 00 00 02  00 00 00 00 00 01  08 00  45');

test('ethernet: reads the EtherType and where the payload starts', () => {
  const out = newEthernetHeader();
  assert.equal(decodeEthernet(FRAME, 0, FRAME.length, out), 'ok');
  assert.equal(out.etherType, 0x0800);
  assert.equal(out.payload, 14);
});

test('ethernet: honours an offset (inner frames of tunnels start mid-buffer)', () => {
  const shifted = new Uint8Array(FRAME.length + 3);
  shifted.set(FRAME, 3);
  const out = newEthernetHeader();
  assert.equal(decodeEthernet(shifted, 3, shifted.length, out), 'ok');
  assert.equal(out.payload, 17);
});

test('ethernet: a frame cut inside the header is truncated', () => {
  const out = newEthernetHeader();
  // 00:00:00:00:00:01 > 00:00:00:00:00:02, [|ether] (13 bytes)
  assert.equal(decodeEthernet(FRAME, 0, 13, out), 'truncated');
});
