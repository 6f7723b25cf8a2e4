/**
 * Tunnel dispatch: finds the tunnel a UDP or GRE payload is, decodes its header,
 * names it in the segment's tunnel id, and hands the inner frame back to the
 * packet decoder. Tunnel ids: 'vxlan:<vni>', 'geneve:<vni>', 'gre' or
 * 'gre:key=<key>', 'erspan:<session>' (type II/III) or 'erspan' (type I); nested
 * tunnels join with '/', outermost first. ERSPAN's GRE header is only its framing,
 * so it adds no 'gre' label of its own. VLAN tags and MPLS labels are not tunnels
 * here: they do not separate address spaces the way an overlay network does.
 */
import type { AnomalyCode } from '../anomalies.js';
import type { LayerStatus } from './bytes.js';
import { decodeErspan2, decodeErspan3, newErspanHeader } from './erspan.js';
import * as ET from './ethertypes.js';
import { decodeGeneve, GENEVE_PORT, newGeneveHeader } from './geneve.js';
import { decodeGre, newGreHeader } from './gre.js';
import type { DecodeStats } from './stats.js';
import type { TcpSegment } from './types.js';
import { decodeVxlan, newVxlanHeader, VXLAN_PORT } from './vxlan.js';

/** What the tunnel decoder needs of the packet decoder. */
export interface InnerDecoder {
  readonly stats: DecodeStats;
  ethernet(b: Uint8Array, off: number, end: number): TcpSegment | null;
  etherType(type: number, b: Uint8Array, off: number, end: number): TcpSegment | null;
  rawIp(b: Uint8Array, off: number, end: number): TcpSegment | null;
  enterTunnel(label: string): boolean;
  fail(st: LayerStatus, code: AnomalyCode): null;
}

const LABEL_CACHE_MAX = 4096;
const KIND_VXLAN = 1;
const KIND_GENEVE = 2;
const KIND_GRE_KEY = 3;
const KIND_ERSPAN = 4;
const PREFIX = ['', 'vxlan:', 'geneve:', 'gre:key=', 'erspan:'];

/** Decodes tunnel headers for one PacketDecoder. */
export class TunnelDecoder {
  private readonly vxlan = newVxlanHeader();
  private readonly geneve = newGeneveHeader();
  private readonly greHeader = newGreHeader();
  private readonly erspan = newErspanHeader();
  /** Labels by kind and number, so a tunnelled packet does not build its id string. */
  private readonly labels = new Map<number, string>();

  constructor(private readonly d: InnerDecoder) {}

  /**
   * A UDP payload: decoded when the destination port is a tunnel's (the source
   * port of VXLAN and GENEVE is flow entropy, RFC 7348 section 5). Returns
   * undefined when the port is no tunnel's, so the caller counts plain UDP.
   */
  udp(dstPort: number, b: Uint8Array, off: number, end: number): TcpSegment | null | undefined {
    // LIMITATION: only the IANA ports; VXLAN or GENEVE configured on another port
    // is seen as plain UDP.
    const d = this.d;
    if (dstPort === VXLAN_PORT) {
      const st = decodeVxlan(b, off, end, this.vxlan);
      if (st !== 'ok') return d.fail(st, 'bad-tunnel-header');
      if (!d.enterTunnel(this.label(KIND_VXLAN, this.vxlan.vni))) return null;
      d.stats.tunnels.vxlan++;
      return d.ethernet(b, this.vxlan.payload, end);
    }
    if (dstPort === GENEVE_PORT) {
      const g = this.geneve;
      const st = decodeGeneve(b, off, end, g);
      if (st !== 'ok') return d.fail(st, 'bad-tunnel-header');
      if (!d.enterTunnel(this.label(KIND_GENEVE, g.vni))) return null;
      d.stats.tunnels.geneve++;
      if (g.protocol === ET.ETHERTYPE_TEB) return d.ethernet(b, g.payload, end);
      return d.etherType(g.protocol, b, g.payload, end);
    }
    return undefined;
  }

  /** A GRE packet (IP protocol 47) at `off`. */
  gre(b: Uint8Array, off: number, end: number): TcpSegment | null {
    const d = this.d;
    const g = this.greHeader;
    const st = decodeGre(b, off, end, g);
    if (st !== 'ok') return d.fail(st, 'bad-tunnel-header');
    d.stats.tunnels.gre++;
    switch (g.protocol) {
      case ET.ETHERTYPE_ERSPAN_2:
        // Type II has a sequence number in GRE; type I has none and no header either.
        if (!g.hasSequence) return this.erspanFrame('erspan', false, b, g.payload, end);
        return this.erspanHeader(decodeErspan2(b, g.payload, end, this.erspan), b, end);
      case ET.ETHERTYPE_ERSPAN_3:
        return this.erspanHeader(decodeErspan3(b, g.payload, end, this.erspan), b, end);
      case ET.ETHERTYPE_TEB:
        if (!d.enterTunnel(this.greLabel())) return null;
        return d.ethernet(b, g.payload, end);
      default:
        if (!d.enterTunnel(this.greLabel())) return null;
        return d.etherType(g.protocol, b, g.payload, end);
    }
  }

  private erspanHeader(st: LayerStatus, b: Uint8Array, end: number): TcpSegment | null {
    if (st !== 'ok') return this.d.fail(st, 'bad-tunnel-header');
    const e = this.erspan;
    const label = this.label(KIND_ERSPAN, e.sessionId);
    return this.erspanFrame(label, e.ipPayload, b, e.payload, end);
  }

  private erspanFrame(
    label: string,
    ip: boolean,
    b: Uint8Array,
    off: number,
    end: number,
  ): TcpSegment | null {
    const d = this.d;
    if (!d.enterTunnel(label)) return null;
    d.stats.tunnels.erspan++;
    return ip ? d.rawIp(b, off, end) : d.ethernet(b, off, end);
  }

  private greLabel(): string {
    return this.greHeader.hasKey ? this.label(KIND_GRE_KEY, this.greHeader.key) : 'gre';
  }

  private label(kind: number, n: number): string {
    const key = kind * 4294967296 + n; // n < 2^32, so kind and n never collide
    let s = this.labels.get(key);
    if (s === undefined) {
      s = PREFIX[kind] + String(n);
      if (this.labels.size >= LABEL_CACHE_MAX) this.labels.clear();
      this.labels.set(key, s);
    }
    return s;
  }
}
