import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVlanStack, newVlanStack } from '../src/decode/vlan.js';
import { hex } from './decode-hex.js';

// The bytes after an Ethernet header whose EtherType was 0x88a8:
// ethertype 802.1Q-QinQ, vlan 100, p 0, ethertype 802.1Q, vlan 200, p 5, ethertype IPv4
const QINQ = hex(`
  00 64 81 00   # S-tag: vlan 100, next 802.1Q
  a0 c8 08 00   # C-tag: pcp 5, vlan 200, next IPv4
  45            # first byte of the IPv4 header
`);

test('vlan: peels a QinQ stack and reports the outer id and inner EtherType', () => {
  const out = newVlanStack();
  assert.equal(decodeVlanStack(QINQ, 0, QINQ.length, 0x88a8, 8, out), 'ok');
  assert.equal(out.tags, 2);
  assert.equal(out.outerId, 100);
  assert.equal(out.etherType, 0x0800);
  assert.equal(out.payload, 8);
});

test('vlan: a single 802.1Q tag', () => {
  // vlan 7, p 0, ethertype IPv6
  const one = hex('00 07 86 dd');
  const out = newVlanStack();
  assert.equal(decodeVlanStack(one, 0, one.length, 0x8100, 8, out), 'ok');
  assert.equal(out.tags, 1);
  assert.equal(out.outerId, 7);
  assert.equal(out.etherType, 0x86dd);
});

test('vlan: more tags than the limit is malformed', () => {
  // three stacked 802.1Q tags (vlans 1, 2, 3), then IPv4
  const three = hex('00 01 81 00  00 02 81 00  00 03 08 00');
  const out = newVlanStack();
  assert.equal(decodeVlanStack(three, 0, three.length, 0x8100, 2, out), 'malformed');
  assert.equal(decodeVlanStack(three, 0, three.length, 0x8100, 3, out), 'ok');
});

test('vlan: a tag cut short is truncated', () => {
  const out = newVlanStack();
  // vlan 100, [|vlan]
  assert.equal(decodeVlanStack(QINQ, 0, 6, 0x88a8, 8, out), 'truncated');
});
