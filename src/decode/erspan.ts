/**
 * ERSPAN, Cisco's mirrored-traffic encapsulation inside GRE
 * (draft-foschiano-erspan-03 section 4). Type II: an 8-byte header, then an
 * Ethernet frame. Type III: a 12-byte header, an optional 8-byte platform-specific
 * sub-header (O bit), then an Ethernet frame or an IP packet (Frame Type).
 * Type I has no header at all: GRE without a sequence number carries the frame.
 */
import { type LayerStatus } from './bytes.js';

/** What an ERSPAN header says about the mirrored frame. */
export interface ErspanHeader {
  /** The mirroring session, 10 bits. */
  sessionId: number;
  /** True when the payload is an IP packet (type III, Frame Type 2), not Ethernet. */
  ipPayload: boolean;
  payload: number;
}

const TYPE2_BYTES = 8;
const TYPE3_BYTES = 12;
const TYPE3_SUBHEADER_BYTES = 8;
const VERSION_TYPE2 = 1;
const VERSION_TYPE3 = 2;
const FRAME_ETHERNET = 0;
const FRAME_IP = 2;

/** A reusable result for the ERSPAN decoders. */
export function newErspanHeader(): ErspanHeader {
  return { sessionId: 0, ipPayload: false, payload: 0 };
}

/** Decodes an ERSPAN type II header (section 4.1). */
export function decodeErspan2(
  b: Uint8Array,
  off: number,
  end: number,
  out: ErspanHeader,
): LayerStatus {
  if (end - off < TYPE2_BYTES) return 'truncated';
  if (b[off]! >> 4 !== VERSION_TYPE2) return 'malformed';
  out.sessionId = sessionOf(b, off);
  out.ipPayload = false;
  out.payload = off + TYPE2_BYTES;
  return 'ok';
}

/** Decodes an ERSPAN type III header (section 4.2), skipping the platform sub-header. */
export function decodeErspan3(
  b: Uint8Array,
  off: number,
  end: number,
  out: ErspanHeader,
): LayerStatus {
  if (end - off < TYPE3_BYTES) return 'truncated';
  if (b[off]! >> 4 !== VERSION_TYPE3) return 'malformed';
  // Byte 10..11: P(1) FT(5) HW ID(6) D(1) Gra(2) O(1).
  const frameType = (b[off + 10]! >> 2) & 0x1f;
  if (frameType !== FRAME_ETHERNET && frameType !== FRAME_IP) return 'malformed';
  const subheader = (b[off + 11]! & 0x01) !== 0 ? TYPE3_SUBHEADER_BYTES : 0;
  if (end - off < TYPE3_BYTES + subheader) return 'truncated';
  out.sessionId = sessionOf(b, off);
  out.ipPayload = frameType === FRAME_IP;
  out.payload = off + TYPE3_BYTES + subheader;
  return 'ok';
}

/** The 10-bit session id: low 2 bits of byte 2 and all of byte 3, in both types. */
function sessionOf(b: Uint8Array, off: number): number {
  return ((b[off + 2]! & 0x03) << 8) | b[off + 3]!;
}
