/**
 * Where a capture reader's bytes come from: a plain file read at explicit positions,
 * or the same file through a streaming gunzip. Both keep memory flat whatever the
 * file size: the file is read on demand and zlib is driven by stream back-pressure.
 */
import type { FileHandle } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import type { ReadStream } from 'node:fs';

/** A source of bytes read front to back, with cheap skipping. */
export interface ByteSource {
  /** Reads up to `length` bytes into `into` at `at`; 0 means the input has ended. */
  read(into: Uint8Array, at: number, length: number): Promise<number>;
  /** Skips up to `n` bytes; returns how many were skipped (fewer only at the end). */
  skip(n: number): Promise<number>;
  /** Releases the file; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Thrown by a ByteSource when the bytes themselves are broken (a cut or corrupt gzip
 * stream). Readers treat it like a truncated file: what came before is kept.
 */
export class CorruptInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptInput';
  }
}

/** Reads a regular file at explicit positions (pread), so skipping costs nothing. */
export function fileBytes(fh: FileHandle, size: number): ByteSource {
  let position = 0;
  let closed = false;
  return {
    async read(into, at, length) {
      const { bytesRead } = await fh.read(into, at, length, position);
      position += bytesRead;
      return bytesRead;
    },
    async skip(n) {
      const step = Math.max(0, Math.min(n, size - position));
      position += step;
      return step;
    },
    async close() {
      if (closed) return;
      closed = true;
      await fh.close();
    },
  };
}

/** Chunk size zlib hands out; large enough that copying it into the window is cheap. */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * Decompresses a gzip file as a stream. Concatenated gzip members are read as one
 * stream, as gzip(1) does.
 * LIMITATION: when zlib meets trailing garbage or a corrupt block it drops output it
 * had not yet emitted, so the last packets before the damage (up to a chunk) are lost,
 * and a small file whose only member is followed by garbage is refused whole.
 */
export function gunzipBytes(fh: FileHandle): ByteSource {
  // autoClose is off: the file handle is ours to close, once, in close().
  const raw: ReadStream = fh.createReadStream({ start: 0, autoClose: false });
  const gunzip: Gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  raw.on('error', (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  const pieces = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let piece: Uint8Array | null = null;
  let pieceAt = 0;
  let ended = false;
  let closed = false;

  let held: unknown = undefined;

  /** Makes `piece` hold unread bytes; false at the end of the stream. */
  async function fill(): Promise<boolean> {
    if (held !== undefined) {
      const e = held;
      held = undefined;
      throw e;
    }
    while (piece === null || pieceAt >= piece.length) {
      if (ended) return false;
      let next: IteratorResult<Buffer>;
      try {
        next = await pieces.next();
      } catch (e) {
        ended = true;
        if (isZlibError(e)) throw new CorruptInput(`gzip stream broken: ${errorText(e)}`);
        throw e;
      }
      if (next.done === true) {
        ended = true;
        return false;
      }
      piece = next.value;
      pieceAt = 0;
    }
    return true;
  }

  return {
    async read(into, at, length) {
      let got = 0;
      // Fill as much as asked: the window wants whole chunks, zlib gives small pieces.
      // A failure after some bytes is held back so those bytes are returned first.
      try {
        while (got < length && (await fill())) {
          const p = piece as Uint8Array;
          const n = Math.min(length - got, p.length - pieceAt);
          into.set(p.subarray(pieceAt, pieceAt + n), at + got);
          pieceAt += n;
          got += n;
        }
      } catch (e) {
        if (got === 0) throw e;
        held = e;
      }
      return got;
    },
    async skip(n) {
      let done = 0;
      while (done < n && (await fill())) {
        const p = piece as Uint8Array;
        const step = Math.min(n - done, p.length - pieceAt);
        pieceAt += step;
        done += step;
      }
      return done;
    },
    async close() {
      if (closed) return;
      closed = true;
      raw.unpipe(gunzip);
      raw.destroy();
      gunzip.destroy();
      await fh.close();
    },
  };
}

function isZlibError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
