import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from '../decode/types.js';
import type { Dir } from './flow-key.js';
import { HalfStream, type HalfStreamOutput, type SegmentOrigin } from './half-stream.js';
import { wrapSeq } from './seq.js';
import type { ChunkMeta, EndReason, FlowInfo, StreamSink } from './sink.js';
import type { EngineStats } from './stats.js';

/**
 * One TCP connection: two half-streams and the sink that consumes them. Also a
 * node of the flow table's list ordered by last packet time (prev/next), so idle
 * flows are found from the list's head without scanning the table.
 */
export class Flow implements HalfStreamOutput {
  readonly halves: [HalfStream, HalfStream];
  /** Capture time of the newest packet. */
  lastTs: number;
  closed = false;
  prev: Flow | null = null;
  next: Flow | null = null;
  private readonly origin: SegmentOrigin = { ts: 0, packet: 0, ack: NaN };

  constructor(
    /** Numbers the engine's flows, in opening order. */
    readonly id: number,
    readonly key: string,
    readonly info: FlowInfo,
    private readonly sink: StreamSink,
    limits: Limits,
    anomalies: AnomalyCounter,
    stats: EngineStats,
    ts: number,
  ) {
    this.halves = [
      new HalfStream(0, this, limits, anomalies, stats),
      new HalfStream(1, this, limits, anomalies, stats),
    ];
    this.lastTs = ts;
  }

  /**
   * Whether a SYN without ACK from `dir` opens a new connection on this 4-tuple
   * (port reuse) rather than retransmitting the SYN that opened this one.
   */
  isReopenedBy(dir: Dir, seq: number): boolean {
    const half = this.halves[dir];
    if (!half.started) return false;
    return !(half.synSeen && wrapSeq(half.isn) === seq);
  }

  /** The 32-bit initial sequence number of the side that opened the flow, or NaN. */
  openerIsn(): number {
    const synDir = this.info.synDir;
    if (synDir === -1 || !this.halves[synDir].synSeen) return NaN;
    return wrapSeq(this.halves[synDir].isn);
  }

  /** Applies one segment travelling in direction `dir`. Sets `closed` when it ends the flow. */
  push(seg: TcpSegment, dir: Dir): void {
    if (this.closed) return;
    const half = this.halves[dir];
    const peer = this.halves[dir === 0 ? 1 : 0];
    const flags = seg.flags;
    const o = this.origin;
    o.ts = seg.ts;
    o.packet = seg.packet;
    o.ack = NaN;
    if (flags & TCP_RST) {
      // LIMITATION: a RST is believed whatever its sequence number (no window
      // check as in RFC 5961 §3); a forged or stale RST ends the flow early.
      this.close('rst', seg.ts);
      return;
    }
    let dataSeq = seg.seq;
    if (flags & TCP_SYN) {
      if (!(flags & TCP_ACK) && this.info.synDir === -1) this.info.synDir = dir;
      half.syn(seg.seq);
      dataSeq = (seg.seq + 1) >>> 0; // the SYN takes one sequence number
    }
    if (flags & TCP_ACK) {
      // What the sender had received of the other direction.
      o.ack = peer.ackPosition(seg.ack);
      peer.peerAcked(o.ack);
    }
    // Decoders may report payload bytes the IP length claims but the capture cut.
    const missing = seg.missing ?? 0;
    half.segment(dataSeq, seg.payload, missing, o);
    if (flags & TCP_FIN) half.fin((dataSeq + seg.payload.length + missing) >>> 0, o);
    if (half.finished && peer.finished) this.close('fin', seg.ts);
  }

  /** Ends the flow: releases held bytes (after gaps), then tells the sink. */
  close(reason: EndReason, ts: number): void {
    if (this.closed) return;
    this.closed = true;
    const o = this.origin;
    o.ts = ts;
    o.ack = NaN;
    this.halves[0].close(o);
    this.halves[1].close(o);
    this.sink.end(reason, ts);
  }

  data(dir: Dir, bytes: Uint8Array, meta: ChunkMeta): void {
    this.sink.data(dir, bytes, meta);
  }

  gap(dir: Dir, missing: number, meta: ChunkMeta): void {
    this.sink.gap(dir, missing, meta);
  }

  fin(dir: Dir, meta: ChunkMeta): void {
    this.sink.fin(dir, meta);
  }
}
