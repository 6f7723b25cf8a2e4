/**
 * A small pcap writer for the abuse benchmark: Ethernet / IPv4 / TCP frames of
 * keep-alive HTTP/1.1 conversations (handshake, requests and responses, FIN
 * close), written in capture-time order to a classic pcap file (µs timestamps).
 *
 * Responses may be cut like a sensor with a short snap length cuts them: the
 * record keeps the status line and headers, its wire length and the IP total
 * length claim the whole body. The pipeline then counts the body bytes it did not
 * see as lost (a gap), so response sizes are right while the file stays small.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
const ETH = 14;
const IP = 20;
const TCP = 20;
const BUFFER_BYTES = 4 << 20;

/** TCP flag bits (RFC 9293 §3.1). */
export const FIN = 0x01;
export const SYN = 0x02;
export const PSH = 0x08;
export const ACK = 0x10;

/** A classic pcap file written front to back through one buffer. */
export class PcapFile {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(BUFFER_BYTES);
  private used = 0;
  packets = 0;

  constructor(readonly path: string, snapLength = 65_535) {
    this.fd = openSync(path, 'w');
    const h = this.buf;
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(snapLength, 16);
    h.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
    this.used = FILE_HEADER;
  }

  /** One record: `frame` as captured, `wireLength` as it was on the wire. */
  record(tsMicros: number, frame: Uint8Array, wireLength: number): void {
    if (this.used + RECORD_HEADER + frame.length > BUFFER_BYTES) this.flush();
    const b = this.buf;
    const at = this.used;
    b.writeUInt32LE(Math.floor(tsMicros / 1e6), at);
    b.writeUInt32LE(tsMicros % 1e6, at + 4);
    b.writeUInt32LE(frame.length, at + 8);
    b.writeUInt32LE(wireLength, at + 12);
    b.set(frame, at + RECORD_HEADER);
    this.used += RECORD_HEADER + frame.length;
    this.packets++;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }
}

function ipv4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** RFC 791 §3.1 header checksum: ones' complement of the ones' complement sum. */
function ipChecksum(b: Buffer, off: number): number {
  let sum = 0;
  for (let i = 0; i < IP; i += 2) sum += b.readUInt16BE(off + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One segment's addresses, numbers and payload; `claimed` payload bytes on the wire. */
export interface Segment {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
  claimed: number;
  ipId: number;
}

/** An Ethernet frame holding the segment (TCP checksum left 0: not checked by readers here). */
export function frame(s: Segment): Buffer {
  const b = Buffer.alloc(ETH + IP + TCP + s.payload.length);
  b.writeUInt16BE(0x0800, 12); // IPv4; MAC addresses left zero
  const ip = ETH;
  b[ip] = 0x45;
  b.writeUInt16BE(IP + TCP + s.claimed, ip + 2);
  b.writeUInt16BE(s.ipId & 0xffff, ip + 4);
  b.writeUInt16BE(0x4000, ip + 6); // don't fragment
  b[ip + 8] = 64;
  b[ip + 9] = 6;
  b.set(ipv4Bytes(s.src), ip + 12);
  b.set(ipv4Bytes(s.dst), ip + 16);
  b.writeUInt16BE(ipChecksum(b, ip), ip + 10);
  const t = ETH + IP;
  b.writeUInt16BE(s.sport, t);
  b.writeUInt16BE(s.dport, t + 2);
  b.writeUInt32BE(s.seq >>> 0, t + 4);
  b.writeUInt32BE(s.ack >>> 0, t + 8);
  b[t + 12] = 5 << 4;
  b[t + 13] = s.flags;
  b.writeUInt16BE(65_535, t + 14);
  b.set(s.payload, t + TCP);
  return b;
}

/** A keep-alive TCP connection from a client to a server, written as it goes. */
export class Conversation {
  private cSeq: number;
  private sSeq: number;
  private ipId = 1;
  lastTs = 0;

  constructor(
    private readonly out: PcapFile,
    private readonly client: string,
    private readonly port: number,
    private readonly server: string,
    private readonly serverPort: number,
    isn: number,
  ) {
    this.cSeq = isn >>> 0;
    this.sSeq = (isn * 7 + 12_345) >>> 0;
  }

  /** The three-way handshake (RFC 9293 §3.5). */
  open(tsMicros: number): void {
    this.send(tsMicros, true, SYN, new Uint8Array(0), 0, 0);
    this.cSeq = (this.cSeq + 1) >>> 0;
    this.send(tsMicros, false, SYN | ACK, new Uint8Array(0), 0, this.cSeq);
    this.sSeq = (this.sSeq + 1) >>> 0;
    this.send(tsMicros, true, ACK, new Uint8Array(0), 0, this.sSeq);
    this.lastTs = tsMicros;
  }

  /** A request and its response; the response record keeps `keptBytes` of it (all when null). */
  exchange(tsMicros: number, request: Uint8Array, response: Uint8Array, keptBytes: number | null,
    responseLength: number): void {
    this.send(tsMicros, true, PSH | ACK, request, request.length, this.sSeq);
    this.cSeq = (this.cSeq + request.length) >>> 0;
    const kept = keptBytes === null ? response : response.subarray(0, keptBytes);
    this.send(tsMicros, false, PSH | ACK, kept, responseLength, this.cSeq);
    this.sSeq = (this.sSeq + responseLength) >>> 0;
    this.lastTs = tsMicros;
  }

  /** The client closes; the server answers with its own FIN (RFC 9293 §3.6). */
  close(tsMicros: number): void {
    this.send(tsMicros, true, FIN | ACK, new Uint8Array(0), 0, this.sSeq);
    this.cSeq = (this.cSeq + 1) >>> 0;
    this.send(tsMicros, false, FIN | ACK, new Uint8Array(0), 0, this.cSeq);
    this.sSeq = (this.sSeq + 1) >>> 0;
    this.send(tsMicros, true, ACK, new Uint8Array(0), 0, this.sSeq);
  }

  private send(ts: number, fromClient: boolean, flags: number, payload: Uint8Array,
    claimed: number, ack: number): void {
    const s: Segment = fromClient
      ? { src: this.client, dst: this.server, sport: this.port, dport: this.serverPort,
        seq: this.cSeq, ack, flags, payload, claimed, ipId: this.ipId++ }
      : { src: this.server, dst: this.client, sport: this.serverPort, dport: this.port,
        seq: this.sSeq, ack, flags, payload, claimed, ipId: this.ipId++ };
    this.out.record(ts, frame(s), ETH + IP + TCP + claimed);
  }
}
