/**
 * GENEVE (RFC 8926 section 3.4): an 8-byte header, variable-length options skipped
 * by their total length, then a frame whose kind the Protocol Type (an EtherType)
 * names: 0x6558 for Ethernet, 0x0800/0x86dd for IP.
 */
import { u16, u24, type LayerStatus } from './bytes.js';

/** IANA-assigned UDP destination port. */
export const GENEVE_PORT = 6081;

/** What a GENEVE header says about its payload. */
export interface GeneveHeader {
  vni: number;
  /** EtherType of the payload. */
  protocol: number;
  payload: number;
}

const HEADER_BYTES = 8;

/** A reusable result for decodeGeneve. */
export function newGeneveHeader(): GeneveHeader {
  return { vni: 0, protocol: 0, payload: 0 };
}

/** Decodes the GENEVE header at `off`. Versions other than 0 are 'malformed'. */
export function decodeGeneve(
  b: Uint8Array,
  off: number,
  end: number,
  out: GeneveHeader,
): LayerStatus {
  if (end - off < HEADER_BYTES) return 'truncated';
  const first = b[off]!;
  if (first >> 6 !== 0) return 'malformed';
  const optionBytes = (first & 0x3f) * 4;
  if (end - off < HEADER_BYTES + optionBytes) return 'truncated';
  out.protocol = u16(b, off + 2);
  out.vni = u24(b, off + 4);
  out.payload = off + HEADER_BYTES + optionBytes;
  return 'ok';
}
