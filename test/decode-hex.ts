/**
 * Helpers for the decoder tests: hex fixtures with comments, and running one
 * frame through a fresh PacketDecoder.
 */
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith, type Limits } from '../src/config/limits.js';
import { PacketDecoder } from '../src/decode/packet.js';
import type { TcpSegment } from '../src/decode/types.js';
import type { CapturedPacket } from '../src/source/types.js';

/** Bytes from hex text; '#' starts a comment to the end of the line. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/#.*$/gm, '').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(digits)) throw new Error(`bad hex fixture: ${digits}`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/** The parts joined into one buffer. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** A captured packet of `data` on `linkType`, `origLen` bytes long on the wire. */
export function captured(
  data: Uint8Array,
  linkType: number,
  index = 1,
  ts = 1000,
  origLen = data.length,
): CapturedPacket {
  return { index, linkType, ts, data, origLen };
}

/** Result of decoding frames with a fresh decoder. */
export interface Decoded {
  segments: (TcpSegment | null)[];
  decoder: PacketDecoder;
  anomalies: AnomalyCounter;
}

/**
 * Decodes `frames` in order with one fresh decoder. `wireLengths[i]`, when given, is
 * frame i's length on the wire: a frame shorter than it was cut by the snap length.
 */
export function decodeFrames(
  frames: Uint8Array[],
  linkType: number,
  limits: Partial<Limits> = {},
  wireLengths: number[] = [],
): Decoded {
  const anomalies = new AnomalyCounter();
  const decoder = new PacketDecoder(limitsWith(limits), anomalies);
  const segments = frames.map((f, i) =>
    decoder.decode(captured(f, linkType, i + 1, 1000, wireLengths[i] ?? f.length)));
  return { segments, decoder, anomalies };
}

/** Text of a payload, for assertions. */
export function text(b: Uint8Array): string {
  return Buffer.from(b).toString('latin1');
}

/** A 16-byte HTTP request line as TCP payload: "GET / HTTP/1.1\r\n". */
export const GET_LINE = hex('47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a');

/**
 * IPv4 + TCP carrying GET_LINE (56 bytes):
 * IP 10.0.0.1.49152 > 10.0.0.2.80: Flags [P.], seq 1:17, ack 2, win 65535, length 16
 */
export const IPV4_TCP_GET = concat(
  hex(`
    45 00 00 38 00 07 40 00 40 06 00 00  # IPv4, IHL 5, total 56, id 7, DF, ttl 64, TCP
    0a 00 00 01  0a 00 00 02             # 10.0.0.1 > 10.0.0.2
    c0 00 00 50                          # ports 49152 > 80
    00 00 00 01  00 00 00 02             # seq 1, ack 2
    50 18 ff ff  00 00 00 00             # data offset 5, flags PSH|ACK, win 65535
  `),
  GET_LINE,
);

/** Ethernet II header for an IPv4 payload: 00:00:00:00:00:01 > 00:00:00:00:00:02. */
export const ETH_IPV4 = hex('00 00 00 00 00 02  00 00 00 00 00 01  08 00');
