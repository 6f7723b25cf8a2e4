import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type { Dir } from './flow-key.js';
import { unwrapSeq } from './seq.js';
import type { ChunkMeta } from './sink.js';
import type { EngineStats } from './stats.js';

/** Receives what a half-stream releases, strictly in stream order. */
export interface HalfStreamOutput {
  data(dir: Dir, bytes: Uint8Array, meta: ChunkMeta): void;
  gap(dir: Dir, missing: number, meta: ChunkMeta): void;
  fin(dir: Dir, meta: ChunkMeta): void;
}

/** Where a segment came from, as reassembly needs to remember it. */
export interface SegmentOrigin {
  ts: number;
  packet: number;
  /** Unwrapped position in the other direction this segment acknowledged, or NaN. */
  ack: number;
}

/** Why a hole was given up on; 'ack' holes are capture loss (the peer got the bytes). */
type GapCause = 'ack' | 'limit' | 'snap' | 'close';

/** Out-of-order bytes, copied: the packet they arrived in is gone by the time they fit. */
interface Held {
  start: number;
  end: number;
  bytes: Uint8Array;
  /** Bytes the capture cut off right after this piece (snap length): a known hole. */
  missingAfter: number;
  ts: number;
  packet: number;
  ack: number;
}

/**
 * One direction of a TCP connection: turns segments in arrival order into the byte
 * stream in sequence order. Policy, chosen once and applied everywhere:
 * - the first copy of a byte wins; a later copy that disagrees counts
 *   'tcp-overlap-conflict' and is dropped;
 * - a hole is given up on (a gap is declared) when the out-of-order bytes held exceed
 *   the limits, when the other side acknowledges bytes beyond it (see peerAcked for
 *   when an acknowledgment is believed), or at close;
 * - SYN and FIN each take one sequence number (RFC 9293 §3.4).
 */
export class HalfStream {
  started = false;
  synSeen = false;
  /** Unwrapped initial sequence number, when the SYN was seen. */
  isn = NaN;
  /** Unwrapped position of the next byte the stream expects. */
  nextPos = 0;
  /** Unwrapped position of the FIN, once seen. */
  finPos = NaN;
  /** The FIN was reached in order (or the flow was closed). */
  finished = false;
  // The first acknowledgment seen from the other side before this direction
  // started: the best guess of where its sequence space lies, used to unwrap.
  private ackHint = NaN;
  // The furthest position the other side has acknowledged, confirmed (NaN: none yet).
  private ackedTo = NaN;
  // The other side's latest plausible acknowledgment, waiting for the next to confirm it.
  private lastAck = NaN;
  // The furthest position this direction is known to have sent (data, cut-off bytes, FIN).
  private sentTo = -Infinity;
  private held: Held[] = [];
  private heldBytes = 0;
  private readonly meta: ChunkMeta = { ts: 0, packet: 0, pos: 0, ack: NaN };

  constructor(
    readonly dir: Dir,
    private readonly out: HalfStreamOutput,
    private readonly limits: Limits,
    private readonly anomalies: AnomalyCounter,
    private readonly stats: EngineStats,
  ) {}

  /** Unwraps a 32-bit sequence number of this direction. */
  position(seq: number): number {
    if (this.started) return unwrapSeq(seq, this.nextPos);
    if (!Number.isNaN(this.ackHint)) return unwrapSeq(seq, this.ackHint);
    return seq;
  }

  /** Unwraps an acknowledgment number the other side sent about this direction. */
  ackPosition(ack: number): number {
    if (!this.started && Number.isNaN(this.ackHint)) this.ackHint = ack;
    return this.position(ack);
  }

  /** The SYN (or SYN-ACK) of this direction: the stream starts right after it. */
  syn(seq: number): void {
    if (this.started) return;
    this.isn = this.position(seq);
    this.nextPos = this.sentTo = this.isn + 1;
    this.started = this.synSeen = true;
  }

  /**
   * A segment's payload starting at 32-bit sequence `seq`. `missing` bytes follow
   * it on the wire that the capture did not keep (snap length): a known hole.
   * `payload` is a view; whatever is held is copied.
   */
  segment(seq: number, payload: Uint8Array, missing: number, from: SegmentOrigin): void {
    if (payload.length === 0 && missing === 0) return;
    if (!this.started) {
      // Picked up mid-stream: the first data seen defines the start.
      // LIMITATION: a segment from before it that arrives later (reordered) is
      // taken for a retransmission and dropped.
      this.nextPos = this.position(seq);
      this.started = true;
    }
    const start = this.position(seq);
    const end = start + payload.length;
    if (end + missing > this.sentTo) this.sentTo = end + missing;
    // Data from beyond what the other side acknowledged: the sender has moved on,
    // so holes before that point will not be filled.
    const movedOn = start >= this.ackedTo;
    if (payload.length > 0) this.accept(start, payload, from);
    if (missing > 0) this.noteMissing(end, missing, from);
    this.enforceLimits();
    if (movedOn) this.declareAcked(from);
    this.checkFin(from);
  }

  /** The FIN, at 32-bit sequence `seq` (after any payload of its segment). */
  fin(seq: number, from: SegmentOrigin): void {
    if (this.finished || !Number.isNaN(this.finPos)) return;
    if (!this.started) {
      // A side seen only closing: its stream is empty from here.
      this.nextPos = this.position(seq);
      this.started = true;
    }
    this.finPos = this.position(seq);
    if (this.finPos + 1 > this.sentTo) this.sentTo = this.finPos + 1;
    this.declareAcked(from);
    this.checkFin(from);
  }

  /**
   * The other side acknowledged everything before `pos`. Bytes it received that
   * were never seen here are capture loss. The hole is declared a gap once this
   * direction sends from beyond `pos` (or has already), or ends: not at once,
   * because a capture can show an acknowledgment a moment before the data it covers
   * (frames of the two directions taken on different queues). `from` is the
   * segment that carried the acknowledgment.
   *
   * An acknowledgment is believed only when it is plausible and confirmed, so that
   * one forged or corrupt packet cannot make real bytes that then arrive be skipped:
   * - plausible: at most limits.maxBufferedBytesPerDirection beyond anything this
   *   direction was seen sending (a peer never acknowledges data not yet sent, RFC
   *   9293 §3.10.7.4; past what the capture shows, only bytes it lost can be);
   * - confirmed: acknowledgments are cumulative, so the peer's next one is at least
   *   as far. A claim counts up to where the next plausible one repeats it; a real
   *   peer acknowledges on every segment it sends, a lone forged one is contradicted.
   */
  peerAcked(pos: number, from: SegmentOrigin): void {
    if (!this.started || this.finished || Number.isNaN(pos)) return;
    const bound = Math.max(this.sentTo, this.nextPos) + this.limits.maxBufferedBytesPerDirection;
    if (pos > bound) return;
    const confirmed = Math.min(this.lastAck, pos); // NaN while there is no earlier claim
    this.lastAck = pos;
    if (!(confirmed > this.nextPos) || confirmed <= this.ackedTo) return;
    this.ackedTo = confirmed;
    // This direction already sent from beyond it (held bytes or the FIN): give up now,
    // before the other side's segment is handed on, so the two stay in order.
    const last = this.held[this.held.length - 1];
    if ((last !== undefined && last.start >= confirmed) || this.finPos >= confirmed) {
      this.declareAcked(from);
      this.checkFin(from);
    }
  }

  /**
   * Ends the direction: holes the other side acknowledged beyond, and whatever is
   * held, are released (a gap for each hole).
   */
  close(from: SegmentOrigin): void {
    // LIMITATION: a FIN missing from the capture but acknowledged counts as one
    // lost byte, since its sequence number cannot be told from data.
    // Nothing more can arrive, so holes before held bytes are gaps whatever is said;
    // a claim still unconfirmed says why (capture loss) as far as the held bytes go,
    // but reveals no hole past them.
    const last = this.held[this.held.length - 1];
    const claim = last === undefined ? NaN : Math.min(this.lastAck, last.end);
    if (claim > this.nextPos && !(claim <= this.ackedTo)) this.ackedTo = claim;
    this.declareAcked(from);
    while (this.held.length > 0) {
      this.gapTo(this.held[0]!.start, 'close', from);
      this.drain();
    }
    this.checkFin(from);
    this.finished = true;
  }

  /** Gives up the holes the other side has acknowledged beyond (see peerAcked). */
  private declareAcked(from: SegmentOrigin): void {
    // The FIN takes a sequence number but carries no data.
    const target = Number.isNaN(this.finPos) ? this.ackedTo : Math.min(this.ackedTo, this.finPos);
    while (this.nextPos < target) {
      const next = this.held.length > 0 ? Math.min(this.held[0]!.start, target) : target;
      this.gapTo(next, 'ack', from);
      this.drain();
    }
  }

  private accept(start: number, bytes: Uint8Array, from: SegmentOrigin): void {
    const end = start + bytes.length;
    // LIMITATION: bytes already handed on are not kept (views, no copies), so a
    // retransmission that disagrees with them is dropped without being compared.
    if (end <= this.nextPos) {
      this.retransmitted(bytes.length);
      return;
    }
    const from0 = Math.max(start, this.nextPos);
    if (this.held.length === 0) {
      // The common case: nothing out of order, so no piece bookkeeping.
      if (from0 > start) this.retransmitted(from0 - start);
      if (from0 === this.nextPos) this.emit(bytes.subarray(from0 - start), from0, from);
      else this.hold(from0, end, bytes.subarray(from0 - start), from);
      return;
    }
    // Split the segment into the parts no earlier copy covers (first copy wins).
    const pieces: number[] = [];
    let cur = from0;
    let conflict = false;
    let again = from0 - start; // bytes seen before: delivered, or held below
    for (let i = this.firstHeldEndingAfter(cur); cur < end; i++) {
      const h = this.held[i];
      if (h === undefined || h.start >= end) {
        pieces.push(cur, end);
        break;
      }
      if (h.start > cur) pieces.push(cur, h.start);
      const lo = Math.max(cur, h.start);
      const hi = Math.min(end, h.end);
      again += hi - lo;
      if (!conflict && !sameBytes(bytes, lo - start, h.bytes, lo - h.start, hi - lo)) {
        conflict = true;
      }
      cur = h.end;
    }
    if (again > 0) this.retransmitted(again);
    if (conflict) {
      this.anomalies.add('tcp-overlap-conflict');
      this.stats.overlapConflicts++;
    }
    for (let p = 0; p < pieces.length; p += 2) {
      const a = pieces[p]!;
      const b = pieces[p + 1]!;
      this.drain();
      if (a === this.nextPos) this.emit(bytes.subarray(a - start, b - start), a, from);
      else this.hold(a, b, bytes.subarray(a - start, b - start), from);
    }
    this.drain();
  }

  /** A segment carried `n` bytes this direction had seen already: a retransmission. */
  private retransmitted(n: number): void {
    this.stats.retransmissions++;
    this.stats.retransmittedBytes += n;
  }

  private noteMissing(end: number, missing: number, from: SegmentOrigin): void {
    if (end === this.nextPos) {
      const holeEnd = end + missing;
      const next = this.held.length > 0 ? Math.min(holeEnd, this.held[0]!.start) : holeEnd;
      this.gapTo(next, 'snap', from);
      this.drain();
      return;
    }
    const i = this.firstHeldEndingAfter(end - 1);
    const h = this.held[i];
    if (h !== undefined && h.end === end) h.missingAfter = Math.max(h.missingAfter, missing);
  }

  private emit(bytes: Uint8Array, pos: number, from: SegmentOrigin): void {
    this.nextPos = pos + bytes.length;
    const m = this.meta;
    m.ts = from.ts;
    m.packet = from.packet;
    m.pos = pos;
    m.ack = from.ack;
    this.out.data(this.dir, bytes, m);
  }

  private hold(start: number, end: number, view: Uint8Array, from: SegmentOrigin): void {
    const piece: Held = {
      start,
      end,
      bytes: new Uint8Array(view), // a copy: the packet's buffer will be reused
      missingAfter: 0,
      ts: from.ts,
      packet: from.packet,
      ack: from.ack,
    };
    this.held.splice(this.firstHeldEndingAfter(start), 0, piece);
    this.heldBytes += end - start;
  }

  /** Hands on every held piece that now continues the stream. */
  private drain(): void {
    while (this.held.length > 0 && this.held[0]!.start <= this.nextPos) {
      const h = this.held.shift()!;
      this.heldBytes -= h.end - h.start;
      if (h.end > this.nextPos) {
        this.emit(h.bytes.subarray(this.nextPos - h.start), this.nextPos, h);
      }
      if (h.missingAfter > 0) {
        const holeEnd = h.end + h.missingAfter;
        const next = this.held.length > 0 ? Math.min(holeEnd, this.held[0]!.start) : holeEnd;
        this.gapTo(next, 'snap', h);
      }
    }
  }

  private enforceLimits(): void {
    const { maxBufferedSegmentsPerDirection: maxSegs, maxBufferedBytesPerDirection: maxBytes } =
      this.limits;
    while (this.held.length > maxSegs || this.heldBytes > maxBytes) {
      this.anomalies.add('tcp-buffer-limit');
      const first = this.held[0]!;
      this.gapTo(first.start, 'limit', first);
      this.drain();
    }
  }

  private gapTo(target: number, cause: GapCause, from: SegmentOrigin): void {
    const missing = target - this.nextPos;
    if (missing <= 0) return;
    this.anomalies.add('tcp-gap');
    this.stats.gaps++;
    this.stats.gapBytes += missing;
    if (cause === 'ack') this.stats.ackedGapBytes += missing;
    const m = this.meta;
    m.ts = from.ts;
    m.packet = from.packet;
    m.pos = this.nextPos;
    m.ack = from.ack;
    this.nextPos = target;
    this.out.gap(this.dir, missing, m);
  }

  private checkFin(from: SegmentOrigin): void {
    if (this.finished || Number.isNaN(this.finPos) || this.nextPos < this.finPos) return;
    this.finished = true;
    const m = this.meta;
    m.ts = from.ts;
    m.packet = from.packet;
    m.pos = this.finPos;
    m.ack = from.ack;
    this.nextPos = this.finPos + 1;
    this.held.length = 0;
    this.heldBytes = 0;
    this.out.fin(this.dir, m);
  }

  /** Index of the first held piece whose end lies after `pos` (pieces never overlap). */
  private firstHeldEndingAfter(pos: number): number {
    let lo = 0;
    let hi = this.held.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.held[mid]!.end > pos) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function sameBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
}
