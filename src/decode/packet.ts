/**
 * The packet decoder: runs the layer decoders from the link type down to TCP,
 * sending tunnel payloads back through the same dispatch, and turns what it finds
 * into TcpSegments. It is stateful only for IP fragments. Every header result
 * lives in a struct allocated once here, so a packet costs the TcpSegment, its
 * payload view and (uncached) address strings, nothing more.
 */
import type { AnomalyCode, AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type { CapturedPacket } from '../source/types.js';
import { formatIpv4, formatIpv6 } from './address.js';
import type { LayerStatus } from './bytes.js';
import { decodeEthernet, newEthernetHeader } from './ethernet.js';
import * as ET from './ethertypes.js';
import { FragmentReassembler } from './fragments.js';
import { decodeIpv4, newIpv4Header } from './ipv4.js';
import { decodeIpv6, newIpv6Header, walkIpv6Extensions } from './ipv6.js';
import * as LT from './link-types.js';
import { decodeLoop, decodeNull, newLoopbackHeader } from './loopback.js';
import { decodeMpls, newMplsStack } from './mpls.js';
import { decodeSll, decodeSll2, newSllHeader } from './sll.js';
import { newDecodeStats, type DecodeStats } from './stats.js';
import { decodeTcp, newTcpHeader } from './tcp.js';
import { IPPROTO_GRE } from './gre.js';
import type { TcpSegment } from './types.js';
import { decodeUdp, newUdpHeader } from './udp.js';
import { decodeVlanStack, newVlanStack } from './vlan.js';
import { TunnelDecoder } from './tunnels.js';

export type { DecodeStats } from './stats.js';

const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ICMPV6 = 58;
const EMPTY = new Uint8Array(0);

/** Decodes captured packets into TCP segments; one instance per packet stream. */
export class PacketDecoder {
  readonly stats: DecodeStats = newDecodeStats();
  private readonly frags: FragmentReassembler;
  private readonly tunnels: TunnelDecoder;
  private readonly eth = newEthernetHeader();
  private readonly vlan = newVlanStack();
  private readonly mpls = newMplsStack();
  private readonly sll = newSllHeader();
  private readonly loop = newLoopbackHeader();
  private readonly ip4 = newIpv4Header();
  private readonly ip6 = newIpv6Header();
  private readonly tcp = newTcpHeader();
  private readonly udp = newUdpHeader();

  // Per-packet state, reset by decode().
  private packet = 0;
  private ts = 0;
  private tunnel = '';
  private depth = 0;
  private truncated = false;
  // The record's bytes, and whether the capture cut it (shorter than on the wire).
  private record: Uint8Array = EMPTY;
  private snapped = false;
  /** Where the innermost IP header's addresses are, for the segment's strings. */
  private ipV6 = false;
  private ipBuf: Uint8Array = EMPTY;
  private ipSrc = 0;
  private ipDst = 0;
  private ipId = 0;

  constructor(
    private readonly limits: Limits,
    private readonly anomalies: AnomalyCounter,
  ) {
    this.frags = new FragmentReassembler(limits, anomalies);
    // The tunnel decoder sends inner frames back through this decoder's dispatch.
    this.tunnels = new TunnelDecoder({
      stats: this.stats,
      ethernet: (b, off, end) => this.ethernet(b, off, end),
      etherType: (type, b, off, end) => this.etherType(type, b, off, end),
      rawIp: (b, off, end) => this.rawIp(b, off, end),
      enterTunnel: (label) => this.enterTunnel(label),
      fail: (st, code) => this.fail(st, code),
    });
  }

  /**
   * Decodes one packet. Returns its TCP segment (payload clipped to what was
   * captured, `missing` saying how much the IP length claims beyond), or null for
   * anything else. Never throws on traffic: problems become anomalies.
   */
  decode(p: CapturedPacket): TcpSegment | null {
    this.stats.packets++;
    this.packet = p.index;
    this.ts = p.ts;
    this.tunnel = '';
    this.depth = 0;
    this.truncated = false;
    this.record = p.data;
    this.snapped = p.origLen > p.data.length;
    if (this.frags.size > 0) this.frags.expire(p.ts);
    const seg = this.link(p.linkType, p.data, 0, p.data.length);
    if (this.truncated) this.anomalies.add('truncated-packet');
    return seg;
  }

  /** End of input: fragments still waiting are given up (counted as timed out). */
  finish(): void {
    this.frags.finish();
  }

  private link(linkType: number, b: Uint8Array, off: number, end: number): TcpSegment | null {
    switch (linkType) {
      case LT.LINKTYPE_ETHERNET:
        return this.ethernet(b, off, end);
      case LT.LINKTYPE_NULL:
        return this.loopback(decodeNull(b, off, end, this.loop), b, end);
      case LT.LINKTYPE_LOOP:
        return this.loopback(decodeLoop(b, off, end, this.loop), b, end);
      case LT.LINKTYPE_LINUX_SLL:
        return this.cooked(decodeSll(b, off, end, this.sll), b, end);
      case LT.LINKTYPE_LINUX_SLL2:
        return this.cooked(decodeSll2(b, off, end, this.sll), b, end);
      case LT.LINKTYPE_RAW:
      case LT.LINKTYPE_DLT_RAW_12:
      case LT.LINKTYPE_DLT_RAW_14:
        return this.rawIp(b, off, end);
      case LT.LINKTYPE_IPV4:
        return this.ipv4(b, off, end);
      case LT.LINKTYPE_IPV6:
        return this.ipv6(b, off, end);
      default:
        this.stats.nonIp++;
        return null;
    }
  }

  /** An Ethernet frame at `off` (also the inner frame of several tunnels). */
  private ethernet(b: Uint8Array, off: number, end: number): TcpSegment | null {
    const st = decodeEthernet(b, off, end, this.eth);
    if (st !== 'ok') return this.fail(st, 'bad-link-header');
    return this.etherType(this.eth.etherType, b, this.eth.payload, end);
  }

  /** Whatever an EtherType names, starting at `off`: VLAN tags, MPLS, IP. */
  private etherType(type: number, b: Uint8Array, off: number, end: number): TcpSegment | null {
    let t = type;
    let o = off;
    if (ET.isVlanTag(t)) {
      const st = decodeVlanStack(b, o, end, t, this.limits.maxVlanTags, this.vlan);
      if (st !== 'ok') return this.fail(st, 'bad-link-header');
      this.stats.tunnels.vlan++;
      t = this.vlan.etherType;
      o = this.vlan.payload;
    }
    switch (t) {
      case ET.ETHERTYPE_IPV4:
        return this.ipv4(b, o, end);
      case ET.ETHERTYPE_IPV6:
        return this.ipv6(b, o, end);
      case ET.ETHERTYPE_MPLS:
      case ET.ETHERTYPE_MPLS_MULTICAST: {
        const st = decodeMpls(b, o, end, this.limits.maxMplsLabels, this.mpls);
        if (st !== 'ok') return this.fail(st, 'bad-link-header');
        this.stats.tunnels.mpls++;
        if (this.mpls.ipVersion === 4) return this.ipv4(b, this.mpls.payload, end);
        if (this.mpls.ipVersion === 6) return this.ipv6(b, this.mpls.payload, end);
        this.stats.nonIp++;
        return null;
      }
      default:
        this.stats.nonIp++;
        return null;
    }
  }

  /** An IP packet of either version, told by its first nibble. */
  private rawIp(b: Uint8Array, off: number, end: number): TcpSegment | null {
    if (end - off < 1) return this.fail('truncated', 'bad-ip-header');
    const version = b[off]! >> 4;
    if (version === 4) return this.ipv4(b, off, end);
    if (version === 6) return this.ipv6(b, off, end);
    return this.fail('malformed', 'bad-ip-header');
  }

  /**
   * Enters a tunnel: composes its label onto the tunnel id. False (with an
   * anomaly) when tunnels nest deeper than the limit.
   */
  private enterTunnel(label: string): boolean {
    if (++this.depth > this.limits.maxTunnelDepth) {
      this.fail('malformed', 'bad-tunnel-header');
      return false;
    }
    this.tunnel = this.tunnel === '' ? label : `${this.tunnel}/${label}`;
    return true;
  }

  /**
   * Whether an IP length reaching past `end` in `b` is the capture's snap length:
   * only when `end` is the end of a record the capture cut. Otherwise (a whole record,
   * or an inner packet ending before its outer one does) the length field lies; a
   * host drops such a packet (RFC 1122 §3.2.1.1 checks), and so do we.
   */
  private cutByCapture(b: Uint8Array, end: number): boolean {
    return this.snapped && b === this.record && end === b.length;
  }

  /** Counts a packet dropped at a header: cut short by the capture, or impossible. */
  private fail(st: LayerStatus, code: AnomalyCode): null {
    if (st === 'truncated') this.truncated = true;
    else this.anomalies.add(code);
    this.stats.malformed++;
    return null;
  }

  private loopback(st: LayerStatus, b: Uint8Array, end: number): TcpSegment | null {
    if (st !== 'ok') return this.fail(st, 'bad-link-header');
    if (this.loop.ipVersion === 4) return this.ipv4(b, this.loop.payload, end);
    if (this.loop.ipVersion === 6) return this.ipv6(b, this.loop.payload, end);
    this.stats.nonIp++;
    return null;
  }

  private cooked(st: LayerStatus, b: Uint8Array, end: number): TcpSegment | null {
    if (st !== 'ok') return this.fail(st, 'bad-link-header');
    return this.etherType(this.sll.protocol, b, this.sll.payload, end);
  }

  private ipv4(b: Uint8Array, off: number, end: number): TcpSegment | null {
    const h = this.ip4;
    const st = decodeIpv4(b, off, end, h);
    if (st !== 'ok') return this.fail(st, 'bad-ip-header');
    if (h.missing > 0) {
      if (!this.cutByCapture(b, end)) return this.fail('malformed', 'bad-ip-header');
      this.truncated = true;
    }
    this.ipV6 = false;
    this.ipBuf = b;
    this.ipSrc = h.srcOff;
    this.ipDst = h.dstOff;
    this.ipId = h.id;
    if (!h.moreFragments && h.fragmentOffset === 0) {
      return this.transport(h.protocol, b, h.payload, h.payloadEnd, h.claimedEnd);
    }
    this.stats.fragments++;
    // LIMITATION: a fragment cut by the snap length cannot complete its datagram.
    if (h.missing > 0) return null;
    const key =
      `4|${this.tunnel}|${formatIpv4(b, h.srcOff)}|${formatIpv4(b, h.dstOff)}` +
      `|${h.protocol}|${h.id}`;
    const data = b.subarray(h.payload, h.payloadEnd);
    const whole = this.frags.add(key, this.ts, h.fragmentOffset, data, h.moreFragments, h.protocol);
    return whole === null ? null : this.reassembled(whole.protocol, whole.payload);
  }

  private ipv6(b: Uint8Array, off: number, end: number): TcpSegment | null {
    const h = this.ip6;
    const st = decodeIpv6(b, off, end, h);
    if (st !== 'ok') return this.fail(st, 'bad-ip-header');
    if (h.missing > 0) {
      if (!this.cutByCapture(b, end)) return this.fail('malformed', 'bad-ip-header');
      this.truncated = true;
    }
    this.ipV6 = true;
    this.ipBuf = b;
    this.ipSrc = h.srcOff;
    this.ipDst = h.dstOff;
    this.ipId = 0;
    if (!h.fragment) return this.transport(h.nextHeader, b, h.payload, h.payloadEnd, h.claimedEnd);
    this.stats.fragments++;
    if (h.missing > 0) return null; // LIMITATION: as for IPv4, a cut fragment is dropped
    const key =
      `6|${this.tunnel}|${formatIpv6(b, h.srcOff)}|${formatIpv6(b, h.dstOff)}` +
      `|${h.fragmentId}`;
    const data = b.subarray(h.payload, h.payloadEnd);
    const more = h.moreFragments;
    const whole = this.frags.add(key, this.ts, h.fragmentOffset, data, more, h.nextHeader);
    if (whole === null) return null;
    // Headers after the Fragment header belong to the reassembled payload.
    h.payloadEnd = whole.payload.length;
    h.claimedEnd = h.payloadEnd;
    h.missing = 0;
    const walk = walkIpv6Extensions(whole.payload, 0, whole.protocol, h);
    if (walk !== 'ok' || h.fragment) return this.fail('malformed', 'bad-ip-header');
    return this.reassembled(h.nextHeader, whole.payload.subarray(h.payload));
  }

  private reassembled(protocol: number, payload: Uint8Array): TcpSegment | null {
    this.stats.reassembled++;
    return this.transport(protocol, payload, 0, payload.length, payload.length);
  }

  /** The transport layer of an IP datagram whose payload is [off, end) of `claimedEnd`. */
  private transport(
    protocol: number,
    b: Uint8Array,
    off: number,
    end: number,
    claimedEnd: number,
  ): TcpSegment | null {
    switch (protocol) {
      case IPPROTO_TCP:
        return this.segment(b, off, end, claimedEnd);
      case IPPROTO_UDP: {
        const st = decodeUdp(b, off, end, this.udp);
        if (st !== 'ok') return this.fail(st, 'bad-ip-header');
        const u = this.udp;
        const inner = this.tunnels.udp(u.dstPort, b, u.payload, u.payloadEnd);
        if (inner === undefined) this.stats.udp++;
        return inner ?? null;
      }
      case IPPROTO_GRE:
        return this.tunnels.gre(b, off, end);
      case IPPROTO_ICMP:
      case IPPROTO_ICMPV6:
        this.stats.icmp++;
        return null;
      default:
        this.stats.other++;
        return null;
    }
  }

  private segment(b: Uint8Array, off: number, end: number, claimedEnd: number): TcpSegment | null {
    const t = this.tcp;
    const st = decodeTcp(b, off, end, claimedEnd - off, t);
    if (st !== 'ok') return this.fail(st, 'bad-tcp-offset');
    this.stats.tcp++;
    const v6 = this.ipV6;
    const ip = this.ipBuf;
    return {
      packet: this.packet,
      ts: this.ts,
      tunnel: this.tunnel,
      srcIp: v6 ? formatIpv6(ip, this.ipSrc) : formatIpv4(ip, this.ipSrc),
      dstIp: v6 ? formatIpv6(ip, this.ipDst) : formatIpv4(ip, this.ipDst),
      srcPort: t.srcPort,
      dstPort: t.dstPort,
      seq: t.seq,
      ack: t.ack,
      flags: t.flags,
      ipId: this.ipId,
      payload: b.subarray(t.payload, end),
      missing: claimedEnd - end,
    };
  }
}
