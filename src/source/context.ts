/**
 * What the pcap and pcapng record readers share: the summary they fill in, the
 * limits they apply, and how a read failure becomes either a kept-so-far
 * truncation (broken bytes) or an operator error (the file could not be read).
 */
import { ShadowtapError } from '../errors.js';
import type { SourceSummary } from './types.js';
import { CorruptInput } from './byte-source.js';
import type { ByteWindow } from './window.js';

/** One reading pass over one file. */
export interface ReadContext {
  file: string;
  summary: SourceSummary;
  /** Largest captured length of a record before the file is taken as corrupt. */
  maxRecordBytes: number;
  /** Packets per yielded batch. */
  batchPackets: number;
}

/**
 * Records where the usable part of the file ends. Only the first call counts:
 * reading stops there, and everything before it was already handed out.
 */
export function markTruncated(
  ctx: ReadContext,
  packet: number,
  offset: number,
  detail: string,
): void {
  if (ctx.summary.truncatedAt !== undefined) return;
  ctx.summary.truncatedAt = { packet, offset, detail };
}

/**
 * Waits for `n` bytes at the window's position. False when the input ends first or
 * its bytes turn out broken (then the truncation is already recorded for `packet`).
 * Read errors of the file itself are operator errors and throw.
 */
export async function fill(
  w: ByteWindow,
  n: number,
  ctx: ReadContext,
  packet: number,
): Promise<boolean> {
  return guarded(w, ctx, packet, () => w.need(n));
}

/** Like ByteWindow.skip, with the same error handling as fill(). */
export async function skip(
  w: ByteWindow,
  n: number,
  ctx: ReadContext,
  packet: number,
): Promise<boolean> {
  return guarded(w, ctx, packet, () => w.skip(n));
}

// Corrupt input marks the file truncated (what came before is kept); a read error
// of the file itself is an operator error.
async function guarded(
  w: ByteWindow,
  ctx: ReadContext,
  packet: number,
  step: () => Promise<boolean>,
): Promise<boolean> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof CorruptInput) {
      markTruncated(ctx, packet, w.offset, e.message);
      return false;
    }
    throw readFailure(ctx.file, w.offset, e);
  }
}

/** An I/O failure while reading, as a one-line operator error. */
export function readFailure(file: string, offset: number, e: unknown): ShadowtapError {
  const why = e instanceof Error ? e.message : String(e);
  return new ShadowtapError('file-unreadable', `${file}: read failed at offset ${offset}: ${why}`, {
    cause: e,
  });
}

/** Lowercase hex of the first bytes of a buffer, spaced, for error messages. */
export function hexBytes(b: Uint8Array, n = 4): string {
  return Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join(' ');
}
