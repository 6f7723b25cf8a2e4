/** VXLAN (RFC 7348 section 5): an 8-byte header, then an Ethernet frame. */
import { u24, type LayerStatus } from './bytes.js';

/** IANA-assigned UDP destination port. */
export const VXLAN_PORT = 4789;

/** The VXLAN Network Identifier and where the inner frame starts. */
export interface VxlanHeader {
  vni: number;
  payload: number;
}

const HEADER_BYTES = 8;
const FLAG_VNI_VALID = 0x08; // the I flag: must be set for the VNI to mean anything

/** A reusable result for decodeVxlan. */
export function newVxlanHeader(): VxlanHeader {
  return { vni: 0, payload: 0 };
}

/** Decodes the VXLAN header at `off`. A header without the I flag is 'malformed'. */
export function decodeVxlan(
  b: Uint8Array,
  off: number,
  end: number,
  out: VxlanHeader,
): LayerStatus {
  if (end - off < HEADER_BYTES) return 'truncated';
  if ((b[off]! & FLAG_VNI_VALID) === 0) return 'malformed';
  out.vni = u24(b, off + 4);
  out.payload = off + HEADER_BYTES;
  return 'ok';
}
