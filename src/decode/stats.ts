/** Counters of what the packet decoder saw, for the run summary. */

/** Packets by tunnel or tag kind; a packet inside two kinds counts in both. */
export interface TunnelCounts {
  vlan: number;
  mpls: number;
  gre: number;
  erspan: number;
  vxlan: number;
  geneve: number;
}

/**
 * Decoder counters. tcp/udp/icmp/other count IP datagrams by their innermost
 * transport (a reassembled datagram once, a tunnelled packet by what is inside);
 * nonIp counts frames with no IP to decode; malformed counts packets dropped at a
 * cut or impossible header (each also counted as an anomaly).
 */
export interface DecodeStats {
  packets: number;
  tcp: number;
  udp: number;
  icmp: number;
  other: number;
  nonIp: number;
  malformed: number;
  /** IP fragments taken into reassembly. */
  fragments: number;
  /** Datagrams completed from fragments. */
  reassembled: number;
  tunnels: TunnelCounts;
}

/** All counters at zero. */
export function newDecodeStats(): DecodeStats {
  return {
    packets: 0,
    tcp: 0,
    udp: 0,
    icmp: 0,
    other: 0,
    nonIp: 0,
    malformed: 0,
    fragments: 0,
    reassembled: 0,
    tunnels: { vlan: 0, mpls: 0, gre: 0, erspan: 0, vxlan: 0, geneve: 0 },
  };
}
