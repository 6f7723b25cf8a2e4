/** Ethernet II frames (IEEE 802.3 clause 3.2): two MAC addresses and an EtherType. */
import { u16, type LayerStatus } from './bytes.js';

/** What an Ethernet header holds that decoding needs. */
export interface EthernetHeader {
  /** EtherType; values below 0x0600 are an 802.3 length instead (LLC follows). */
  etherType: number;
  /** Offset of the first byte after the header. */
  payload: number;
}

export const ETHERNET_HEADER_BYTES = 14;

/** A reusable result for decodeEthernet. */
export function newEthernetHeader(): EthernetHeader {
  return { etherType: 0, payload: 0 };
}

/** Decodes the Ethernet header at `off`; the frame's bytes end at `end`. */
export function decodeEthernet(
  b: Uint8Array,
  off: number,
  end: number,
  out: EthernetHeader,
): LayerStatus {
  if (end - off < ETHERNET_HEADER_BYTES) return 'truncated';
  out.etherType = u16(b, off + 12);
  out.payload = off + ETHERNET_HEADER_BYTES;
  // LIMITATION: 802.3 frames with an LLC/SNAP header (etherType < 0x0600) are not
  // looked into; they are counted as non-IP.
  return 'ok';
}
