/**
 * Writes TCP segments (as tests build them, see http-script.ts) to a classic pcap
 * file of Ethernet/IPv4 frames with correct checksums, so tshark can read the same
 * conversation shadowtap is given. IPv4 addresses only.
 */
import { ACK, frameLength, writeTcpFrame } from '../../bench/gen/frames.js';
import { PcapWriter } from '../../bench/gen/pcap-writer.js';
import type { TcpSegment } from '../../src/decode/types.js';

function ipv4(text: string): number {
  const p = text.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !(n >= 0 && n <= 255))) throw new Error(`not IPv4: ${text}`);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

/**
 * Writes `segs` in order to `path`; each segment's ts becomes its capture time.
 * `edit(i, frame)`, when given, may change frame i's bytes once written (checksums
 * are not redone: the decoder and tshark, by default, do not check them).
 */
export function writeSegmentsPcap(
  path: string,
  segs: readonly TcpSegment[],
  edit?: (i: number, frame: Buffer) => void,
): void {
  const w = new PcapWriter(path);
  try {
    for (const [i, s] of segs.entries()) {
      const length = frameLength(s.payload.length, s.flags);
      const { buf, at } = w.record(Math.round(s.ts * 1e6), length);
      writeTcpFrame(buf, at, {
        srcIp: ipv4(s.srcIp),
        dstIp: ipv4(s.dstIp),
        srcPort: s.srcPort,
        dstPort: s.dstPort,
        seq: s.seq,
        ack: s.flags & ACK ? s.ack : 0,
        flags: s.flags,
        window: 502,
        ipId: s.ipId,
        tsVal: s.packet,
        tsEcr: 0,
      }, s.payload, 0, s.payload.length);
      edit?.(i, buf.subarray(at, at + length));
    }
  } finally {
    w.close();
  }
}
