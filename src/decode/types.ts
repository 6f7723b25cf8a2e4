/**
 * A TCP segment as the decoder hands it to reassembly. Addresses are strings
 * (dotted IPv4, RFC 5952 IPv6) so flow keys are stable and readable.
 */
export interface TcpSegment {
  /** Packet number in the source, for reports and ordering. */
  packet: number;
  /** Capture time, seconds since the epoch. */
  ts: number;
  /**
   * Identifies the tunnel (or none: '') the segment travelled in, so that two
   * mirrored networks with the same addresses never mix, e.g. 'vxlan:4242'.
   */
  tunnel: string;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TCP flags byte: FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10. */
  flags: number;
  /** The IP identification field (0 for IPv6), for duplicate detection. */
  ipId: number;
  /** TCP payload; a view valid only as long as the packet that carried it. */
  payload: Uint8Array;
  /**
   * Payload bytes the IP length claims beyond what the capture kept (snap length);
   * reassembly treats them as a gap. Absent or 0 when the payload is whole.
   */
  missing?: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;
