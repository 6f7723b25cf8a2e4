/**
 * IPv6 headers (RFC 8200): the fixed 40-byte header, then extension headers walked
 * by their Next Header chain until an upper-layer protocol or a Fragment header.
 */
import { u16, u32, type LayerStatus } from './bytes.js';

/** What an IPv6 header and its extension headers hold that decoding needs. */
export interface Ipv6Header {
  /** Offsets of the source and destination addresses. */
  srcOff: number;
  dstOff: number;
  /**
   * The upper-layer protocol; for a fragment, the Next Header of its Fragment
   * header (what the reassembled payload starts with).
   */
  nextHeader: number;
  /** Offset of the upper-layer header, or of the fragment's data. */
  payload: number;
  /** End of the captured payload bytes. */
  payloadEnd: number;
  /** Where the payload would end if the whole packet had been captured. */
  claimedEnd: number;
  /** Bytes the payload length claims beyond the captured end. */
  missing: number;
  /** True when a Fragment header was met (and it is not an atomic fragment). */
  fragment: boolean;
  fragmentOffset: number;
  moreFragments: boolean;
  fragmentId: number;
}

const FIXED_HEADER_BYTES = 40;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTH = 51;
const DEST_OPTS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;
const FRAGMENT_HEADER_BYTES = 8;

/** A reusable result for decodeIpv6. */
export function newIpv6Header(): Ipv6Header {
  return {
    srcOff: 0,
    dstOff: 0,
    nextHeader: 0,
    payload: 0,
    payloadEnd: 0,
    claimedEnd: 0,
    missing: 0,
    fragment: false,
    fragmentOffset: 0,
    moreFragments: false,
    fragmentId: 0,
  };
}

/** Decodes the IPv6 header at `off` and its extension headers. */
export function decodeIpv6(b: Uint8Array, off: number, end: number, out: Ipv6Header): LayerStatus {
  if (end - off < FIXED_HEADER_BYTES) return 'truncated';
  if (b[off]! >> 4 !== 6) return 'malformed';
  let length = u16(b, off + 4);
  // Payload Length 0 means a jumbogram (RFC 2675) or an offloaded packet captured
  // before segmentation; either way the captured length is all we have.
  // LIMITATION: the jumbogram's real length in its Hop-by-Hop option is not read.
  if (length === 0) length = end - off - FIXED_HEADER_BYTES;
  out.srcOff = off + 8;
  out.dstOff = off + 24;
  out.claimedEnd = off + FIXED_HEADER_BYTES + length;
  out.payloadEnd = Math.min(out.claimedEnd, end);
  out.missing = out.claimedEnd - out.payloadEnd;
  return walkIpv6Extensions(b, off + FIXED_HEADER_BYTES, b[off + 6]!, out);
}

/**
 * Walks extension headers from `off`, where a header of type `next` starts, up to
 * out.payloadEnd. Stops at an upper-layer protocol or at a Fragment header with
 * data to reassemble: the headers after it belong to the fragmentable part (RFC
 * 8200 section 4.5) and are walked again after reassembly.
 */
export function walkIpv6Extensions(
  b: Uint8Array,
  off: number,
  next: number,
  out: Ipv6Header,
): LayerStatus {
  const end = out.payloadEnd;
  let o = off;
  let nh = next;
  out.fragment = false;
  for (;;) {
    let size: number;
    if (
      nh === HOP_BY_HOP ||
      nh === ROUTING ||
      nh === DEST_OPTS ||
      nh === MOBILITY ||
      nh === HIP ||
      nh === SHIM6
    ) {
      // The uniform layout of RFC 6564: length in 8-octet units, not counting the first.
      if (end - o < 2) return cut(out);
      size = (b[o + 1]! + 1) * 8;
    } else if (nh === AUTH) {
      // RFC 4302 section 2.2: length in 4-octet units, minus 2.
      if (end - o < 2) return cut(out);
      size = (b[o + 1]! + 2) * 4;
    } else if (nh === FRAGMENT) {
      if (end - o < FRAGMENT_HEADER_BYTES) return cut(out);
      const field = u16(b, o + 2);
      const offset = field & 0xfff8; // 13-bit offset in 8-octet units, already scaled
      const more = (field & 0x0001) !== 0;
      nh = b[o]!;
      o += FRAGMENT_HEADER_BYTES;
      // An atomic fragment (offset 0, no more) is a whole packet (RFC 6946).
      if (offset !== 0 || more) {
        out.fragment = true;
        out.fragmentOffset = offset;
        out.moreFragments = more;
        out.fragmentId = u32(b, o - FRAGMENT_HEADER_BYTES + 4);
        break;
      }
      continue;
    } else {
      break;
    }
    if (end - o < size) return cut(out);
    nh = b[o]!;
    o += size;
  }
  out.nextHeader = nh;
  out.payload = o;
  return 'ok';
}

/** An extension header runs past the bytes we have: cut by the capture, or lying. */
function cut(out: Ipv6Header): LayerStatus {
  return out.missing > 0 ? 'truncated' : 'malformed';
}
