/**
 * Gap bytes outside any exchange, by host (schema v7), merged across runs like
 * endpoints: bytes add up, last_seen widens. Names and counts only.
 */
import type Database from 'better-sqlite3';
import type { HostLoss } from '../pipeline/loss.js';

/** The host_loss table. */
export class HostLossTable {
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly prune: Database.Statement;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(`
      INSERT INTO host_loss (host, gap_bytes, last_seen) VALUES (@host, @gapBytes, @lastSeen)
      ON CONFLICT (host) DO UPDATE SET
        gap_bytes = gap_bytes + excluded.gap_bytes,
        last_seen = max(last_seen, excluded.last_seen)`);
    this.select = db.prepare('SELECT host, gap_bytes, last_seen FROM host_loss ORDER BY host');
    this.prune = db.prepare('DELETE FROM host_loss WHERE last_seen < ?');
  }

  /** Adds one run's (or checkpoint's) rows; the caller holds the transaction. */
  add(rows: readonly HostLoss[]): void {
    for (const r of rows) this.upsert.run(r);
  }

  /** Every stored host, by name. */
  list(): HostLoss[] {
    const rows = this.select.all() as Array<{ host: string; gap_bytes: number; last_seen: number }>;
    return rows.map((r) => ({ host: r.host, gapBytes: r.gap_bytes, lastSeen: r.last_seen }));
  }

  /** Deletes hosts whose latest loss is older than `cutoff`; returns how many went. */
  pruneBefore(cutoff: number): number {
    return this.prune.run(cutoff).changes;
  }
}
