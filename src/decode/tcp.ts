/** TCP headers (RFC 9293 section 3.1): ports, sequence numbers, flags, data offset. */
import { u16, u32, type LayerStatus } from './bytes.js';

/** What a TCP header holds that reassembly needs. */
export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** The low flag byte: FIN SYN RST PSH ACK URG ECE CWR. */
  flags: number;
  /** Offset of the payload (after options). */
  payload: number;
}

const MIN_HEADER_BYTES = 20;

/** A reusable result for decodeTcp. */
export function newTcpHeader(): TcpHeader {
  return { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, payload: 0 };
}

/**
 * Decodes the TCP header at `off`. `length` is the segment length the IP layer
 * claims; captured bytes end at `end` (maybe sooner). A data offset below 5 words
 * or past the segment is 'malformed'; past the captured bytes only, 'truncated'.
 */
export function decodeTcp(
  b: Uint8Array,
  off: number,
  end: number,
  length: number,
  out: TcpHeader,
): LayerStatus {
  if (length < MIN_HEADER_BYTES) return 'malformed';
  if (end - off < MIN_HEADER_BYTES) return 'truncated';
  const headerBytes = (b[off + 12]! >> 4) * 4;
  if (headerBytes < MIN_HEADER_BYTES || headerBytes > length) return 'malformed';
  if (end - off < headerBytes) return 'truncated';
  out.srcPort = u16(b, off);
  out.dstPort = u16(b, off + 2);
  out.seq = u32(b, off + 4);
  out.ack = u32(b, off + 8);
  out.flags = b[off + 13]!;
  out.payload = off + headerBytes;
  return 'ok';
}
