import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUdp, newUdpHeader } from '../src/decode/udp.js';
import { hex } from './decode-hex.js';

// 51000 > 4789: UDP, length 12 (4 bytes of payload), then 2 bytes of padding
const UDP = hex('c7 38 12 b5 00 0c 00 00  de ad be ef  00 00');

test('udp: ports and payload trimmed to the UDP length', () => {
  const out = newUdpHeader();
  assert.equal(decodeUdp(UDP, 0, UDP.length, out), 'ok');
  assert.equal(out.srcPort, 51000);
  assert.equal(out.dstPort, 4789);
  assert.equal(out.payload, 8);
  assert.equal(out.payloadEnd, 12);
});

test('udp: length below the header is malformed; a cut header truncated', () => {
  const bad = Uint8Array.from(UDP);
  bad[5] = 4;
  const out = newUdpHeader();
  assert.equal(decodeUdp(bad, 0, bad.length, out), 'malformed');
  assert.equal(decodeUdp(UDP, 0, 7, out), 'truncated');
});
