/**
 * MPLS label stacks (RFC 3032 section 2.1): 4-byte entries of label, traffic class,
 * bottom-of-stack bit and TTL. MPLS does not say what is under the stack; as
 * routers do for IP, the first nibble after it is taken as the IP version.
 */
import { type LayerStatus } from './bytes.js';

/** What is under a label stack. */
export interface MplsStack {
  /** Number of label entries. */
  labels: number;
  /** 4 or 6 when an IP header seems to follow, 0 when something else does. */
  ipVersion: number;
  /** Offset of the first byte after the bottom entry. */
  payload: number;
}

const ENTRY_BYTES = 4;
const BOTTOM_OF_STACK = 0x01; // low bit of the entry's third byte

/** A reusable result for decodeMpls. */
export function newMplsStack(): MplsStack {
  return { labels: 0, ipVersion: 0, payload: 0 };
}

/**
 * Reads label entries until the bottom-of-stack bit. A stack deeper than
 * `maxLabels` is 'malformed'.
 */
export function decodeMpls(
  b: Uint8Array,
  off: number,
  end: number,
  maxLabels: number,
  out: MplsStack,
): LayerStatus {
  out.labels = 0;
  out.ipVersion = 0;
  let o = off;
  for (;;) {
    if (out.labels >= maxLabels) return 'malformed';
    if (end - o < ENTRY_BYTES) return 'truncated';
    const bottom = (b[o + 2]! & BOTTOM_OF_STACK) !== 0;
    o += ENTRY_BYTES;
    out.labels++;
    if (bottom) break;
  }
  out.payload = o;
  if (o < end) {
    const v = b[o]! >> 4;
    // LIMITATION: pseudowires (a control word, then Ethernet; RFC 4448) and other
    // non-IP payloads are not decoded; ipVersion stays 0.
    if (v === 4 || v === 6) out.ipVersion = v;
  }
  return 'ok';
}
