import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTcp, newTcpHeader } from '../src/decode/tcp.js';
import { hex } from './decode-hex.js';

// 49152 > 80: Flags [S], seq 0x01020304, win 65535, options [mss 1460,nop,nop,sackOK,...], length 0
const SYN = hex(`
  c0 00 00 50  01 02 03 04  00 00 00 00
  80 02 ff ff  00 00 00 00                 # data offset 8 words (32 bytes), SYN
  02 04 05 b4  01 01 04 02  01 01 01 01    # mss 1460, nop, nop, sackOK, nops
`);

test('tcp: ports, sequence numbers, flags, options skipped', () => {
  const out = newTcpHeader();
  assert.equal(decodeTcp(SYN, 0, SYN.length, SYN.length, out), 'ok');
  assert.equal(out.srcPort, 49152);
  assert.equal(out.dstPort, 80);
  assert.equal(out.seq, 0x01020304);
  assert.equal(out.ack, 0);
  assert.equal(out.flags, 0x02);
  assert.equal(out.payload, 32);
});

test('tcp: large sequence numbers stay unsigned', () => {
  const b = Uint8Array.from(SYN);
  b.set([0xff, 0xff, 0xff, 0xf0], 4);
  const out = newTcpHeader();
  assert.equal(decodeTcp(b, 0, b.length, b.length, out), 'ok');
  assert.equal(out.seq, 0xfffffff0);
});

test('tcp: data offset below 5 words is malformed (bad-tcp-offset)', () => {
  const b = Uint8Array.from(SYN);
  b[12] = 0x40; // 4 words
  const out = newTcpHeader();
  assert.equal(decodeTcp(b, 0, b.length, b.length, out), 'malformed');
});

test('tcp: data offset past the segment length is malformed', () => {
  const b = Uint8Array.from(SYN);
  b[12] = 0xf0; // 60 bytes of header in a 32-byte segment
  const out = newTcpHeader();
  assert.equal(decodeTcp(b, 0, b.length, b.length, out), 'malformed');
});

test('tcp: header cut by the capture (not by the segment) is truncated', () => {
  const out = newTcpHeader();
  // the IP layer says 32 bytes, the capture kept 24
  assert.equal(decodeTcp(SYN, 0, 24, 32, out), 'truncated');
  assert.equal(decodeTcp(SYN, 0, 12, 32, out), 'truncated');
  // a segment shorter than a TCP header is impossible whatever was captured
  assert.equal(decodeTcp(SYN, 0, 12, 12, out), 'malformed');
});
