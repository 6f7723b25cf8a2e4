import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from '../decode/types.js';
import type { Dir } from './flow-key.js';
import { HalfStream, type HalfStreamOutput, type SegmentOrigin } from './half-stream.js';
import { wrapSeq } from './seq.js';
import type { ChunkMeta, EndReason, FlowInfo, SinkFactory, StreamSink } from './sink.js';
import type { EngineStats } from './stats.js';

// The segment being handled as what reveals a hole in the other direction (it
// acknowledges nothing of that direction's peer, so no ack). Shared by every flow:
// set before each use, and half-streams copy what they keep.
const ACK_ORIGIN: SegmentOrigin = { ts: 0, packet: 0, ack: NaN };

/**
 * One TCP connection: two half-streams and the sink that consumes them. Also a
 * node of the flow table's list ordered by last packet time (prev/next), so idle
 * flows are found from the list's head without scanning the table.
 *
 * A flow that has seen nothing but its handshake (a SYN flood fills the table with
 * them) keeps only the SYNs' sequence numbers: half-streams and sink
 * are made by the first segment that needs them, with the same outcome.
 */
export class Flow implements HalfStreamOutput {
  /** Capture time of the newest packet. */
  lastTs: number;
  closed = false;
  prev: Flow | null = null;
  next: Flow | null = null;
  private halves: [HalfStream, HalfStream] | null = null;
  // The latest segment handled (what the close releases is told to come from it).
  private origin: SegmentOrigin | null = null;
  private sink: StreamSink | null = null;
  // While there are no half-streams: the 32-bit sequence number of each side's
  // first SYN (NaN: none seen).
  private syn0 = NaN;
  private syn1 = NaN;

  constructor(
    /** Numbers the engine's flows, in opening order. */
    readonly id: number,
    readonly key: string,
    readonly info: FlowInfo,
    private readonly makeSink: SinkFactory,
    private readonly limits: Limits,
    private readonly anomalies: AnomalyCounter,
    private readonly stats: EngineStats,
    ts: number,
  ) {
    this.lastTs = ts;
  }

  /**
   * Whether a SYN without ACK from `dir` opens a new connection on this 4-tuple
   * (port reuse) rather than retransmitting the SYN that opened this one.
   */
  isReopenedBy(dir: Dir, seq: number): boolean {
    if (this.halves === null) {
      const syn = dir === 0 ? this.syn0 : this.syn1;
      return !Number.isNaN(syn) && syn !== seq;
    }
    const half = this.halves[dir];
    if (!half.started) return false;
    return !(half.synSeen && wrapSeq(half.isn) === seq);
  }

  /** The 32-bit initial sequence number of the side that opened the flow, or NaN. */
  openerIsn(): number {
    const synDir = this.info.synDir;
    if (synDir === -1) return NaN;
    if (this.halves === null) return synDir === 0 ? this.syn0 : this.syn1;
    if (!this.halves[synDir].synSeen) return NaN;
    return wrapSeq(this.halves[synDir].isn);
  }

  /** Applies one segment travelling in direction `dir`. Sets `closed` when it ends the flow. */
  push(seg: TcpSegment, dir: Dir): void {
    if (this.closed) return;
    if (this.halves === null && this.handshakeOnly(seg, dir)) return;
    const halves = this.streams();
    const half = halves[dir];
    const peer = halves[dir === 0 ? 1 : 0];
    const flags = seg.flags;
    const o = (this.origin ??= { ts: 0, packet: 0, ack: NaN });
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
      ACK_ORIGIN.ts = seg.ts;
      ACK_ORIGIN.packet = seg.packet;
      peer.peerAcked(o.ack, ACK_ORIGIN);
    }
    // Decoders may report payload bytes the IP length claims but the capture cut.
    const missing = seg.missing ?? 0;
    half.segment(dataSeq, seg.payload, missing, o);
    if (flags & TCP_FIN) half.fin((dataSeq + seg.payload.length + missing) >>> 0, o);
    if (half.finished && peer.finished) this.close('fin', seg.ts);
  }

  /**
   * Takes a segment that only opens the connection (a SYN, a SYN-ACK, or an ACK of
   * the other side's SYN, with no data) without making the half-streams; false for
   * any other, which makes them. Half-streams made later from the SYNs kept end up
   * as these segments would have left them.
   */
  private handshakeOnly(seg: TcpSegment, dir: Dir): boolean {
    const flags = seg.flags;
    if (seg.payload.length > 0 || (seg.missing ?? 0) > 0 || flags & (TCP_FIN | TCP_RST)) {
      return false;
    }
    if (flags & TCP_ACK) {
      const peerSyn = dir === 0 ? this.syn1 : this.syn0;
      if (Number.isNaN(peerSyn) || seg.ack !== ((peerSyn + 1) >>> 0)) return false;
    }
    if (flags & TCP_SYN) {
      if (!(flags & TCP_ACK) && this.info.synDir === -1) this.info.synDir = dir;
      if (dir === 0 && Number.isNaN(this.syn0)) this.syn0 = seg.seq;
      if (dir === 1 && Number.isNaN(this.syn1)) this.syn1 = seg.seq;
    }
    return true;
  }

  /** The half-streams, made (from the SYNs seen so far) when first needed. */
  private streams(): [HalfStream, HalfStream] {
    if (this.halves !== null) return this.halves;
    const { limits, anomalies, stats } = this;
    const halves: [HalfStream, HalfStream] = [
      new HalfStream(0, this, limits, anomalies, stats),
      new HalfStream(1, this, limits, anomalies, stats),
    ];
    if (!Number.isNaN(this.syn0)) halves[0].syn(this.syn0);
    if (!Number.isNaN(this.syn1)) halves[1].syn(this.syn1);
    this.halves = halves;
    return halves;
  }

  /** The sink, made when the first thing reaches it. */
  private consumer(): StreamSink {
    return (this.sink ??= this.makeSink(this.info));
  }

  /** Ends the flow: releases held bytes (after gaps), then tells the sink. */
  close(reason: EndReason, ts: number): void {
    if (this.closed) return;
    this.closed = true;
    const o = this.origin;
    if (this.halves !== null && o !== null) {
      o.ts = ts;
      o.ack = NaN;
      this.halves[0].close(o);
      this.halves[1].close(o);
    }
    this.consumer().end(reason, ts);
  }

  data(dir: Dir, bytes: Uint8Array, meta: ChunkMeta): void {
    this.consumer().data(dir, bytes, meta);
  }

  gap(dir: Dir, missing: number, meta: ChunkMeta): void {
    this.consumer().gap(dir, missing, meta);
  }

  fin(dir: Dir, meta: ChunkMeta): void {
    this.consumer().fin(dir, meta);
  }
}
