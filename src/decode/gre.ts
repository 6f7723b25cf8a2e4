/**
 * GRE (RFC 2784 section 2, with the key and sequence number of RFC 2890 section 2):
 * 4 bytes of flags, version and protocol (an EtherType), then the optional
 * checksum, key and sequence number, each 4 bytes, present by their flag bits.
 */
import { u16, u32, type LayerStatus } from './bytes.js';

/** IP protocol number of GRE. */
export const IPPROTO_GRE = 47;

/** What a GRE header says. */
export interface GreHeader {
  /** EtherType of the payload. */
  protocol: number;
  hasKey: boolean;
  key: number;
  hasSequence: boolean;
  payload: number;
}

const BASE_BYTES = 4;
const FLAG_CHECKSUM = 0x80;
const FLAG_ROUTING = 0x40;
const FLAG_KEY = 0x20;
const FLAG_SEQUENCE = 0x10;
const VERSION_MASK = 0x07;

/** A reusable result for decodeGre. */
export function newGreHeader(): GreHeader {
  return { protocol: 0, hasKey: false, key: 0, hasSequence: false, payload: 0 };
}

/**
 * Decodes the GRE header at `off`. Version 1 (PPTP's enhanced GRE) and RFC 1701
 * source routing are 'malformed' for our purposes.
 */
export function decodeGre(b: Uint8Array, off: number, end: number, out: GreHeader): LayerStatus {
  if (end - off < BASE_BYTES) return 'truncated';
  const flags = b[off]!;
  // LIMITATION: PPTP (version 1, carrying PPP) and RFC 1701 routing are not decoded.
  if ((b[off + 1]! & VERSION_MASK) !== 0 || (flags & FLAG_ROUTING) !== 0) return 'malformed';
  let o = off + BASE_BYTES;
  if ((flags & FLAG_CHECKSUM) !== 0) o += 4; // checksum + reserved; not verified
  out.hasKey = (flags & FLAG_KEY) !== 0;
  out.hasSequence = (flags & FLAG_SEQUENCE) !== 0;
  const need = o - off + (out.hasKey ? 4 : 0) + (out.hasSequence ? 4 : 0);
  if (end - off < need) return 'truncated';
  if (out.hasKey) {
    out.key = u32(b, o);
    o += 4;
  } else {
    out.key = 0;
  }
  if (out.hasSequence) o += 4;
  out.protocol = u16(b, off + 2);
  out.payload = o;
  return 'ok';
}
