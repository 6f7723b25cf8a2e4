/**
 * Linux "cooked" captures (tcpdump -i any): SLL v1 (LINKTYPE_LINUX_SLL, 16 bytes)
 * and v2 (LINKTYPE_LINUX_SLL2, 20 bytes). Both end their header with, or lead with,
 * an EtherType-valued protocol field that says what follows.
 */
import { u16, type LayerStatus } from './bytes.js';

/** The protocol and payload of a cooked header. */
export interface SllHeader {
  /** The protocol field: an EtherType for every payload we decode. */
  protocol: number;
  /** ARPHRD_* type of the interface the packet was seen on. */
  hardwareType: number;
  /** Offset of the first byte after the header. */
  payload: number;
}

const SLL_BYTES = 16;
const SLL2_BYTES = 20;

/** A reusable result for decodeSll and decodeSll2. */
export function newSllHeader(): SllHeader {
  return { protocol: 0, hardwareType: 0, payload: 0 };
}

/**
 * SLL v1: packet type (2), ARPHRD type (2), address length (2), address (8),
 * protocol (2).
 */
export function decodeSll(b: Uint8Array, off: number, end: number, out: SllHeader): LayerStatus {
  if (end - off < SLL_BYTES) return 'truncated';
  out.hardwareType = u16(b, off + 2);
  out.protocol = u16(b, off + 14);
  out.payload = off + SLL_BYTES;
  return 'ok';
}

/**
 * SLL v2: protocol (2), reserved (2), interface index (4), ARPHRD type (2),
 * packet type (1), address length (1), address (8).
 */
export function decodeSll2(b: Uint8Array, off: number, end: number, out: SllHeader): LayerStatus {
  if (end - off < SLL2_BYTES) return 'truncated';
  out.protocol = u16(b, off);
  out.hardwareType = u16(b, off + 8);
  out.payload = off + SLL2_BYTES;
  return 'ok';
}
