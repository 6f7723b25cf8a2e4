import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isShadowtapError } from '../src/errors.js';
import { openCapture } from '../src/source/open.js';
import { hex } from './decode-hex.js';
import {
  corpusTest, PCAPS, readAll, sourcesPacketCounts, TRAFFIC, withTempDir,
} from './source-helpers.js';

/** Asserts that `p` rejects with a ShadowtapError of `code` whose message matches all `parts`. */
async function rejectsWith(p: Promise<unknown>, code: string, parts: (string | RegExp)[]) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isShadowtapError(e), `a ShadowtapError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.ok(!e.message.includes('\n'), 'one line');
    for (const part of parts) {
      if (typeof part !== 'string') assert.match(e.message, part);
      else assert.ok(e.message.includes(part), `"${e.message}" has "${part}"`);
    }
    return true;
  });
}

// Little-endian µs pcap, Ethernet, snaplen 65535; two records:
// 1: ts 1700000000.000001, 4 bytes captured of 60 on the wire
// 2: ts 1700000000.999999, 2 bytes
const LE_US = hex(`
  d4 c3 b2 a1  02 00 04 00  00 00 00 00  00 00 00 00  ff ff 00 00  01 00 00 00
  00 f1 53 65  01 00 00 00  04 00 00 00  3c 00 00 00   de ad be ef
  00 f1 53 65  3f 42 0f 00  02 00 00 00  02 00 00 00   ca fe
`);

// Big-endian ns pcap, raw IP (101), snaplen 96; one record:
// ts 1700000000.123456789, 3 bytes of 3
const BE_NS = hex(`
  a1 b2 3c 4d  00 02 00 04  00 00 00 00  00 00 00 00  00 00 00 60  00 00 00 65
  65 53 f1 00  07 5b cd 15  00 00 00 03  00 00 00 03   45 00 00
`);

test('pcap: little-endian µs records from bytes', async () => {
  await withTempDir(async (dir) => {
    const f = join(dir, 'le.pcap');
    writeFileSync(f, LE_US);
    const { packets, summary } = await readAll(f);
    assert.equal(summary.format, 'pcap');
    assert.equal(summary.compressed, false);
    assert.equal(summary.packets, 2);
    assert.equal(summary.bytes, 6);
    assert.deepEqual(
      packets.map((p) => [p.index, p.linkType, p.ts, p.data.toString('hex'), p.origLen]),
      [
        [1, 1, 1700000000.000001, 'deadbeef', 60],
        [2, 1, 1700000000.999999, 'cafe', 2],
      ],
    );
  });
});

test('pcap: big-endian ns records from bytes', async () => {
  await withTempDir(async (dir) => {
    const f = join(dir, 'be.pcap');
    writeFileSync(f, BE_NS);
    const { packets } = await readAll(f);
    assert.equal(packets.length, 1);
    assert.equal(packets[0]!.linkType, 101);
    assert.equal(packets[0]!.ts, 1700000000 + 123456789 / 1e9);
    assert.equal(packets[0]!.data.toString('hex'), '450000');
  });
});

corpusTest('pcap: every corpus capture reads with the packet count SOURCES.md gives', async () => {
  const counts = sourcesPacketCounts();
  const files = readdirSync(PCAPS).filter((f) => /\.pcap(\.gz)?$/.test(f));
  assert.ok(files.length > 0);
  for (const f of files) {
    const expected = counts.get(f);
    assert.ok(expected !== undefined, `${f} is listed in SOURCES.md`);
    const { summary } = await readAll(join(PCAPS, f));
    assert.equal(summary.packets, expected, f);
    assert.equal(summary.truncatedAt, undefined, f);
    assert.equal(summary.compressed, f.endsWith('.gz'), f);
  }
});

corpusTest('pcap: traffic variants agree: pcap, pcapng, ns pcap and vxlan', async () => {
  const dirs = readdirSync(TRAFFIC).filter((d) => existsSync(join(TRAFFIC, d, 'capture.pcap')));
  assert.ok(dirs.length > 0);
  for (const d of dirs) {
    const base = await readAll(join(TRAFFIC, d, 'capture.pcap'));
    const nsec = await readAll(join(TRAFFIC, d, 'capture.nsec.pcap'));
    const ng = await readAll(join(TRAFFIC, d, 'capture.pcapng'));
    assert.ok(base.packets.length > 0);
    for (const other of [nsec, ng]) {
      assert.equal(other.packets.length, base.packets.length, d);
      other.packets.forEach((p, i) => {
        const q = base.packets[i]!;
        assert.equal(p.ts, q.ts, `${d} packet ${i + 1} time`);
        assert.ok(p.data.equals(q.data), `${d} packet ${i + 1} bytes`);
      });
    }
    const vxlan = join(TRAFFIC, d, 'capture.vxlan.pcap');
    if (existsSync(vxlan)) {
      const v = await readAll(vxlan);
      assert.equal(v.packets.length, base.packets.length);
      v.packets.forEach((p, i) => assert.equal(p.ts, base.packets[i]!.ts));
    }
    const mss = await readAll(join(TRAFFIC, d, 'capture.mss.pcap'));
    assert.ok(mss.packets.length >= base.packets.length);
    assert.equal(mss.summary.truncatedAt, undefined);
  }
});

corpusTest('pcap: records straddling chunk boundaries read the same as whole chunks', async () => {
  const f = join(PCAPS, 'keepalive-bro-org.pcap');
  const whole = await readAll(f);
  for (const chunkBytes of [17, 61, 1500]) {
    const split = await readAll(f, { chunkBytes, batchPackets: 7 });
    assert.equal(split.packets.length, whole.packets.length);
    assert.ok(split.batches > whole.batches);
    split.packets.forEach((p, i) => assert.deepEqual(p, whole.packets[i]));
  }
});

corpusTest('pcap: gzip-compressed input is read as a stream and gives the same packets',
  async () => {
  await withTempDir(async (dir) => {
    const plain = join(PCAPS, 'pipelined-requests.pcap');
    const gz = join(dir, 'pipelined.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    const a = await readAll(plain);
    const b = await readAll(gz, { chunkBytes: 333 });
    assert.equal(b.summary.compressed, true);
    assert.equal(b.summary.format, 'pcap');
    assert.deepEqual(b.packets, a.packets);
  });
});

corpusTest('pcap: a gzip file cut short keeps the packets before the cut', async () => {
  await withTempDir(async (dir) => {
    const src = readFileSync(join(PCAPS, '1000-requests-one-dropped-response.pcap.gz'));
    const cut = join(dir, 'cut.pcap.gz');
    writeFileSync(cut, src.subarray(0, Math.floor(src.length / 2)));
    const { summary } = await readAll(cut);
    assert.ok(summary.packets > 100 && summary.packets < 4102, `${summary.packets}`);
    assert.ok(summary.truncatedAt !== undefined);
    assert.equal(summary.truncatedAt.packet, summary.packets + 1);
  });
});

/** Offsets of the record starts of a µs little-endian pcap, after the file header. */
function recordStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 24; at + 16 <= bytes.length; at += 16 + bytes.readUInt32LE(at + 8)) starts.push(at);
  return starts;
}

corpusTest('pcap: a file cut inside a record keeps every packet before it', async () => {
  await withTempDir(async (dir) => {
    const src = readFileSync(join(PCAPS, 'gzip-response.pcap'));
    const starts = recordStarts(src);
    const k = 9; // cut inside record 10
    for (const [into, what] of [
      [20, 'inside a record'],
      [7, 'record header'],
    ] as const) {
      const f = join(dir, `cut-${into}.pcap`);
      writeFileSync(f, src.subarray(0, starts[k]! + into));
      const { packets, summary } = await readAll(f);
      assert.equal(packets.length, k);
      assert.equal(summary.packets, k);
      assert.deepEqual(
        { packet: summary.truncatedAt?.packet, offset: summary.truncatedAt?.offset },
        { packet: k + 1, offset: starts[k] },
      );
      assert.ok(summary.truncatedAt?.detail.includes(what), summary.truncatedAt?.detail);
    }
  });
});

corpusTest('pcap: a garbage tail or an absurd length ends reading, keeping the rest', async () => {
  await withTempDir(async (dir) => {
    const src = readFileSync(join(PCAPS, 'gzip-response.pcap'));
    const tail = join(dir, 'tail.pcap');
    writeFileSync(tail, Buffer.concat([src, Buffer.alloc(40, 0xff)]));
    const t = await readAll(tail);
    assert.equal(t.packets.length, 14);
    assert.equal(t.summary.truncatedAt?.offset, src.length);
    assert.match(t.summary.truncatedAt?.detail ?? '', /corruption/);

    const starts = recordStarts(src);
    const absurd = Buffer.from(src);
    absurd.writeUInt32LE(1 << 20, starts[2]! + 8); // record 3 claims 1 MiB captured
    const f = join(dir, 'absurd.pcap');
    writeFileSync(f, absurd);
    const a = await readAll(f);
    assert.equal(a.packets.length, 2);
    assert.equal(a.summary.truncatedAt?.packet, 3);
    assert.match(a.summary.truncatedAt?.detail ?? '', /1048576/);
  });
});

test('pcap: operator errors are typed, one line, and name the file', async () => {
  await withTempDir(async (dir) => {
    const missing = join(dir, 'nope.pcap');
    await rejectsWith(openCapture(missing), 'file-not-found', [missing]);

    const html = join(dir, 'page.pcap');
    writeFileSync(html, '<html><body>not a capture</body></html>');
    await rejectsWith(openCapture(html), 'not-a-capture', [html, '3c 68 74 6d', 'pcapng']);

    const empty = join(dir, 'empty.pcap');
    writeFileSync(empty, '');
    await rejectsWith(openCapture(empty), 'not-a-capture', [empty, 'empty']);

    const sub = join(dir, 'a-directory.pcap');
    mkdirSync(sub);
    await rejectsWith(openCapture(sub), 'file-unreadable', [sub, 'directory']);

    const short = join(dir, 'short.pcap');
    writeFileSync(short, LE_US.subarray(0, 10));
    await rejectsWith(openCapture(short), 'bad-capture', [short, '10 of 24']);

    // A pcap header naming link type 147 (a user DLT): nothing in it could be decoded.
    const odd = Buffer.from(LE_US);
    odd.writeUInt32LE(147, 20);
    const oddFile = join(dir, 'user-dlt.pcap');
    writeFileSync(oddFile, odd);
    await rejectsWith(openCapture(oddFile), 'unknown-link-type', [oddFile, '147', '1 (Ethernet)']);
  });
});

corpusTest('pcap: openCapture checks the file without keeping it open', async (t) => {
  if (!existsSync('/proc/self/fd')) return t.skip('no /proc/self/fd to count descriptors');
  const fds = (): number => readdirSync('/proc/self/fd').length;
  const before = fds();
  // 50 sources opened and never read: a leak would show as 50 more descriptors.
  // (A small tolerance: other tests' descriptors may still be closing.)
  const sources = [];
  for (let i = 0; i < 50; i++) sources.push(await openCapture(join(PCAPS, 'gzip-response.pcap')));
  for (let i = 0; i < 20; i++) await readAll(join(PCAPS, 'pipelined-requests.pcap'));
  assert.equal(sources.length, 50);
  assert.ok(fds() - before < 5, `${fds() - before} more descriptors`);
});
