import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith, type Limits } from '../src/config/limits.js';
import { FragmentReassembler } from '../src/decode/fragments.js';

/** A payload of n bytes counting up from `from`, so misplaced bytes show. */
function bytes(n: number, from = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
}

function setup(over: Partial<Limits> = {}): { r: FragmentReassembler; a: AnomalyCounter } {
  const a = new AnomalyCounter();
  return { r: new FragmentReassembler(limitsWith(over), a), a };
}

const whole = bytes(40);

test('fragments: in order, completed by the last', () => {
  const { r, a } = setup();
  assert.equal(r.add('k', 1, 0, whole.subarray(0, 16), true, 6), null);
  assert.equal(r.add('k', 1, 16, whole.subarray(16, 32), true, 6), null);
  const done = r.add('k', 1, 32, whole.subarray(32), false, 6);
  assert.ok(done !== null);
  assert.equal(done.protocol, 6);
  assert.deepEqual(done.payload, whole);
  assert.equal(r.size, 0);
  assert.equal(r.bytesHeld, 0);
  assert.equal(a.total(), 0);
});

test('fragments: out of order; the protocol comes from the offset-0 fragment', () => {
  const { r } = setup();
  assert.equal(r.add('k', 1, 32, whole.subarray(32), false, 0), null);
  assert.equal(r.add('k', 1, 16, whole.subarray(16, 32), true, 0), null);
  const done = r.add('k', 1, 0, whole.subarray(0, 16), true, 17);
  assert.equal(done?.protocol, 17);
  assert.deepEqual(done?.payload, whole);
});

test('fragments: fragments are copied, so the packet buffer may be reused', () => {
  const { r } = setup();
  const first = Uint8Array.from(whole.subarray(0, 16));
  r.add('k', 1, 0, first, true, 6);
  first.fill(0xee);
  const done = r.add('k', 1, 16, whole.subarray(16), false, 6);
  assert.deepEqual(done?.payload, whole);
});

test('fragments: overlaps keep the first bytes and count fragment-overlap', () => {
  const { r, a } = setup();
  r.add('k', 1, 0, whole.subarray(0, 24), true, 6);
  // a second copy of [16, 40) with different bytes: 16..23 overlap, 24..39 new
  const liar = bytes(24, 200);
  const done = r.add('k', 1, 16, liar, false, 6);
  assert.ok(done !== null);
  assert.deepEqual(done.payload.subarray(0, 24), whole.subarray(0, 24));
  assert.deepEqual(done.payload.subarray(24), liar.subarray(8));
  assert.equal(a.counts['fragment-overlap'], 1);
});

test('fragments: datagrams are kept apart by key', () => {
  const { r } = setup();
  r.add('a', 1, 0, whole.subarray(0, 16), true, 6);
  r.add('b', 1, 0, bytes(16, 100), true, 6);
  const b = r.add('b', 1, 16, bytes(8, 116), false, 6);
  assert.deepEqual(b?.payload, bytes(24, 100));
  assert.equal(r.size, 1);
});

test('fragments: timeout in capture time drops the datagram (fragment-timeout)', () => {
  const { r, a } = setup({ fragmentTimeoutSec: 30 });
  r.add('old', 100, 0, whole.subarray(0, 16), true, 6);
  r.add('new', 125, 0, whole.subarray(0, 16), true, 6);
  r.expire(129);
  assert.equal(r.size, 2);
  r.expire(131);
  assert.equal(r.size, 1);
  assert.equal(a.counts['fragment-timeout'], 1);
  // the rest of 'old' now starts a datagram that never completes
  assert.equal(r.add('old', 131, 16, whole.subarray(16), false, 6), null);
  r.finish();
  assert.equal(r.size, 0);
  assert.equal(a.counts['fragment-timeout'], 3);
});

test('fragments: the datagram limit evicts the oldest (fragment-limit)', () => {
  const { r, a } = setup({ maxFragmentDatagrams: 2 });
  r.add('1', 1, 0, whole.subarray(0, 8), true, 6);
  r.add('2', 1, 0, whole.subarray(0, 8), true, 6);
  r.add('3', 1, 0, whole.subarray(0, 8), true, 6);
  assert.equal(r.size, 2);
  assert.equal(a.counts['fragment-limit'], 1);
  assert.equal(r.add('1', 1, 8, whole.subarray(8, 16), false, 6), null, '1 was evicted');
});

test('fragments: the byte limit bounds memory and evicts the oldest', () => {
  const { r, a } = setup({ maxFragmentBytes: 6000 });
  r.add('1', 1, 0, bytes(2000), true, 6);
  r.add('2', 1, 0, bytes(2000), true, 6);
  assert.ok(r.bytesHeld <= 6000);
  r.add('3', 1, 0, bytes(2000), true, 6);
  assert.ok(r.bytesHeld <= 6000, `held ${r.bytesHeld}`);
  assert.ok((a.counts['fragment-limit'] ?? 0) >= 1);
  // a datagram that alone cannot fit is dropped
  const { r: small, a: a2 } = setup({ maxFragmentBytes: 1000 });
  assert.equal(small.add('x', 1, 0, bytes(1600), true, 6), null);
  assert.equal(small.size, 0);
  assert.equal(a2.counts['fragment-limit'], 1);
});

test('fragments: impossible fragments are refused (bad-ip-header)', () => {
  const { r, a } = setup();
  // not a multiple of 8 while more fragments follow
  assert.equal(r.add('k', 1, 0, bytes(10), true, 6), null);
  // past the largest datagram IP can describe
  assert.equal(r.add('k', 1, 65528, bytes(16), false, 6), null);
  // a fragment beyond the end a last fragment already fixed
  r.add('k', 1, 8, bytes(8), false, 6);
  assert.equal(r.add('k', 1, 16, bytes(8), true, 6), null);
  // a second "last" fragment that disagrees on the end
  assert.equal(r.add('k', 1, 0, bytes(8), false, 6), null);
  assert.equal(a.counts['bad-ip-header'], 4);
  // the consistent rest still completes it
  assert.deepEqual(r.add('k', 1, 0, bytes(8), true, 6)?.payload.length, 16);
});
