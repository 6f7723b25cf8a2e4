/**
 * Reviewers' decisions, one per endpoint, keyed by the stored identity
 * (host, method, template) so they survive new replays into the same database and a
 * change of catalog. Every decision (and every clearing) is also appended to
 * `triage_log`, so who decided what, and when, is never lost.
 */
import type Database from 'better-sqlite3';

/** What a reviewer decided about an endpoint's findings. */
export type TriageVerdict = 'accepted' | 'false-positive' | 'needs-owner';

/** The verdicts, in the order the review UI offers them. */
export const TRIAGE_VERDICTS: readonly TriageVerdict[] = [
  'accepted',
  'false-positive',
  'needs-owner',
];

/** The endpoint a decision is about: the inventory key. */
export interface EndpointKey {
  host: string;
  method: string;
  template: string;
}

/** One decision as stored. */
export interface TriageRecord extends EndpointKey {
  verdict: TriageVerdict;
  note: string;
  /** Who decided: the X-Shadowtap-User header or the OS user of `serve`. */
  who: string;
  /** Wall-clock time of the decision, epoch seconds. */
  at: number;
}

/** One line of the audit trail; verdict null when a decision was cleared. */
export interface TriageLogEntry extends EndpointKey {
  verdict: TriageVerdict | null;
  note: string;
  who: string;
  at: number;
}

/** The map key of an endpoint (NUL cannot occur in a host, method or template). */
export function triageKey(k: EndpointKey): string {
  return k.host + '\0' + k.method + '\0' + k.template;
}

/** Statements over `triage` and `triage_log`, prepared once per database. */
export class TriageTable {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly log: Database.Statement;
  private readonly everything: Database.Statement;
  private readonly recent: Database.Statement;

  constructor(db: Database.Database) {
    this.db = db;
    this.upsert = db.prepare(`
      INSERT INTO triage (host, method, template, verdict, note, who, at)
      VALUES (@host, @method, @template, @verdict, @note, @who, @at)
      ON CONFLICT (host, method, template) DO UPDATE SET verdict = excluded.verdict,
        note = excluded.note, who = excluded.who, at = excluded.at`);
    this.remove = db.prepare('DELETE FROM triage WHERE host = ? AND method = ? AND template = ?');
    this.log = db.prepare(`
      INSERT INTO triage_log (host, method, template, verdict, note, who, at)
      VALUES (@host, @method, @template, @verdict, @note, @who, @at)`);
    this.everything = db.prepare('SELECT * FROM triage ORDER BY host, template, method');
    this.recent = db.prepare('SELECT * FROM triage_log ORDER BY id DESC LIMIT ?');
  }

  /** Every current decision. */
  all(): TriageRecord[] {
    return this.everything.all() as TriageRecord[];
  }

  /** Records a decision, replacing the endpoint's previous one. */
  set(r: TriageRecord): void {
    this.db.transaction(() => {
      this.upsert.run(r);
      this.log.run(r);
    })();
  }

  /** Clears the endpoint's decision; returns whether there was one. */
  clear(k: EndpointKey, who: string, at: number): boolean {
    return this.db.transaction(() => {
      const gone = this.remove.run(k.host, k.method, k.template).changes > 0;
      if (gone) this.log.run({ ...k, verdict: null, note: '', who, at });
      return gone;
    })();
  }

  /** The latest `limit` entries of the audit trail, newest first. */
  history(limit: number): TriageLogEntry[] {
    return (this.recent.all(limit) as Array<TriageLogEntry & { id: number }>)
      .map(({ id: _id, ...e }) => e);
  }
}
