import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMpls, newMplsStack } from '../src/decode/mpls.js';
import { hex } from './decode-hex.js';

// MPLS (label 16, tc 0, ttl 64) (label 17, tc 0, [S], ttl 64), then an IPv4 header
const TWO_LABELS = hex(`
  00 01 00 40     # label 16, not bottom of stack
  00 01 11 40     # label 17, bottom of stack
  45 00           # IPv4 starts
`);

test('mpls: reads entries to the bottom of stack and guesses IPv4 by the nibble', () => {
  const out = newMplsStack();
  assert.equal(decodeMpls(TWO_LABELS, 0, TWO_LABELS.length, 16, out), 'ok');
  assert.equal(out.labels, 2);
  assert.equal(out.payload, 8);
  assert.equal(out.ipVersion, 4);
});

test('mpls: IPv6 under the stack', () => {
  // MPLS (label 100, [S], ttl 255), then IPv6
  const b = hex('00 06 41 ff  60 00');
  const out = newMplsStack();
  assert.equal(decodeMpls(b, 0, b.length, 16, out), 'ok');
  assert.equal(out.ipVersion, 6);
});

test('mpls: a pseudowire control word (nibble 0) is not guessed as IP', () => {
  // MPLS (label 100, [S]), then control word 0x00000000 and an Ethernet frame
  const b = hex('00 06 41 ff  00 00 00 00');
  const out = newMplsStack();
  assert.equal(decodeMpls(b, 0, b.length, 16, out), 'ok');
  assert.equal(out.ipVersion, 0);
});

test('mpls: no bottom of stack within the limit is malformed; cut entry truncated', () => {
  // three entries none of which has S set
  const b = hex('00 01 00 40  00 01 00 40  00 01 00 40');
  const out = newMplsStack();
  assert.equal(decodeMpls(b, 0, b.length, 2, out), 'malformed');
  assert.equal(decodeMpls(b, 0, b.length, 16, out), 'truncated');
  assert.equal(decodeMpls(TWO_LABELS, 0, 6, 16, out), 'truncated');
});
