/**
 * What every layer decoder shares: big-endian reads straight from the bytes (no
 * DataView per packet) and the three outcomes a decoder can report.
 */

/**
 * How a layer decoder fared. 'truncated': the capture ended inside the header
 * (snap length or a cut frame). 'malformed': the header is all there but says
 * something impossible. Neither throws: the caller counts an anomaly.
 */
export type LayerStatus = 'ok' | 'truncated' | 'malformed';

/** Big-endian unsigned 16-bit read; the caller has checked the bounds. */
export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Big-endian unsigned 32-bit read; the caller has checked the bounds. */
export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Big-endian unsigned 24-bit read (VXLAN and GENEVE VNIs). */
export function u24(b: Uint8Array, o: number): number {
  return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
}
