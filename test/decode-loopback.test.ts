import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLoop, decodeNull, newLoopbackHeader } from '../src/decode/loopback.js';
import { hex } from './decode-hex.js';

test('loopback: NULL family written little-endian (x86 host): AF_INET', () => {
  // AF_INET (2) as 02 00 00 00, then an IPv4 header starts
  const b = hex('02 00 00 00  45');
  const out = newLoopbackHeader();
  assert.equal(decodeNull(b, 0, b.length, out), 'ok');
  assert.equal(out.family, 2);
  assert.equal(out.ipVersion, 4);
  assert.equal(out.payload, 4);
});

test('loopback: NULL family written big-endian (e.g. a SPARC host): AF_INET', () => {
  const b = hex('00 00 00 02  45');
  const out = newLoopbackHeader();
  assert.equal(decodeNull(b, 0, b.length, out), 'ok');
  assert.equal(out.ipVersion, 4);
});

test('loopback: every OS value of AF_INET6 in either byte order', () => {
  const out = newLoopbackHeader();
  for (const family of [24, 28, 30]) {
    const le = Uint8Array.of(family, 0, 0, 0);
    const be = Uint8Array.of(0, 0, 0, family);
    assert.equal(decodeNull(le, 0, 4, out), 'ok');
    assert.equal(out.ipVersion, 6, `LE ${family}`);
    assert.equal(decodeNull(be, 0, 4, out), 'ok');
    assert.equal(out.ipVersion, 6, `BE ${family}`);
  }
});

test('loopback: a family that is not IP is reported as such, not as an error', () => {
  // AF_APPLETALK-ish value 16, little-endian
  const b = hex('10 00 00 00');
  const out = newLoopbackHeader();
  assert.equal(decodeNull(b, 0, b.length, out), 'ok');
  assert.equal(out.ipVersion, 0);
});

test('loopback: OpenBSD LOOP is always network byte order', () => {
  // AF_INET6 (24) big-endian
  const b = hex('00 00 00 18  60');
  const out = newLoopbackHeader();
  assert.equal(decodeLoop(b, 0, b.length, out), 'ok');
  assert.equal(out.ipVersion, 6);
  assert.equal(out.payload, 4);
});

test('loopback: a header cut short is truncated', () => {
  const out = newLoopbackHeader();
  assert.equal(decodeNull(hex('02 00 00'), 0, 3, out), 'truncated');
  assert.equal(decodeLoop(hex('00 00'), 0, 2, out), 'truncated');
});
