/**
 * Capture loss that no exchange could be charged with, by host. Gap bytes inside an
 * exchange reach its endpoint with the exchange (ExchangeSummary.gapBytes); these are
 * the rest of an HTTP connection's holes: whole requests lost, responses whose
 * request is unknown (src/http/connection.ts). Keyed like endpoints: the Host header
 * without port, else the server address.
 *
 * LIMITATION: only HTTP/1.x connections are charged: holes in TLS, HTTP/2 and non-HTTP
 * flows are in the run's total alone. The loss of an exchange the inventory does not
 * keep (CONNECT) is charged to nothing.
 */
import type { Limits } from '../config/limits.js';
import type { LostOutside } from '../http/connection.js';
import { endpointHost } from '../infer/inventory.js';

/** Gap bytes outside any exchange, for one host. */
export interface HostLoss {
  host: string;
  gapBytes: number;
  /** Capture time of the latest loss counted (retention prunes by it). */
  lastSeen: number;
}

/** The row that takes the loss of hosts past limits.maxLossHosts. */
export const OTHER_LOSS_HOST = '(other hosts)';

/** Sums losses per host between two take()s, for at most limits.maxLossHosts hosts. */
export class HostLossTally {
  private byHost = new Map<string, HostLoss>();

  constructor(private readonly limits: Limits) {}

  add(loss: LostOutside): void {
    let host = endpointHost(loss.host, loss.serverIp);
    let row = this.byHost.get(host);
    if (row === undefined && this.byHost.size >= this.limits.maxLossHosts) {
      host = OTHER_LOSS_HOST;
      row = this.byHost.get(host);
    }
    if (row === undefined) {
      row = { host, gapBytes: 0, lastSeen: loss.ts };
      this.byHost.set(host, row);
    }
    row.gapBytes += loss.bytes;
    if (loss.ts > row.lastSeen) row.lastSeen = loss.ts;
  }

  /** What was gathered since the last call, by host name; the tally starts afresh. */
  take(): HostLoss[] {
    const rows = [...this.byHost.values()].sort((a, b) => (a.host < b.host ? -1 : 1));
    this.byHost = new Map();
    return rows;
  }
}
