/**
 * Loopback link headers: a 4-byte address family before the IP packet. BSD NULL
 * (LINKTYPE_NULL) writes it in the capturing host's byte order, which the file does
 * not record, so both orders are tried; OpenBSD LOOP (LINKTYPE_LOOP) writes it in
 * network byte order. AF_INET6 differs by OS, hence several values.
 */
import { u32, type LayerStatus } from './bytes.js';

/** The IP version the family names, and where the packet starts. */
export interface LoopbackHeader {
  /** 4 or 6; 0 when the family is not IP. */
  ipVersion: number;
  /** The family value as read (in the byte order that made sense). */
  family: number;
  payload: number;
}

const HEADER_BYTES = 4;
const AF_INET = 2;
/** AF_INET6 on NetBSD/OpenBSD/BSD-OS (24), FreeBSD/DragonFly (28), Darwin (30). */
const AF_INET6 = new Set([24, 28, 30]);

/** A reusable result for decodeNull and decodeLoop. */
export function newLoopbackHeader(): LoopbackHeader {
  return { ipVersion: 0, family: 0, payload: 0 };
}

/** BSD NULL: family in the writer's byte order. */
export function decodeNull(
  b: Uint8Array,
  off: number,
  end: number,
  out: LoopbackHeader,
): LayerStatus {
  if (end - off < HEADER_BYTES) return 'truncated';
  let family = u32(b, off);
  // Family values are small; read big-endian they land in the top bytes when the
  // writer was little-endian.
  if ((family & 0xffff0000) !== 0) {
    family = (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
  }
  return settle(family, off, out);
}

/** OpenBSD LOOP: family in network byte order. */
export function decodeLoop(
  b: Uint8Array,
  off: number,
  end: number,
  out: LoopbackHeader,
): LayerStatus {
  if (end - off < HEADER_BYTES) return 'truncated';
  return settle(u32(b, off), off, out);
}

function settle(family: number, off: number, out: LoopbackHeader): LayerStatus {
  out.family = family;
  out.ipVersion = family === AF_INET ? 4 : AF_INET6.has(family) ? 6 : 0;
  out.payload = off + HEADER_BYTES;
  return 'ok';
}
