/** UDP headers (RFC 768): only read to find the tunnels UDP carries. */
import { u16, type LayerStatus } from './bytes.js';

/** Ports and payload bounds of a UDP datagram. */
export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  payload: number;
  /** End of the captured payload, trimmed to the UDP length. */
  payloadEnd: number;
}

const HEADER_BYTES = 8;

/** A reusable result for decodeUdp. */
export function newUdpHeader(): UdpHeader {
  return { srcPort: 0, dstPort: 0, payload: 0, payloadEnd: 0 };
}

/** Decodes the UDP header at `off`; captured bytes end at `end`. */
export function decodeUdp(b: Uint8Array, off: number, end: number, out: UdpHeader): LayerStatus {
  if (end - off < HEADER_BYTES) return 'truncated';
  const length = u16(b, off + 4);
  // Length 0 is legal only in IPv6 jumbograms (RFC 2675); the IP length rules then.
  if (length !== 0 && length < HEADER_BYTES) return 'malformed';
  out.srcPort = u16(b, off);
  out.dstPort = u16(b, off + 2);
  out.payload = off + HEADER_BYTES;
  out.payloadEnd = length === 0 ? end : Math.min(off + length, end);
  return 'ok';
}
