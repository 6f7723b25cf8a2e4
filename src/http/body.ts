/**
 * Collects a message body as it streams past: the first `keep` bytes are copied
 * (the parser's views die with the packet), the rest only counted. A gap ends the
 * kept prefix, since bytes after a hole cannot be decoded or parsed with it.
 */
export class BodyCollector {
  /** Body bytes seen or lost (transfer coding removed). */
  length = 0;
  /** Bytes of the body lost in gaps. */
  lost = 0;
  /** Bytes went past the keep limit (counted, not kept). */
  overflowed = false;
  private parts: Uint8Array[] = [];
  private kept = 0;
  private room: number;

  constructor(keep: number) {
    this.room = keep;
  }

  /** Whether every byte of the body so far is kept. */
  get whole(): boolean {
    return this.kept === this.length;
  }

  add(chunk: Uint8Array): void {
    this.length += chunk.length;
    if (chunk.length === 0) return;
    if (chunk.length > this.room && this.lost === 0) this.overflowed = true;
    if (this.room <= 0) return;
    const n = Math.min(this.room, chunk.length);
    this.parts.push(new Uint8Array(chunk.subarray(0, n))); // a copy: Buffer#slice is a view
    this.kept += n;
    this.room -= n;
  }

  /** `n` bytes of the body were lost in a gap. */
  addLost(n: number): void {
    this.length += n;
    this.lost += n;
    this.room = 0;
  }

  /** The kept prefix, in one piece. */
  bytes(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0]!;
    const out = new Uint8Array(this.kept);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
