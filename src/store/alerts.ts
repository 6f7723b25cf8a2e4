/**
 * Abuse alerts as stored (schema v5) and as printed: `shadowtap alerts --format
 * json` and `replay --alerts-jsonl` give the same object per alert. An alert holds
 * tokens, addresses, templates and numbers only (see src/abuse/alerts.ts), so
 * storing it keeps the database free of raw request data.
 */
import type Database from 'better-sqlite3';
import type { Alert, AlertReason, DetectorName } from '../abuse/alerts.js';

/** One alert as `shadowtap alerts --format json` prints it; fields are only ever added. */
export interface AlertJson {
  detector: DetectorName;
  /** Network address as seen (the TCP peer, or the hop a trusted proxy vouched for). */
  clientAddress: string;
  /** Tokenised principal, null when the client sent no credential. */
  client: string | null;
  /** Capture time, epoch seconds. */
  window: { start: number; end: number };
  score: number;
  endpoints: Array<{ host: string; method: string; path: string }>;
  reasons: AlertReason[];
  threshold: number;
  /** Redacted request lines: method and template. */
  examples: string[];
  /** The run that raised it. */
  run: number;
}

/** The JSON form of an alert raised by run `run`. */
export function alertJson(a: Alert, run: number): AlertJson {
  return {
    detector: a.detector,
    clientAddress: a.clientAddress,
    client: a.client,
    window: { start: a.window.start, end: a.window.end },
    score: a.score,
    endpoints: a.endpoints.map(({ host, method, path }) => ({ host, method, path })),
    reasons: a.reasons.map(({ feature, value, baseline }) => ({ feature, value, baseline })),
    threshold: a.threshold,
    examples: [...a.examples],
    run,
  };
}

interface AlertRow {
  run_id: number;
  detector: DetectorName;
  client_address: string;
  client: string | null;
  window_start: number;
  window_end: number;
  score: number;
  threshold: number;
  endpoints: string;
  reasons: string;
  examples: string;
}

/** Statements over `alerts`, prepared once per database. */
export class AlertsTable {
  private readonly insert: Database.Statement;
  private readonly since: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(`
      INSERT INTO alerts (run_id, detector, client_address, client, window_start, window_end,
        score, threshold, endpoints, reasons, examples)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.since = db.prepare(`
      SELECT * FROM alerts WHERE window_end >= ?
      ORDER BY window_start, client_address, detector, id`);
  }

  /** Stores the alerts of run `run` in one transaction. */
  add(run: number, alerts: readonly Alert[]): void {
    this.db.transaction(() => {
      for (const a of alerts) {
        this.insert.run(
          run, a.detector, a.clientAddress, a.client, a.window.start, a.window.end, a.score,
          a.threshold, JSON.stringify(a.endpoints), JSON.stringify(a.reasons),
          JSON.stringify(a.examples),
        );
      }
    })();
  }

  /** Alerts whose window ends at or after `since` (capture time), oldest first. */
  list(since: number): AlertJson[] {
    return (this.since.all(since) as AlertRow[]).map((r) => ({
      detector: r.detector,
      clientAddress: r.client_address,
      client: r.client,
      window: { start: r.window_start, end: r.window_end },
      score: r.score,
      endpoints: JSON.parse(r.endpoints) as AlertJson['endpoints'],
      reasons: JSON.parse(r.reasons) as AlertReason[],
      threshold: r.threshold,
      examples: JSON.parse(r.examples) as string[],
      run: r.run_id,
    }));
  }
}
