/**
 * Hosts seen over TLS (schema v6), merged across runs like endpoints: flows and
 * bytes add up, ALPN names join, the seen window widens. Names and counts only.
 */
import type Database from 'better-sqlite3';
import type { EncryptedHost, UninspectedTotals } from '../tls/hosts.js';

/**
 * The encrypted_hosts table and the runs' uninspected-volume columns.
 * LIMITATION: --retention-days prunes endpoints only; TLS hosts are kept until the
 * database is removed.
 */
export class EncryptedTable {
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly runTotals: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(`
      INSERT INTO encrypted_hosts (host, flows, bytes, alpn, first_seen, last_seen)
      VALUES (@host, @flows, @bytes, @alpn, @firstSeen, @lastSeen)
      ON CONFLICT (host) DO UPDATE SET
        flows = flows + excluded.flows,
        bytes = bytes + excluded.bytes,
        alpn = excluded.alpn,
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen)`);
    this.select = db.prepare(
      'SELECT host, flows, bytes, alpn, first_seen, last_seen FROM encrypted_hosts ORDER BY host',
    );
    this.runTotals = db.prepare(`
      UPDATE runs SET tls_flows = @tlsFlows, tls_bytes = @tlsBytes,
        h2_flows = @h2Flows, h2_bytes = @h2Bytes WHERE id = @id`);
  }

  /** Merges one run's hosts and records its totals, in one transaction. */
  add(runId: number, hosts: readonly EncryptedHost[], totals: UninspectedTotals, maxAlpn: number)
    : void {
    const old = new Map(this.list().map((h) => [h.host, h.alpn]));
    this.db.transaction(() => {
      for (const h of hosts) {
        const alpn = [...new Set([...(old.get(h.host) ?? []), ...h.alpn])].sort()
          .slice(0, maxAlpn);
        this.upsert.run({ ...h, alpn: JSON.stringify(alpn) });
      }
      this.runTotals.run({ id: runId, ...totals });
    })();
  }

  /** Every stored host, by name. */
  list(): EncryptedHost[] {
    const rows = this.select.all() as Array<{
      host: string; flows: number; bytes: number; alpn: string;
      first_seen: number; last_seen: number;
    }>;
    return rows.map((r) => ({
      host: r.host,
      flows: r.flows,
      bytes: r.bytes,
      alpn: parseNames(r.alpn),
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
    }));
  }
}

function parseNames(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
