/**
 * A sliding window over a ByteSource: the readers parse records straight out of
 * `buf` and hand out views into it. Refilling moves the few unread bytes (at most
 * one partial record) into a fresh chunk instead of reusing the old one, so every
 * view handed out earlier stays valid for as long as its holder keeps it; memory
 * is bounded by the chunks still referenced, not by the file size.
 */
import type { ByteSource } from './byte-source.js';

/** Default chunk size: big enough to amortise the read calls, small enough to stay cheap. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

const EMPTY = new Uint8Array(0);

/** Unread bytes of a capture input, with their offset in the (decompressed) stream. */
export class ByteWindow {
  /** The current chunk; valid bytes are [pos, end). */
  buf: Uint8Array = EMPTY;
  /** Little- and big-endian reads over `buf`; replaced with it. */
  view: DataView = new DataView(EMPTY.buffer);
  /** Next unread byte in `buf`. */
  pos = 0;
  /** End of the valid bytes in `buf`. */
  end = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private ended = false;
  /** A read failure held back until the bytes read before it are used up. */
  private failure: unknown = undefined;

  constructor(
    private readonly src: ByteSource,
    private readonly chunkBytes: number = DEFAULT_CHUNK_BYTES,
  ) {}

  /** Stream offset of the next unread byte (in decompressed bytes for gzip input). */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Stream offset of `buf[i]`. */
  offsetAt(i: number): number {
    return this.base + i;
  }

  /** Unread bytes available without waiting. */
  get available(): number {
    return this.end - this.pos;
  }

  /** True once the input has ended and every byte was consumed. */
  get exhausted(): boolean {
    return this.ended && this.pos >= this.end;
  }

  /**
   * Makes at least `n` bytes available from `pos` unless the input ends first.
   * Returns whether it did; on false, `available` says how many there were.
   */
  async need(n: number): Promise<boolean> {
    if (this.end - this.pos >= n) return true;
    if (this.failure !== undefined) throw this.failure;
    if (this.ended) return false;
    const keep = this.end - this.pos;
    // A record larger than a chunk gets a chunk of its own size.
    const size = Math.max(this.chunkBytes, n);
    // allocUnsafe: every byte handed out is written by the read below first.
    const next = Buffer.allocUnsafe(size);
    if (keep > 0) next.set(this.buf.subarray(this.pos, this.end), 0);
    this.base += this.pos;
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    this.pos = 0;
    this.end = keep;
    while (this.end < size) {
      let got: number;
      try {
        got = await this.src.read(next, this.end, size - this.end);
      } catch (e) {
        // Bytes read before a failure are good: hand them out first, and raise
        // the failure only when the reader wants bytes beyond them.
        this.ended = true;
        this.failure = e;
        break;
      }
      if (got === 0) {
        this.ended = true;
        break;
      }
      this.end += got;
    }
    if (this.end - this.pos >= n) return true;
    if (this.failure !== undefined) throw this.failure;
    return false;
  }

  /** Consumes `n` bytes, reading past the window without keeping them; false if input ended. */
  async skip(n: number): Promise<boolean> {
    const here = this.end - this.pos;
    if (n <= here) {
      this.pos += n;
      return true;
    }
    const rest = n - here;
    this.base += this.end;
    this.buf = EMPTY;
    this.view = new DataView(EMPTY.buffer);
    this.pos = 0;
    this.end = 0;
    const skipped = await this.src.skip(rest);
    this.base += skipped;
    if (skipped < rest) this.ended = true;
    return skipped === rest;
  }
}
