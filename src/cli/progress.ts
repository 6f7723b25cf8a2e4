/**
 * The progress line of a long replay: captured bytes read, rate, and for files
 * whose position can be told, percent done and time left. Written to stderr only
 * when it is a terminal, redrawn in place at most a few times a second, and wiped
 * before any log line and at the end, so nothing of it is left in the output.
 */
import { setLogSink } from '../log.js';
import type { ReplayProgress } from '../pipeline/replay.js';

/** What the line is written to: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** A live progress line. */
export interface ProgressLine {
  /** Takes the replay's latest position; redraws when the last redraw is old enough. */
  update(p: ReplayProgress): void;
  /** Wipes the line and gives log lines back their own sink. */
  done(): void;
}

/** Redraws per second at most: more is flicker and wasted writes. */
const REDRAWS_PER_SECOND = 4;
/** pcap: 24-byte file header, 16-byte record header per packet. */
const PCAP_FILE_HEADER = 24;
const PCAP_RECORD_HEADER = 16;
/** pcapng: an Enhanced Packet Block is 32 bytes around its data, padded to 4. */
const PCAPNG_BLOCK_OVERHEAD = 32;
const CLEAR = '\r\x1b[K';

/** A progress line on `stream`, or null when it is not a terminal. */
export function startProgress(
  stream: ProgressStream = process.stderr,
  now: () => number = () => performance.now(),
): ProgressLine | null {
  if (stream.isTTY !== true) return null;
  // The clock starts at the first batch: the files are hashed before any is read.
  let started: number | null = null;
  let lastDraw = -Infinity;
  let shown = false;
  let earlierBytes = 0; // captured bytes of the files finished before the current one
  let current = { index: 0, bytes: 0 };
  const wipe = (): void => {
    if (shown) stream.write(CLEAR);
    shown = false;
  };
  const previousSink = setLogSink((line) => {
    wipe();
    previousSink(line);
  });
  return {
    update(p) {
      if (p.fileIndex !== current.index) earlierBytes += current.bytes;
      current = { index: p.fileIndex, bytes: p.bytes };
      const t = now();
      started ??= t;
      if (t - lastDraw < 1000 / REDRAWS_PER_SECOND) return;
      lastDraw = t;
      const width = Math.max(20, (stream.columns || 100) - 1); // 0 when the size is unknown
      stream.write(CLEAR + progressText(p, earlierBytes + p.bytes, (t - started) / 1000)
        .slice(0, width));
      shown = true;
    },
    done() {
      wipe();
      setLogSink(previousSink);
    },
  };
}

/**
 * The text of the line: `replaying F (i/n): 412.3 MB read, 85.2 MB/s, 42%, 0:12 left`.
 * `readBytes` counts captured bytes over all files so far; `seconds` since the start.
 */
export function progressText(p: ReplayProgress, readBytes: number, seconds: number): string {
  const mb = readBytes / 1e6;
  const files = p.fileCount > 1 ? ` (${p.fileIndex + 1}/${p.fileCount})` : '';
  let text = `replaying ${p.file}${files}: ${mb.toFixed(1)} MB read`;
  if (seconds > 0) text += `, ${(mb / seconds).toFixed(1)} MB/s`;
  const at = filePosition(p);
  if (at === null || p.totalSize <= 0) return text;
  const done = Math.min(1, (p.doneSize + at) / p.totalSize);
  text += `, ${Math.floor(done * 100)}%`;
  if (seconds >= 1 && done > 0) text += `, ${clock(seconds * (1 - done) / done)} left`;
  return text;
}

/**
 * Where in the file on disk the reader is, from what it has read. Exact for pcap.
 */
// LIMITATION: for pcapng only an estimate: block options, padding and non-packet
// blocks are not counted, so the percent runs a little low.
function filePosition(p: ReplayProgress): number | null {
  // LIMITATION: no position, percent or time left inside a gzip file: the reader
  // counts decompressed bytes, and the compressed offset is not passed up to here.
  if (p.compressed) return null;
  if (p.format === 'pcap') return PCAP_FILE_HEADER + p.packets * PCAP_RECORD_HEADER + p.bytes;
  if (p.format === 'pcapng') return p.packets * PCAPNG_BLOCK_OVERHEAD + p.bytes;
  return null;
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}
