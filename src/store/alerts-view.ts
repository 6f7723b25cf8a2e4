/**
 * Read access to abuse alerts for the review views. The alerts table belongs to the
 * abuse feature and may not exist in a database (or not yet): then there is nothing
 * to show and the views hide the section. Columns are read as they are, so the views
 * follow whatever the alert store keeps; text holding JSON is parsed.
 */
import type Database from 'better-sqlite3';

/** One alert row, column name to value. */
export type AlertRow = Record<string, unknown>;

function parsed(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** The newest `limit` alerts, or null when the database has no alerts table. */
export function readAlerts(db: Database.Database, limit: number): AlertRow[] | null {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alerts'")
    .get();
  if (table === undefined) return null;
  let rows: AlertRow[];
  try {
    rows = db.prepare('SELECT * FROM alerts ORDER BY rowid DESC LIMIT ?').all(limit) as AlertRow[];
  } catch {
    // A WITHOUT ROWID table has no insertion order to read back.
    rows = db.prepare('SELECT * FROM alerts LIMIT ?').all(limit) as AlertRow[];
  }
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, parsed(v)])));
}
