// One direction's reassembly, table-driven: segments in arrival order, the stream
// and gaps that must come out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith, type Limits } from '../src/config/limits.js';
import { HalfStream, type HalfStreamOutput } from '../src/reassembly/half-stream.js';
import type { ChunkMeta } from '../src/reassembly/sink.js';
import { newEngineStats } from '../src/reassembly/stats.js';

/** Records what a half-stream releases: text for data, [n] for a gap, | for FIN. */
class Recorder implements HalfStreamOutput {
  out = '';
  positions: number[] = [];
  packets: number[] = [];
  data(_dir: 0 | 1, bytes: Uint8Array, meta: ChunkMeta): void {
    this.out += Buffer.from(bytes).toString('latin1');
    this.positions.push(meta.pos);
    this.packets.push(meta.packet);
  }
  gap(_dir: 0 | 1, missing: number): void {
    this.out += `[${missing}]`;
  }
  fin(): void {
    this.out += '|';
  }
}

function setup(limits: Partial<Limits> = {}) {
  const rec = new Recorder();
  const anomalies = new AnomalyCounter();
  const stats = newEngineStats();
  const half = new HalfStream(0, rec, limitsWith(limits), anomalies, stats);
  let packet = 0;
  const push = (seq: number, text: string, missing = 0): void => {
    const from = { ts: 0, packet: ++packet, ack: NaN };
    half.segment(seq >>> 0, Buffer.from(text, 'latin1'), missing, from);
  };
  /** An acknowledgment from the other side, of everything before 32-bit `seq`. */
  const ack = (seq: number): void => {
    half.peerAcked(half.ackPosition(seq >>> 0), { ts: 0, packet: ++packet, ack: NaN });
  };
  const origin = { ts: 0, packet: 0, ack: NaN };
  return { rec, anomalies, stats, half, push, ack, origin };
}

test('in-order segments pass straight through, positions follow the sequence', () => {
  const { rec, half, push } = setup();
  half.syn(99);
  push(100, 'abc');
  push(103, 'def');
  assert.equal(rec.out, 'abcdef');
  assert.deepEqual(rec.positions, [100, 103]);
});

test('out-of-order segments are held, copied, and released in order', () => {
  const { rec, half } = setup();
  half.syn(99);
  const later = Buffer.from('def');
  half.segment(103, later, 0, { ts: 0, packet: 1, ack: NaN });
  later.fill(0x21); // the capture reuses its buffer: what was held must be a copy
  assert.equal(rec.out, '');
  half.segment(100, Buffer.from('abc'), 0, { ts: 0, packet: 2, ack: NaN });
  assert.equal(rec.out, 'abcdef');
});

interface OverlapCase {
  name: string;
  segs: Array<[number, string]>;
  out: string;
  conflicts: number;
  /** Bytes at positions already passed or held: counted as retransmitted. */
  again: number;
}

const overlapCases: OverlapCase[] = [
  {
    name: 'exact retransmission',
    segs: [[100, 'abc'], [100, 'abc'], [103, 'def']],
    out: 'abcdef',
    conflicts: 0,
    again: 3,
  },
  {
    name: 'retransmission of delivered bytes with other bytes is not compared',
    segs: [[100, 'abc'], [100, 'xyz'], [103, 'd']],
    out: 'abcd',
    conflicts: 0,
    again: 3,
  },
  {
    name: 'held copy wins over a later different copy',
    segs: [[103, 'def'], [103, 'XYZ'], [100, 'abc']],
    out: 'abcdef',
    conflicts: 1,
    again: 3,
  },
  {
    name: 'partial overlap keeps the first bytes',
    segs: [[104, 'efg'], [100, 'abcdXF'], [107, 'h']],
    out: 'abcdefgh',
    conflicts: 1,
    again: 2,
  },
  {
    name: 'a segment spanning two held pieces fills between them',
    segs: [[102, 'c'], [105, 'f'], [100, 'abcdefg']],
    out: 'abcdefg',
    conflicts: 0,
    again: 2,
  },
  {
    name: 'old bytes before the stream position are dropped',
    segs: [[100, 'abcd'], [98, 'xxabcdef']],
    out: 'abcdef',
    conflicts: 0,
    again: 6,
  },
];

for (const c of overlapCases) {
  test(`overlap: ${c.name}`, () => {
    const { rec, half, push, anomalies, stats } = setup();
    half.syn(99);
    for (const [seq, text] of c.segs) push(seq, text);
    assert.equal(rec.out, c.out);
    assert.equal(anomalies.counts['tcp-overlap-conflict'] ?? 0, c.conflicts);
    assert.equal(stats.overlapConflicts, c.conflicts);
    assert.equal(stats.retransmittedBytes, c.again);
    assert.equal(stats.retransmissions, c.again > 0 ? 1 : 0);
  });
}

test('sequence numbers wrap around 2^32', () => {
  const { rec, half, push } = setup();
  half.syn(2 ** 32 - 3); // data starts at 2^32 - 2
  push(2 ** 32 - 2, 'ab');
  push(2, 'ef'); // held: after the wrap, beyond the hole at 0
  push(0, 'cd');
  assert.equal(rec.out, 'abcdef');
  assert.deepEqual(rec.positions, [2 ** 32 - 2, 2 ** 32, 2 ** 32 + 2]);
});

test('a stream picked up mid-way starts at its first data', () => {
  const { rec, push } = setup();
  push(123456, 'middle');
  push(123462, '!');
  assert.equal(rec.out, 'middle!');
});

test('SYN and FIN each take one sequence number', () => {
  const { rec, half, push, origin } = setup();
  half.syn(10);
  push(11, 'ab');
  half.fin(13, origin);
  assert.equal(rec.out, 'ab|');
  assert.equal(half.finished, true);
  assert.equal(half.nextPos, 14);
});

test('a FIN ahead of a hole waits for the hole', () => {
  const { rec, half, push, origin } = setup();
  half.syn(10);
  push(13, 'cd');
  half.fin(15, origin);
  assert.equal(rec.out, '');
  push(11, 'ab');
  assert.equal(rec.out, 'abcd|');
});

test('held bytes over the byte limit: the hole becomes a gap', () => {
  const { rec, half, push, anomalies, stats } = setup({ maxBufferedBytesPerDirection: 5 });
  half.syn(99);
  push(110, 'abc');
  push(113, 'def'); // 6 bytes held > 5
  assert.equal(rec.out, '[10]abcdef');
  assert.equal(anomalies.counts['tcp-buffer-limit'], 1);
  assert.equal(anomalies.counts['tcp-gap'], 1);
  assert.equal(stats.gapBytes, 10);
  assert.equal(stats.ackedGapBytes, 0);
});

test('held segments over the count limit: the hole becomes a gap', () => {
  const { rec, half, push, anomalies, origin } = setup({ maxBufferedSegmentsPerDirection: 2 });
  half.syn(99);
  push(102, 'c');
  push(104, 'e');
  push(106, 'g'); // a third piece: the oldest hole is given up, two stay held
  assert.equal(rec.out, '[2]c');
  assert.equal(anomalies.counts['tcp-buffer-limit'], 1);
  half.close(origin);
  assert.equal(rec.out, '[2]c[1]e[1]g');
});

test('the peer acknowledging bytes beyond a hole declares it: capture loss', () => {
  const { rec, half, push, ack, stats } = setup();
  half.syn(99);
  push(100, 'ab');
  push(110, 'kl'); // held
  ack(112);
  ack(112); // a real peer acknowledges on every segment it sends: the claim is confirmed
  assert.equal(rec.out, 'ab'); // declared when this side sends from beyond 112, or ends
  push(112, 'mn');
  assert.equal(rec.out, 'ab[8]klmn');
  assert.equal(stats.ackedGapBytes, 8);
});

test('an acknowledgment beyond everything sent, nothing held: a gap up to it', () => {
  const { rec, half, push, ack } = setup();
  half.syn(99);
  push(100, 'ab');
  ack(107);
  ack(107);
  push(107, 'hi');
  assert.equal(rec.out, 'ab[5]hi');
});

test('data acknowledged before it is seen (capture reordering) is not lost', () => {
  const { rec, half, push, ack } = setup();
  half.syn(99);
  push(100, 'ab');
  ack(106);
  push(104, 'ef'); // two segments late, in reverse order
  push(102, 'cd');
  push(106, 'gh');
  assert.equal(rec.out, 'abcdefgh');
});

test('a side seen only closing still finishes', () => {
  const { rec, half, origin } = setup();
  half.fin(4242, origin);
  assert.equal(rec.out, '|');
  assert.equal(half.finished, true);
});

test('an acknowledgment implausibly far ahead with nothing held is ignored', () => {
  const { rec, half, push, ack } = setup({ maxBufferedBytesPerDirection: 1000 });
  half.syn(99);
  push(100, 'ab');
  ack(100 + 5000); // a corrupted ack, say
  push(102, 'cd');
  assert.equal(rec.out, 'abcd');
});

test('an acknowledgment of the FIN is not a data gap', () => {
  const { rec, half, push, ack, origin } = setup();
  half.syn(99);
  push(100, 'ab');
  half.fin(102, origin);
  ack(103);
  assert.equal(rec.out, 'ab|');
});

test('bytes the capture cut off (snap length) are a gap right away', () => {
  const { rec, half, push, stats } = setup();
  half.syn(99);
  push(100, 'GET', 20);
  push(123, 'x');
  assert.equal(rec.out, 'GET[20]x');
  assert.equal(stats.gapBytes, 20);
});

test('a cut-off segment held out of order gaps when it is released', () => {
  const { rec, half, push } = setup();
  half.syn(99);
  push(103, 'de', 5); // covers 103..110 on the wire, 105..110 not captured
  push(110, 'z');
  push(100, 'abc');
  assert.equal(rec.out, 'abcde[5]z');
});

test('closing releases held bytes after a gap for each hole', () => {
  const { rec, half, push, origin } = setup();
  half.syn(99);
  push(100, 'a');
  push(105, 'f');
  push(110, 'k');
  half.close(origin);
  assert.equal(rec.out, 'a[4]f[4]k');
});

test('regression: one forged acknowledgment ahead of the data skips none of it', () => {
  // The other side (say a forged packet) claims 102..110 was received; the data
  // beyond it then arrives before the data it claims, which arrives last. A real
  // peer's next acknowledgment (102) contradicts the claim: nothing was lost.
  const { rec, half, push, ack, stats } = setup();
  half.syn(99);
  push(100, 'ab');
  ack(110);
  push(112, 'mn');
  ack(102);
  push(102, 'cdefghijkl');
  assert.equal(rec.out, 'abcdefghijklmn');
  assert.equal(stats.gaps, 0);
});

test('regression: an acknowledgment far beyond anything sent is ignored with bytes held', () => {
  const { rec, half, push, ack, origin, stats } = setup({ maxBufferedBytesPerDirection: 1000 });
  half.syn(99);
  push(100, 'ab');
  push(104, 'ef'); // held: 102..104 is late
  ack(100 + 2 ** 30);
  ack(100 + 2 ** 30); // even said twice
  half.fin(106, origin); // the FIN, captured before the late bytes
  push(102, 'cd');
  assert.equal(rec.out, 'abcdef|');
  assert.equal(stats.gaps, 0);
});

test('an unconfirmed acknowledgment declares no hole at close', () => {
  const { rec, half, push, ack, origin, stats } = setup();
  half.syn(99);
  push(100, 'ab');
  ack(150); // one claim, never repeated
  half.close(origin);
  assert.equal(rec.out, 'ab');
  assert.equal(stats.gaps, 0);
});

test('a confirmed acknowledgment releases data already held beyond the hole', () => {
  const { rec, half, push, ack } = setup();
  half.syn(99);
  push(100, 'ab');
  ack(110);
  push(110, 'kl'); // from beyond the claim: held while the claim is unconfirmed
  assert.equal(rec.out, 'ab');
  ack(112); // the peer says it again (and more)
  assert.equal(rec.out, 'ab[8]kl');
});
