import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isShadowtapError } from '../src/errors.js';
import { openCapture } from '../src/source/open.js';
import { hex } from './decode-hex.js';
import {
  corpusTest, PCAPS, readAll, sourcesPacketCounts, TRAFFIC, withTempDir,
} from './source-helpers.js';

/** Writes pcapng blocks in one byte order, so both orders are tested from the same script. */
class Blocks {
  constructor(readonly le: boolean) {}

  u16(n: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(n);
    else b.writeUInt16BE(n);
    return b;
  }

  u32(n: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(n >>> 0);
    else b.writeUInt32BE(n >>> 0);
    return b;
  }

  /** type, total length, body padded to 4, total length again. */
  block(type: number, body: Buffer): Buffer {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    const len = padded.length + 12;
    return Buffer.concat([this.u32(type), this.u32(len), padded, this.u32(len)]);
  }

  option(code: number, value: Buffer): Buffer {
    const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
    return Buffer.concat([this.u16(code), this.u16(value.length), value, pad]);
  }

  shb(): Buffer {
    const body = [this.u32(0x1a2b3c4d), this.u16(1), this.u16(0), Buffer.alloc(8, 0xff)];
    return this.block(0x0a0d0d0a, Buffer.concat(body));
  }

  idb(linkType: number, snaplen: number, options: Buffer[] = []): Buffer {
    const end = options.length > 0 ? [this.u32(0)] : [];
    const head = [this.u16(linkType), this.u16(0), this.u32(snaplen)];
    return this.block(1, Buffer.concat([...head, ...options, ...end]));
  }

  /** EPB with a 64-bit tick count. */
  epb(iface: number, ticks: bigint, data: Buffer, origLen = data.length): Buffer {
    const hi = Number(ticks >> 32n);
    const lo = Number(ticks & 0xffffffffn);
    const head = [this.u32(iface), this.u32(hi), this.u32(lo), this.u32(data.length)];
    return this.block(6, Buffer.concat([...head, this.u32(origLen), data]));
  }

  /** The obsolete Packet Block: 16-bit interface id and drop count, then as an EPB. */
  pb(iface: number, ticks: bigint, data: Buffer): Buffer {
    const hi = Number(ticks >> 32n);
    const lo = Number(ticks & 0xffffffffn);
    const head = [this.u16(iface), this.u16(0), this.u32(hi), this.u32(lo)];
    const lengths = [this.u32(data.length), this.u32(data.length)];
    return this.block(2, Buffer.concat([...head, ...lengths, data]));
  }

  spb(data: Buffer): Buffer {
    return this.block(3, Buffer.concat([this.u32(data.length), data]));
  }
}

/** if_tsoffset value: a signed 64-bit count of seconds in the section's order. */
function tsOffset(b: Blocks, seconds: number): Buffer {
  const v = Buffer.alloc(8);
  if (b.le) v.writeBigInt64LE(BigInt(seconds));
  else v.writeBigInt64BE(BigInt(seconds));
  return v;
}

/**
 * One section, two interfaces:
 * if 0: Ethernet, snaplen 64, if_tsresol 9 (ns)
 * if 1: raw IP, snaplen 0, if_tsresol 0x94 (2^-20 s), if_tsoffset 1000 s
 * then: EPB if 0 at 1700000000.123456789; a custom block; a Name Resolution Block;
 * EPB if 1 at 5.5 ticks-seconds (+1000); SPB of 100 bytes (kept: 64, interface 0's snaplen).
 */
function twoInterfaces(le: boolean): Buffer {
  const b = new Blocks(le);
  return Buffer.concat([
    b.shb(),
    b.idb(1, 64, [b.option(9, Buffer.of(9))]),
    b.idb(101, 0, [b.option(9, Buffer.of(0x94)), b.option(14, tsOffset(b, 1000))]),
    b.epb(0, 1700000000123456789n, Buffer.from('ethernet frame'), 60),
    b.block(0x00000bad, Buffer.from('custom data, PEN first')),
    b.block(4, Buffer.alloc(4)), // NRB holding only its end record: known, ignored
    b.epb(1, 5n * 2n ** 20n + 2n ** 19n, Buffer.from('raw ip')),
    b.spb(Buffer.alloc(100, 0xab)),
  ]);
}

for (const le of [true, false]) {
  const order = le ? 'LE' : 'BE';
  test(`pcapng: two interfaces, different link types and resolutions (${order})`, async () => {
    await withTempDir(async (dir) => {
      const f = join(dir, 'two.pcapng');
      writeFileSync(f, twoInterfaces(le));
      const { packets, summary } = await readAll(f);
      assert.equal(summary.format, 'pcapng');
      assert.equal(summary.truncatedAt, undefined);
      assert.deepEqual(
        packets.map((p) => [p.index, p.linkType, p.data.length, p.origLen]),
        [
          [1, 1, 14, 60],
          [2, 101, 6, 6],
          [3, 1, 64, 100],
        ],
      );
      assert.equal(packets[0]!.ts, 1700000000 + 123456789 / 1e9);
      assert.equal(packets[0]!.data.toString(), 'ethernet frame');
      assert.equal(packets[1]!.ts, 1005.5);
      assert.equal(packets[2]!.ts, packets[1]!.ts, 'SPB has no time: the previous is used');
      assert.deepEqual(summary.warnings, ['skipped 1 custom pcapng block(s) of type 0x00000bad']);
    });
  });
}

test('pcapng: a new section resets interfaces and may switch byte order', async () => {
  await withTempDir(async (dir) => {
    const le = new Blocks(true);
    const be = new Blocks(false);
    const file = Buffer.concat([
      le.shb(),
      le.idb(1, 0),
      le.epb(0, 1000000n, Buffer.from('a')),
      be.shb(),
      be.idb(113, 0),
      be.epb(0, 2000000n, Buffer.from('b')),
      be.epb(1, 3000000n, Buffer.from('c')), // interface 1 existed only in section 1
    ]);
    const f = join(dir, 'sections.pcapng');
    writeFileSync(f, file);
    const { packets, summary } = await readAll(f);
    assert.deepEqual(
      packets.map((p) => [p.linkType, p.ts, p.data.toString()]),
      [
        [1, 1, 'a'],
        [113, 2, 'b'],
      ],
    );
    assert.deepEqual(summary.warnings, ['skipped 1 packet block(s) naming an undefined interface']);
  });
});

test('pcapng: the obsolete Packet Block is read like an EPB', async () => {
  await withTempDir(async (dir) => {
    for (const le of [true, false]) {
      const b = new Blocks(le);
      const f = join(dir, `pb-${le}.pcapng`);
      const pb = b.pb(1, 2500000n, Buffer.from('pb'));
      writeFileSync(f, Buffer.concat([b.shb(), b.idb(0, 0), b.idb(1, 0), pb]));
      const { packets } = await readAll(f);
      assert.deepEqual(
        packets.map((p) => [p.linkType, p.ts, p.data.toString()]),
        [[1, 2.5, 'pb']],
      );
    }
  });
});

test('pcapng: the smallest file written out in hex', async () => {
  // SHB (LE, v1.0, section length -1) / IDB (Ethernet, snaplen 65535) /
  // EPB (if 0, ts 0x00000000:0x000f4241 = 1.000001 s, 4 of 4 bytes)
  const bytes = hex(`
    0a 0d 0d 0a  1c 00 00 00  4d 3c 2b 1a  01 00 00 00  ff ff ff ff ff ff ff ff  1c 00 00 00
    01 00 00 00  14 00 00 00  01 00 00 00  ff ff 00 00  14 00 00 00
    06 00 00 00  24 00 00 00  00 00 00 00  00 00 00 00  41 42 0f 00
    04 00 00 00  04 00 00 00  de ad be ef  24 00 00 00
  `);
  await withTempDir(async (dir) => {
    const f = join(dir, 'min.pcapng');
    writeFileSync(f, bytes);
    const { packets } = await readAll(f);
    assert.equal(packets.length, 1);
    assert.equal(packets[0]!.ts, 1.000001);
    assert.equal(packets[0]!.data.toString('hex'), 'deadbeef');
  });
});

corpusTest('pcapng: corpus files read with the packet count SOURCES.md gives', async () => {
  const counts = sourcesPacketCounts();
  const files = readdirSync(PCAPS).filter((f) => f.endsWith('.pcapng'));
  assert.ok(files.length > 0);
  for (const f of files) {
    const { summary } = await readAll(join(PCAPS, f));
    assert.equal(summary.packets, counts.get(f), f);
    assert.equal(summary.truncatedAt, undefined, f);
  }
});

corpusTest('pcapng: big-endian, three sections, per-interface link types, SPB snaplen',
  async () => {
  const { packets, summary } = await readAll(join(PCAPS, 'pcapng-be-multisection.pcapng'));
  // tshark: frame.interface_id / frame.cap_len / frame.len for each packet block
  assert.deepEqual(
    packets.map((p) => [p.linkType, p.data.length, p.origLen]),
    [
      [1, 96, 314],
      [1, 96, 342],
      [0, 168, 168],
      [1, 128, 314], // SPB: kept up to interface 0's snaplen (128) of section 2
      [1, 128, 342],
      [1, 128, 314], // SPB
      [1, 128, 342],
      [0, 168, 168],
    ],
  );
  assert.equal(packets[0]!.ts, 1340954905.298858);
  assert.equal(packets[2]!.ts, 1340954905.301858);
  assert.equal(summary.warnings.length, 2);
  assert.ok(summary.warnings.every((w) => w.includes('custom pcapng block')));
});

corpusTest('pcapng: blocks straddling chunk boundaries read the same as whole chunks', async () => {
  for (const f of [
    join(PCAPS, 'pcapng-dvwa-nsec.pcapng'),
    join(PCAPS, 'pcapng-be-multisection.pcapng'),
  ]) {
    const whole = await readAll(f);
    for (const chunkBytes of [13, 50, 999]) {
      const split = await readAll(f, { chunkBytes, batchPackets: 5 });
      assert.deepEqual(split.packets, whole.packets, `${f} in ${chunkBytes}-byte chunks`);
      assert.deepEqual(split.summary.warnings, whole.summary.warnings);
    }
  }
});

corpusTest('pcapng: nanosecond resolution keeps whole seconds exact', async () => {
  const { packets } = await readAll(join(PCAPS, 'pcapng-dvwa-nsec.pcapng'));
  // tshark -T fields -e frame.time_epoch: 1730145002.900383409
  assert.equal(Math.floor(packets[0]!.ts), 1730145002);
  assert.ok(Math.abs(packets[0]!.ts - 1730145002.900383409) < 1e-6);
  const traffic = await readAll(join(TRAFFIC, 'museum', 'capture.pcapng'));
  assert.ok(traffic.packets.length > 0);
});

test('pcapng: an unknown block bigger than the read chunk is streamed past', async () => {
  await withTempDir(async (dir) => {
    const b = new Blocks(true);
    const file = Buffer.concat([
      b.shb(),
      b.idb(1, 0),
      b.block(0x80000001, Buffer.alloc(3 << 20)), // a 3 MiB local-use block
      b.epb(0, 7000000n, Buffer.from('after')),
    ]);
    const f = join(dir, 'big-block.pcapng');
    writeFileSync(f, file);
    const { packets, summary } = await readAll(f, { chunkBytes: 4096 });
    assert.deepEqual(packets.map((p) => p.data.toString()), ['after']);
    assert.deepEqual(summary.warnings, ['skipped 1 unknown pcapng block(s) of type 0x80000001']);
  });
});

test('pcapng: a cut or corrupt tail keeps what came before', async () => {
  await withTempDir(async (dir) => {
    const good = twoInterfaces(true);
    const b = new Blocks(true);
    const last = b.spb(Buffer.alloc(100, 0xab)).length;

    const cut = join(dir, 'cut.pcapng');
    writeFileSync(cut, good.subarray(0, good.length - 10));
    const c = await readAll(cut);
    assert.equal(c.packets.length, 2);
    assert.deepEqual(
      [c.summary.truncatedAt?.packet, c.summary.truncatedAt?.offset],
      [3, good.length - last],
    );

    const badLen = Buffer.concat([good, b.u32(6), b.u32(13), Buffer.alloc(8)]);
    const l = join(dir, 'bad-length.pcapng');
    writeFileSync(l, badLen);
    const r = await readAll(l);
    assert.equal(r.packets.length, 3);
    assert.match(r.summary.truncatedAt?.detail ?? '', /block length 13/);

    const mismatch = Buffer.from(good);
    mismatch.writeUInt32LE(999, mismatch.length - 4); // trailing length of the SPB
    const m = join(dir, 'mismatch.pcapng');
    writeFileSync(m, mismatch);
    const mm = await readAll(m);
    assert.equal(mm.packets.length, 2);
    assert.match(mm.summary.truncatedAt?.detail ?? '', /mismatched/);

    const absurd = Buffer.concat([b.shb(), b.idb(1, 0), b.epb(0, 1n, Buffer.alloc(8))]);
    absurd.writeUInt32LE(1 << 20, absurd.length - 8 - 4 - 8); // captured length 1 MiB
    const a = join(dir, 'absurd.pcapng');
    writeFileSync(a, absurd);
    const aa = await readAll(a);
    assert.equal(aa.packets.length, 0);
    assert.match(aa.summary.truncatedAt?.detail ?? '', /1048576 captured bytes/);
  });
});

corpusTest('pcapng: a broken first section header is an operator error', async () => {
  await withTempDir(async (dir) => {
    const good = twoInterfaces(true);
    const bom = Buffer.from(good);
    bom.writeUInt32LE(0x12345678, 8);
    const f = join(dir, 'bom.pcapng');
    writeFileSync(f, bom);
    await assert.rejects(openCapture(f), (e: unknown) => {
      assert.ok(isShadowtapError(e));
      assert.equal(e.code, 'bad-capture');
      assert.ok(e.message.startsWith(f));
      assert.match(e.message, /byte-order magic 78 56 34 12/);
      return true;
    });
    const g = join(dir, 'short.pcapng');
    writeFileSync(g, readFileSync(join(PCAPS, 'pcapng-dvwa-nsec.pcapng')).subarray(0, 20));
    await assert.rejects(openCapture(g), /first pcapng section header/);
  });
});

corpusTest('regression: a pcapng whose every interface has an unknown link type is an error',
  async () => {
    await withTempDir(async (dir) => {
      const bytes = Buffer.from(readFileSync(join(PCAPS, 'pcapng-dvwa-nsec.pcapng')));
      // Little-endian file: the SHB's length is at offset 4; the IDB follows it, and
      // its link type is the 16-bit field 8 bytes into the block.
      const shbLen = bytes.readUInt32LE(4);
      assert.equal(bytes.readUInt32LE(shbLen), 1, 'an IDB follows the section header');
      bytes.writeUInt16LE(4242, shbLen + 8);
      const file = join(dir, 'unknown-link.pcapng');
      writeFileSync(file, bytes);
      await assert.rejects(readAll(file), (e: unknown) =>
        isShadowtapError(e) && e.code === 'unknown-link-type' && e.message.includes(file) &&
        e.message.includes('4242'));
    });
  });
