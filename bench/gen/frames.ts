/**
 * Ethernet II + IPv4 + TCP frames written in place into the pcap writer's buffer,
 * with correct lengths and checksums, and the options a Linux host sends: MSS,
 * SACK-permitted, timestamps and window scale on SYNs, timestamps on the rest.
 * With timestamps the largest segment is 1448 bytes in a 1500-byte IP packet.
 */

// LIMITATION: IPv4 on bare Ethernet only: no IPv6, VLAN tags or tunnels in the
// benchmark captures (the decoders for those are measured by their own tests).

/** TCP flag bits (RFC 9293 section 3.1). */
export const FIN = 0x01;
export const SYN = 0x02;
export const PSH = 0x08;
export const ACK = 0x10;

/** Payload bytes of a full-sized segment: 1500 − 20 (IP) − 32 (TCP with timestamps). */
export const MSS = 1448;

const ETH_BYTES = 14;
const IP_BYTES = 20;
/** MSS(4) + SACK_PERM(2) + TS(10) + NOP(1) + WS(3), as Linux lays them out. */
const SYN_TCP_BYTES = 40;
/** NOP NOP TS(10). */
const TCP_BYTES = 32;
const ETHERTYPE_IPV4 = 0x0800;
const PROTO_TCP = 6;

/** One segment's header fields; the addresses are IPv4 as unsigned 32-bit numbers. */
export interface TcpFrame {
  srcIp: number;
  dstIp: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  ipId: number;
  tsVal: number;
  tsEcr: number;
}

/** Bytes of the frame carrying `payloadBytes` (a SYN has the longer option list). */
export function frameLength(payloadBytes: number, flags: number): number {
  return ETH_BYTES + IP_BYTES + ((flags & SYN) !== 0 ? SYN_TCP_BYTES : TCP_BYTES) + payloadBytes;
}

/** Writes the frame at `b[at..]`; `payload[start..end)` is copied after the headers. */
export function writeTcpFrame(
  b: Buffer,
  at: number,
  f: TcpFrame,
  payload: Uint8Array | null,
  start: number,
  end: number,
): void {
  const syn = (f.flags & SYN) !== 0;
  const tcpHeader = syn ? SYN_TCP_BYTES : TCP_BYTES;
  const dataBytes = end - start;
  // Ethernet: locally administered MACs derived from the addresses (02:00:a.b.c.d).
  writeMac(b, at, f.dstIp);
  writeMac(b, at + 6, f.srcIp);
  b.writeUInt16BE(ETHERTYPE_IPV4, at + 12);

  const ip = at + ETH_BYTES;
  b[ip] = 0x45; // version 4, 5-word header
  b[ip + 1] = 0;
  b.writeUInt16BE(IP_BYTES + tcpHeader + dataBytes, ip + 2);
  b.writeUInt16BE(f.ipId & 0xffff, ip + 4);
  b.writeUInt16BE(0x4000, ip + 6); // DF, as path-MTU discovery sets it
  b[ip + 8] = 64;
  b[ip + 9] = PROTO_TCP;
  b.writeUInt16BE(0, ip + 10);
  b.writeUInt32BE(f.srcIp >>> 0, ip + 12);
  b.writeUInt32BE(f.dstIp >>> 0, ip + 16);
  b.writeUInt16BE(fold(sum16(b, ip, ip + IP_BYTES, 0)), ip + 10);

  const t = ip + IP_BYTES;
  b.writeUInt16BE(f.srcPort, t);
  b.writeUInt16BE(f.dstPort, t + 2);
  b.writeUInt32BE(f.seq >>> 0, t + 4);
  b.writeUInt32BE(f.ack >>> 0, t + 8);
  b[t + 12] = (tcpHeader / 4) << 4;
  b[t + 13] = f.flags;
  b.writeUInt16BE(f.window, t + 14);
  b.writeUInt32BE(0, t + 16); // checksum and urgent pointer, checksum filled below
  let o = t + 20;
  if (syn) {
    b[o++] = 2; b[o++] = 4; b.writeUInt16BE(1460, o); o += 2; // MSS (RFC 9293 3.7.1)
    b[o++] = 4; b[o++] = 2; // SACK permitted (RFC 2018)
  } else {
    b[o++] = 1; b[o++] = 1; // NOPs align the timestamps
  }
  b[o++] = 8; b[o++] = 10; // timestamps (RFC 7323 section 3)
  b.writeUInt32BE(f.tsVal >>> 0, o); o += 4;
  b.writeUInt32BE(f.tsEcr >>> 0, o); o += 4;
  if (syn) {
    b[o++] = 1; b[o++] = 3; b[o++] = 3; b[o++] = 7; // NOP, window scale 7 (RFC 7323 2.2)
  }
  if (payload !== null && dataBytes > 0) b.set(payload.subarray(start, end), o);

  // Checksum over the pseudo-header, the TCP header and the data (RFC 9293 3.1).
  const tcpLength = tcpHeader + dataBytes;
  let s = (f.srcIp >>> 16) + (f.srcIp & 0xffff) + (f.dstIp >>> 16) + (f.dstIp & 0xffff);
  s += PROTO_TCP + tcpLength;
  s = sum16(b, t, t + tcpLength, s);
  b.writeUInt16BE(fold(s), t + 16);
}

function writeMac(b: Buffer, at: number, ip: number): void {
  b[at] = 0x02;
  b[at + 1] = 0x00;
  b.writeUInt32BE(ip >>> 0, at + 2);
}

/** Adds the 16-bit big-endian words of b[from..to) to `s` (odd tail padded with zero). */
function sum16(b: Buffer, from: number, to: number, s: number): number {
  let i = from;
  // A double holds the running sum exactly far past any frame's length, so the
  // carries are folded once at the end rather than per word.
  for (; i + 1 < to; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (i < to) s += b[i]! << 8;
  return s;
}

/** The one's complement of the one's complement sum (RFC 1071). */
function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}
