import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGeneve, newGeneveHeader } from '../src/decode/geneve.js';
import { hex } from './decode-hex.js';

// Geneve, ver 0, opt len 3 words (12 bytes), protocol Transparent Ethernet Bridging,
// vni 0x0c012e; options: class 0x0102 type 0x80 len 1 word, class 0x0103 type 0x01 len 0
const GENEVE = hex(`
  03 00 65 58  0c 01 2e 00       # ver 0, optlen 3; proto 0x6558; VNI 786734
  01 02 80 01  aa bb cc dd       # option 1 with 4 bytes of data
  01 03 01 00                    # option 2, no data
`);

test('geneve: skips the options by their total length', () => {
  const out = newGeneveHeader();
  assert.equal(decodeGeneve(GENEVE, 0, GENEVE.length, out), 'ok');
  assert.equal(out.protocol, 0x6558);
  assert.equal(out.vni, 786734);
  assert.equal(out.payload, 20);
});

test('geneve: an IP payload is named by its EtherType', () => {
  // ver 0, no options, protocol IPv4, vni 1
  const b = hex('00 00 08 00  00 00 01 00');
  const out = newGeneveHeader();
  assert.equal(decodeGeneve(b, 0, b.length, out), 'ok');
  assert.equal(out.protocol, 0x0800);
  assert.equal(out.payload, 8);
});

test('geneve: unknown version is malformed; options past the end truncated', () => {
  const out = newGeneveHeader();
  const v1 = Uint8Array.from(GENEVE);
  v1[0] = 0x43; // version 1
  assert.equal(decodeGeneve(v1, 0, v1.length, out), 'malformed');
  assert.equal(decodeGeneve(GENEVE, 0, 16, out), 'truncated');
});
