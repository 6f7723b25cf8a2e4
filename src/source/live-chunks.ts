/**
 * Memory we own for live packets. The addon reuses its buffer on every wake-up, so
 * each wake-up's records are copied once into a chunk here; packets are views into
 * the chunk. A chunk goes back to the pool when the consumer asks for the batch
 * after the one it held (views live until the next batch, as for file sources).
 */

// Chunks kept for reuse; more than this are left to the garbage collector.
const MAX_FREE_CHUNKS = 4;

/** Where copied bytes landed. */
export interface ChunkSlice {
  buffer: Buffer;
  offset: number;
}

/** A small pool of copy targets, recycled batch by batch. */
export class ChunkPool {
  private current: Buffer | null = null;
  private used = 0;
  // Full chunks whose packets have not been handed on yet.
  private filled: Buffer[] = [];
  // Chunks holding the batch most recently handed on.
  private yielded: Buffer[] = [];
  private free: Buffer[] = [];

  constructor(private readonly chunkBytes: number) {}

  /** Copies the first `bytes` of `src` into owned memory. */
  copyIn(src: Buffer, bytes: number): ChunkSlice {
    if (this.current === null || this.used + bytes > this.current.length) {
      if (this.current !== null) this.filled.push(this.current);
      this.current = this.fresh(Math.max(bytes, this.chunkBytes));
      this.used = 0;
    }
    src.copy(this.current, this.used, 0, bytes);
    const offset = this.used;
    this.used += bytes;
    return { buffer: this.current, offset };
  }

  /** Everything copied so far belongs to the batch being handed on now. */
  seal(): void {
    if (this.current !== null) this.filled.push(this.current);
    for (const c of this.filled) this.yielded.push(c);
    this.filled = [];
    this.current = null;
    this.used = 0;
  }

  /** The consumer moved on: the views of the last batch handed on are dead. */
  releaseYielded(): void {
    for (const c of this.yielded) {
      if (this.free.length < MAX_FREE_CHUNKS && c.length === this.chunkBytes) this.free.push(c);
    }
    this.yielded = [];
  }

  private fresh(size: number): Buffer {
    if (size === this.chunkBytes) {
      const reused = this.free.pop();
      if (reused !== undefined) return reused;
    }
    // Every byte handed out is first written by copyIn, so uninitialised memory is fine.
    return Buffer.allocUnsafe(size);
  }
}
