import type { ChunkMeta } from '../reassembly/sink.js';

/** A piece of a stream kept while paused: bytes (copied), or `n` lost bytes when null. */
export interface HeldPiece {
  bytes: Uint8Array | null;
  n: number;
  meta: ChunkMeta;
}

/**
 * What a direction receives while it waits for the answer to a CONNECT or Upgrade
 * request: only then is it known whether those bytes are HTTP/1.x. Replayed in
 * order on resume, dropped (counted as tunnelled) on stop.
 */
export class PauseBuffer {
  private items: HeldPiece[] = [];
  /** Bytes kept. */
  size = 0;

  constructor(private readonly maxBytes: number) {}

  /** Keeps a copy of `bytes` (the view dies with the packet). */
  data(bytes: Uint8Array, meta: ChunkMeta): void {
    if (this.size + bytes.length > this.maxBytes) {
      // LIMITATION: a client that streams more than the buffer limit before the
      // answer to its CONNECT or Upgrade arrives loses the excess (as a gap).
      this.gap(bytes.length, meta);
      return;
    }
    this.items.push({ bytes: new Uint8Array(bytes), n: bytes.length, meta: { ...meta } });
    this.size += bytes.length;
  }

  gap(n: number, meta: ChunkMeta): void {
    this.items.push({ bytes: null, n, meta: { ...meta } });
  }

  /** Everything kept, oldest first; the buffer is emptied. */
  take(): HeldPiece[] {
    const items = this.items;
    this.items = [];
    this.size = 0;
    return items;
  }
}
