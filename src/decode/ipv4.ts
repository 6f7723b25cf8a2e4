/**
 * IPv4 headers (RFC 791 section 3.1): header length from IHL (options skipped),
 * datagram length from Total Length, which also trims link-layer padding and a
 * trailing Ethernet FCS off the payload.
 */
import { u16, type LayerStatus } from './bytes.js';

/** What an IPv4 header holds that decoding needs. */
export interface Ipv4Header {
  protocol: number;
  /** Identification field. */
  id: number;
  /** Offsets of the source and destination addresses. */
  srcOff: number;
  dstOff: number;
  /** Offset of the payload (after options). */
  payload: number;
  /** End of the payload's captured bytes: min(total length, captured end). */
  payloadEnd: number;
  /** Where the payload would end if the whole datagram had been captured. */
  claimedEnd: number;
  /** Bytes the total length claims beyond the captured end (0 when whole). */
  missing: number;
  /** More Fragments flag. */
  moreFragments: boolean;
  /** Fragment offset in bytes. */
  fragmentOffset: number;
}

const MIN_HEADER_BYTES = 20;
const FLAG_MF = 0x2000;
const OFFSET_MASK = 0x1fff;

/** A reusable result for decodeIpv4. */
export function newIpv4Header(): Ipv4Header {
  return {
    protocol: 0,
    id: 0,
    srcOff: 0,
    dstOff: 0,
    payload: 0,
    payloadEnd: 0,
    claimedEnd: 0,
    missing: 0,
    moreFragments: false,
    fragmentOffset: 0,
  };
}

/** Decodes the IPv4 header at `off`; captured bytes end at `end`. */
export function decodeIpv4(b: Uint8Array, off: number, end: number, out: Ipv4Header): LayerStatus {
  if (end - off < MIN_HEADER_BYTES) return 'truncated';
  const vihl = b[off]!;
  if (vihl >> 4 !== 4) return 'malformed';
  const headerBytes = (vihl & 0x0f) * 4;
  if (headerBytes < MIN_HEADER_BYTES) return 'malformed';
  if (end - off < headerBytes) return 'truncated';
  let total = u16(b, off + 2);
  // Total Length 0 is what segmentation offload leaves in packets captured on the
  // sending host before the NIC splits them; the captured length is all we have.
  if (total === 0) total = end - off;
  if (total < headerBytes) return 'malformed';
  const frag = u16(b, off + 6);
  out.protocol = b[off + 9]!;
  out.id = u16(b, off + 4);
  out.srcOff = off + 12;
  out.dstOff = off + 16;
  out.payload = off + headerBytes;
  out.claimedEnd = off + total;
  out.payloadEnd = Math.min(out.claimedEnd, end);
  out.missing = out.claimedEnd - out.payloadEnd;
  out.moreFragments = (frag & FLAG_MF) !== 0;
  out.fragmentOffset = (frag & OFFSET_MASK) * 8;
  return 'ok';
}
