/**
 * One TCP connection as a packet-at-a-time state machine: three-way handshake,
 * request/response exchanges cut into MSS-sized segments with the receiver's
 * delayed ACK every second segment (RFC 9293 section 3.8.6.3 / RFC 1122 4.2.3.2),
 * then an orderly close with FIN from either side (RFC 9293 section 3.6). The
 * generator steps many of these in an interleaved order; each keeps only the
 * exchange it is sending, so a hundred thousand open ones stay small.
 */
import { ACK, FIN, frameLength, MSS, PSH, SYN, type TcpFrame } from './frames.js';

// LIMITATION: a clean network only: no loss, retransmission, reordering, window
// stalls or RST, and no pipelining; reassembly's repair paths are not exercised here.

/** One HTTP request and its response, as bytes on the wire. */
export interface WireExchange {
  request: Uint8Array;
  response: Uint8Array;
}

/** Where a connection's packets go: one frame written at the current capture time. */
export type FrameSink = (f: TcpFrame, length: number, payload: Uint8Array | null,
  start: number, end: number) => void;

/** Addresses and initial state of one connection. */
export interface ConnSpec {
  clientIp: number;
  clientPort: number;
  serverIp: number;
  serverPort: number;
  /** Initial sequence numbers (RFC 9293 3.4.1), random so wrap-around happens. */
  clientIsn: number;
  serverIsn: number;
  /** The server closes first (Connection: close); otherwise the client does. */
  serverCloses: boolean;
}

const enum Phase { Syn, SynAck, HandshakeAck, Load, Send, AckResponse, Fin1, Fin2, LastAck, Done }

/** Receive window after the handshake: 502 × 128 (window scale 7) ≈ 64 KB. */
const WINDOW = 502;
const SYN_WINDOW = 64240;

/** A connection that writes its next packet each time it is stepped. */
export class Connection {
  private phase = Phase.Syn;
  private cSeq: number;
  private sSeq: number;
  private cIpId: number;
  private sIpId: number;
  private cTs = 0;
  private sTs = 0;
  private exchange: WireExchange | null = null;
  private toServer = true;
  private off = 0;
  private sinceAck = 0;
  private readonly frame: TcpFrame = {
    srcIp: 0, dstIp: 0, srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0,
    ipId: 0, tsVal: 0, tsEcr: 0,
  };

  constructor(
    private readonly spec: ConnSpec,
    /** The next exchange to send, or null to close the connection. */
    private readonly nextExchange: () => WireExchange | null,
  ) {
    this.cSeq = spec.clientIsn;
    this.sSeq = spec.serverIsn;
    this.cIpId = spec.clientIsn & 0xffff;
    this.sIpId = spec.serverIsn & 0xffff;
  }

  /** True once the SYN has been written (the flow is open until `done`). */
  get opened(): boolean {
    return this.phase !== Phase.Syn;
  }

  /** True after the connection's last packet. */
  get done(): boolean {
    return this.phase === Phase.Done;
  }

  /** Writes the connection's next packet; `nowMs` drives the TCP timestamps. */
  step(sink: FrameSink, nowMs: number): void {
    for (;;) {
      switch (this.phase) {
        case Phase.Syn:
          this.emit(sink, nowMs, true, SYN, null, 0, 0);
          this.phase = Phase.SynAck;
          return;
        case Phase.SynAck:
          this.emit(sink, nowMs, false, SYN | ACK, null, 0, 0);
          this.phase = Phase.HandshakeAck;
          return;
        case Phase.HandshakeAck:
          this.emit(sink, nowMs, true, ACK, null, 0, 0);
          this.phase = Phase.Load;
          return;
        case Phase.Load:
          this.exchange = this.nextExchange();
          if (this.exchange === null) {
            this.phase = Phase.Fin1;
            continue;
          }
          this.toServer = true;
          this.off = 0;
          this.sinceAck = 0;
          this.phase = Phase.Send;
          continue;
        case Phase.Send:
          this.sendStep(sink, nowMs);
          return;
        case Phase.AckResponse:
          this.emit(sink, nowMs, true, ACK, null, 0, 0);
          this.phase = Phase.Load;
          return;
        case Phase.Fin1:
          this.emit(sink, nowMs, !this.spec.serverCloses, FIN | ACK, null, 0, 0);
          this.phase = Phase.Fin2;
          return;
        case Phase.Fin2:
          this.emit(sink, nowMs, this.spec.serverCloses, FIN | ACK, null, 0, 0);
          this.phase = Phase.LastAck;
          return;
        case Phase.LastAck:
          this.emit(sink, nowMs, !this.spec.serverCloses, ACK, null, 0, 0);
          this.phase = Phase.Done;
          return;
        case Phase.Done:
          return;
      }
    }
  }

  /** One data segment of the current message, or the receiver's delayed ACK. */
  private sendStep(sink: FrameSink, nowMs: number): void {
    const ex = this.exchange!;
    const msg = this.toServer ? ex.request : ex.response;
    if (this.sinceAck >= 2) {
      // The receiver acknowledges every second full-sized segment.
      this.emit(sink, nowMs, !this.toServer, ACK, null, 0, 0);
      this.sinceAck = 0;
      return;
    }
    const end = Math.min(this.off + MSS, msg.length);
    const last = end === msg.length;
    this.emit(sink, nowMs, this.toServer, ACK | (last ? PSH : 0), msg, this.off, end);
    this.off = end;
    this.sinceAck++;
    if (!last) return;
    if (this.toServer) {
      // The response's first segment carries the ACK of the request.
      this.toServer = false;
      this.off = 0;
      this.sinceAck = 0;
    } else {
      this.exchange = null;
      // A server that closes sends its FIN next, and the client's FIN acks both.
      this.phase = this.spec.serverCloses ? Phase.Load : Phase.AckResponse;
    }
  }

  private emit(sink: FrameSink, nowMs: number, fromClient: boolean, flags: number,
    payload: Uint8Array | null, start: number, end: number): void {
    const f = this.frame;
    const s = this.spec;
    const ts = Math.floor(nowMs) >>> 0;
    if (fromClient) {
      f.srcIp = s.clientIp; f.dstIp = s.serverIp;
      f.srcPort = s.clientPort; f.dstPort = s.serverPort;
      f.seq = this.cSeq; f.ack = (flags & ACK) !== 0 ? this.sSeq : 0;
      f.ipId = this.cIpId++; f.tsVal = ts; f.tsEcr = this.sTs;
      this.cTs = ts;
    } else {
      f.srcIp = s.serverIp; f.dstIp = s.clientIp;
      f.srcPort = s.serverPort; f.dstPort = s.clientPort;
      f.seq = this.sSeq; f.ack = this.cSeq;
      f.ipId = this.sIpId++; f.tsVal = ts; f.tsEcr = this.cTs;
      this.sTs = ts;
    }
    f.flags = flags;
    f.window = (flags & SYN) !== 0 ? SYN_WINDOW : WINDOW;
    // SYN and FIN each take one sequence number (RFC 9293 section 3.4).
    const used = end - start + ((flags & (SYN | FIN)) !== 0 ? 1 : 0);
    if (fromClient) this.cSeq = (this.cSeq + used) >>> 0;
    else this.sSeq = (this.sSeq + used) >>> 0;
    sink(f, frameLength(end - start, flags), payload, start, end);
  }
}
