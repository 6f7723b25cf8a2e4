/**
 * Per-endpoint requests over capture time (the report's chart), kept in
 * `endpoint_activity`: one row per bucket, all buckets of an endpoint one width.
 * Runs merge into what is stored by the same bounded rule as in memory.
 */
import type Database from 'better-sqlite3';
import { mergeActivity, type Activity } from '../infer/inventory.js';

/** One endpoint's stored histogram with its identity. */
export interface StoredActivity {
  host: string;
  method: string;
  template: string;
  activity: Activity;
}

/** Statements over `endpoint_activity`, prepared once per database. */
export class ActivityTable {
  private readonly select: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly everything: Database.Statement;

  constructor(db: Database.Database) {
    this.select = db.prepare(
      'SELECT bucket_start, bucket_seconds, requests FROM endpoint_activity WHERE endpoint_id = ?',
    );
    this.remove = db.prepare('DELETE FROM endpoint_activity WHERE endpoint_id = ?');
    this.insert = db.prepare(
      'INSERT INTO endpoint_activity (endpoint_id, bucket_start, bucket_seconds, requests) ' +
        'VALUES (?, ?, ?, ?)',
    );
    this.everything = db.prepare(`
      SELECT e.host, e.method, e.template, a.bucket_start, a.bucket_seconds, a.requests
      FROM endpoint_activity a JOIN endpoints e ON e.id = a.endpoint_id
      ORDER BY e.host, e.template, e.method, a.bucket_start`);
  }

  /** Adds a run's histogram to the endpoint's (call inside the run's transaction). */
  merge(endpointId: number, add: Activity, cap: number): void {
    const rows = this.select.all(endpointId) as Array<{
      bucket_start: number; bucket_seconds: number; requests: number }>;
    let merged = add;
    if (rows.length > 0) {
      const stored: Activity = { width: rows[0]!.bucket_seconds, buckets: {} };
      for (const r of rows) stored.buckets[String(r.bucket_start)] = r.requests;
      merged = mergeActivity(stored, add, cap);
    }
    this.remove.run(endpointId);
    for (const [start, n] of Object.entries(merged.buckets)) {
      this.insert.run(endpointId, Number(start), merged.width, n);
    }
  }

  /** Every endpoint's histogram. */
  all(): StoredActivity[] {
    const out: StoredActivity[] = [];
    let last: StoredActivity | null = null;
    for (const r of this.everything.all() as Array<{ host: string; method: string;
      template: string; bucket_start: number; bucket_seconds: number; requests: number }>) {
      if (last === null || last.host !== r.host || last.method !== r.method ||
        last.template !== r.template) {
        last = { host: r.host, method: r.method, template: r.template,
          activity: { width: r.bucket_seconds, buckets: {} } };
        out.push(last);
      }
      last.activity.buckets[String(r.bucket_start)] = r.requests;
    }
    return out;
  }
}
