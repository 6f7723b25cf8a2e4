import type { TcpSegment } from '../decode/types.js';

/**
 * Flow identity. A flow is one TCP connection seen from both sides, so the key
 * must not depend on which side sent the segment: the two endpoints are sorted.
 * The tunnel is part of the key so that mirrored networks with overlapping
 * addresses never share a flow.
 */

/** 0 for the endpoint that sorts first in the flow key, 1 for the other. */
export type Dir = 0 | 1;

/** One side of a connection. */
export interface Endpoint {
  ip: string;
  port: number;
}

/**
 * One endpoint as text. A space cannot occur in an IP address string, so
 * "ip port" is unambiguous for IPv6 too (where a colon would not be).
 */
export function endpointText(ip: string, port: number): string {
  return ip + ' ' + port;
}

/** The direction-independent key of the flow a segment belongs to. */
export function flowKey(seg: TcpSegment): string {
  const src = endpointText(seg.srcIp, seg.srcPort);
  const dst = endpointText(seg.dstIp, seg.dstPort);
  return src <= dst ? seg.tunnel + '|' + src + '|' + dst : seg.tunnel + '|' + dst + '|' + src;
}

/** Which direction of its flow a segment travels: 0 when its source sorts first. */
export function segmentDir(seg: TcpSegment): Dir {
  return endpointText(seg.srcIp, seg.srcPort) <= endpointText(seg.dstIp, seg.dstPort) ? 0 : 1;
}

/** The flow's two endpoints, index = Dir of the segments they send. */
export function flowEndpoints(seg: TcpSegment): [Endpoint, Endpoint] {
  const src = { ip: seg.srcIp, port: seg.srcPort };
  const dst = { ip: seg.dstIp, port: seg.dstPort };
  return segmentDir(seg) === 0 ? [src, dst] : [dst, src];
}

/**
 * 32-bit FNV-1a hash of the flow key: the same for both directions and in every
 * process (no per-process seed), so the main thread can shard flows across
 * worker threads and each flow lives in exactly one worker.
 */
export function flowHash(seg: TcpSegment): number {
  const key = flowKey(seg);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
