// The replay progress line: only on a terminal, at most four redraws a second,
// percent and time left where the file position can be told, wiped at the end
// and before any log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressText, startProgress } from '../src/cli/progress.js';
import { log } from '../src/log.js';
import type { ReplayProgress } from '../src/pipeline/replay.js';

function fakeTerminal(isTTY = true) {
  const writes: string[] = [];
  return { isTTY, columns: 200, writes, write: (s: string) => writes.push(s) };
}

/** A pcap of 1,000,024 bytes: 24-byte header, then 1,000 records of 16 + 984 bytes. */
const at = (packets: number, extra: Partial<ReplayProgress> = {}): ReplayProgress => ({
  file: 'x.pcap', fileIndex: 0, fileCount: 1, packets, bytes: packets * 984, format: 'pcap',
  compressed: false, fileSize: 1_000_024, doneSize: 0, totalSize: 1_000_024, ...extra,
});

test('nothing is drawn when stderr is not a terminal', () => {
  assert.equal(startProgress(fakeTerminal(false)), null);
});

test('redraws at most every 250 ms and wipes the line at the end', () => {
  const term = fakeTerminal();
  let now = 1000;
  const p = startProgress(term, () => now)!;
  p.update(at(100));
  now += 100;
  p.update(at(200)); // too soon: not drawn
  now += 200;
  p.update(at(300));
  const drawn = term.writes.filter((w) => w.includes('replaying'));
  assert.equal(drawn.length, 2);
  p.done();
  assert.equal(term.writes.at(-1), '\r\x1b[K');
});

test('a log line wipes the progress line first, and goes to the old sink after done', () => {
  const term = fakeTerminal();
  let now = 0;
  const p = startProgress(term, () => now)!;
  p.update(at(10));
  const before = term.writes.length;
  const lines: string[] = [];
  const stderrWrite = process.stderr.write;
  process.stderr.write = ((s: string) => lines.push(s)) as unknown as typeof stderrWrite;
  try {
    log.warn('something odd');
    assert.equal(term.writes[before], '\r\x1b[K');
    p.done();
    now += 1000;
    log.warn('after');
  } finally {
    process.stderr.write = stderrWrite;
  }
  assert.deepEqual(lines, ['warn: something odd\n', 'warn: after\n']);
});

test('a pcap shows percent and time left from its exact position', () => {
  const text = progressText(at(500), 500 * 984, 10);
  // Position 24 + 500 × 1000 = 500,024 of 1,000,024 bytes: 50 %, so 10 s more.
  assert.equal(text, 'replaying x.pcap: 0.5 MB read, 0.0 MB/s, 50%, 0:10 left');
});

test('a gzip file shows bytes read and rate only; several files show which one', () => {
  const text = progressText(at(500, { compressed: true, fileIndex: 1, fileCount: 3 }),
    3_000_000, 2);
  assert.equal(text, 'replaying x.pcap (2/3): 3.0 MB read, 1.5 MB/s');
});
