import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSll, decodeSll2, newSllHeader } from '../src/decode/sll.js';
import { hex } from './decode-hex.js';

// Linux cooked v1: In, ARPHRD_ETHER, 6-byte address 00:11:22:33:44:55, ethertype IPv4
const SLL = hex(`
  00 00  00 01  00 06       # packet type 0 (to us), ARPHRD 1, address length 6
  00 11 22 33 44 55 00 00   # link-layer address, padded to 8
  08 00                     # protocol: IPv4
`);

// Linux cooked v2: ethertype IPv6, ifindex 2, ARPHRD_ETHER, outgoing
const SLL2 = hex(`
  86 dd  00 00              # protocol IPv6, reserved
  00 00 00 02               # interface index 2
  00 01  04  06             # ARPHRD 1, packet type 4 (outgoing), address length 6
  00 11 22 33 44 55 00 00   # link-layer address, padded to 8
`);

test('sll: v1 header gives the protocol and a 16-byte offset', () => {
  const out = newSllHeader();
  assert.equal(decodeSll(SLL, 0, SLL.length, out), 'ok');
  assert.equal(out.protocol, 0x0800);
  assert.equal(out.hardwareType, 1);
  assert.equal(out.payload, 16);
});

test('sll: v2 header gives the protocol and a 20-byte offset', () => {
  const out = newSllHeader();
  assert.equal(decodeSll2(SLL2, 0, SLL2.length, out), 'ok');
  assert.equal(out.protocol, 0x86dd);
  assert.equal(out.hardwareType, 1);
  assert.equal(out.payload, 20);
});

test('sll: headers cut short are truncated', () => {
  const out = newSllHeader();
  assert.equal(decodeSll(SLL, 0, 15, out), 'truncated');
  assert.equal(decodeSll2(SLL2, 0, 19, out), 'truncated');
});
