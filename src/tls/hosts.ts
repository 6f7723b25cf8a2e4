/**
 * Per-run totals of what the sensor could not inspect, and the TLS flows gathered
 * per server name. Runs on the main thread over the flows the workers report.
 */
import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type { EncryptedFlow } from './flow-sink.js';

/** One server seen over TLS. */
export interface EncryptedHost {
  /** The SNI host name; the server address when the ClientHello named none. */
  host: string;
  flows: number;
  bytes: number;
  /** ALPN protocol names offered by clients, sorted, at most limits.tlsMaxAlpn. */
  alpn: string[];
  /** Capture time of the first and last bytes seen. */
  firstSeen: number;
  lastSeen: number;
}

/** Uninspected volume of one run. */
export interface UninspectedTotals {
  tlsFlows: number;
  tlsBytes: number;
  h2Flows: number;
  h2Bytes: number;
}

/** Adds up encrypted and HTTP/2 flows; TLS flows are also grouped by host. */
export class EncryptedHosts {
  readonly totals: UninspectedTotals = { tlsFlows: 0, tlsBytes: 0, h2Flows: 0, h2Bytes: 0 };
  private readonly hosts = new Map<string, EncryptedHost>();

  constructor(
    private readonly limits: Limits,
    private readonly anomalies: AnomalyCounter,
  ) {}

  /** Counts one flow reported by a worker. */
  add(f: EncryptedFlow): void {
    const t = this.totals;
    if (f.kind === 'h2') {
      t.h2Flows++;
      t.h2Bytes += f.bytes;
      return;
    }
    t.tlsFlows++;
    t.tlsBytes += f.bytes;
    const name = f.sni !== '' ? f.sni : f.serverIp;
    let h = this.hosts.get(name);
    if (h === undefined) {
      if (this.hosts.size >= this.limits.tlsMaxHosts) {
        // LIMITATION: flows to hosts past limits.tlsMaxHosts count in the totals only.
        this.anomalies.add('tls-host-limit');
        return;
      }
      h = { host: name, flows: 0, bytes: 0, alpn: [], firstSeen: f.firstTs, lastSeen: f.lastTs };
      this.hosts.set(name, h);
    }
    h.flows++;
    h.bytes += f.bytes;
    if (f.firstTs < h.firstSeen) h.firstSeen = f.firstTs;
    if (f.lastTs > h.lastSeen) h.lastSeen = f.lastTs;
    for (const p of f.alpn) {
      if (!h.alpn.includes(p) && h.alpn.length < this.limits.tlsMaxAlpn) h.alpn.push(p);
    }
  }

  /**
   * The hosts seen since the last take, and a fresh start: a live capture stores
   * each checkpoint's hosts as increments (the totals keep running).
   */
  take(): EncryptedHost[] {
    const hosts = this.list();
    this.hosts.clear();
    return hosts;
  }

  /** The hosts seen, by name; each with its ALPN names sorted. */
  list(): EncryptedHost[] {
    return [...this.hosts.values()]
      .map((h) => ({ ...h, alpn: [...h.alpn].sort() }))
      .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }
}
