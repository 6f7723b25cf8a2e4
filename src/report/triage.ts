/**
 * Reviewers' decisions applied to a report. A finding decided once stays decided:
 * an accepted (or false-positive) shadow, zombie, unknown-host or scanner-noise
 * endpoint takes that decision as its status in every format; a documented endpoint
 * keeps its status and carries the decision for its other findings (personal data,
 * drift). `needs-owner` changes no status: the finding is still open, but triaged.
 * LIMITATION: one decision covers all of an endpoint's findings; a shadow endpoint
 * accepted today stays accepted if it later starts carrying personal data.
 */
import type { VerdictStatus } from '../catalog/verdict.js';
import { triageKey, type TriageRecord, type TriageVerdict } from '../store/triage.js';

/** Statuses a reviewer's decision gives an endpoint. */
export type TriagedStatus = 'accepted' | 'false-positive';

/** A decision as the report shows it, with the catalog's verdict it overrode. */
export interface ReportTriage {
  verdict: TriageVerdict;
  note: string;
  who: string;
  /** Epoch seconds. */
  at: number;
  /** The catalog's verdict on the endpoint, whatever status the decision gave it. */
  was: VerdictStatus;
}

const VERDICTS: ReadonlySet<string> = new Set<VerdictStatus>([
  'documented', 'shadow', 'unknown-host', 'zombie', 'not-found',
]);

/** Catalog verdicts a decision replaces as the status; documented ones stay documented. */
const OVERRIDDEN: ReadonlySet<VerdictStatus> = new Set<VerdictStatus>([
  'shadow', 'zombie', 'unknown-host', 'not-found',
]);

interface Triageable {
  host: string;
  method: string;
  template: string;
  status: VerdictStatus | TriagedStatus;
  triage: ReportTriage | null;
}

/** The catalog's verdict on an endpoint, before any decision. */
export function catalogVerdict(e: Pick<Triageable, 'status' | 'triage'>): VerdictStatus {
  if (e.triage !== null) return e.triage.was;
  // Untriaged rows hold the catalog's verdict; the check keeps the type honest.
  return VERDICTS.has(e.status) ? (e.status as VerdictStatus) : 'documented';
}

/**
 * Sets each row's triage (and status where the decision replaces it), keeping
 * `counts` per status in step. Rows are changed in place.
 */
export function applyTriage<T extends Triageable>(
  rows: T[],
  decisions: readonly TriageRecord[],
  counts: Record<string, number>,
): void {
  if (decisions.length === 0) return;
  const byKey = new Map(decisions.map((d) => [triageKey(d), d]));
  for (const row of rows) {
    const d = byKey.get(triageKey(row));
    if (d === undefined) continue;
    const was = catalogVerdict(row);
    row.triage = { verdict: d.verdict, note: d.note, who: d.who, at: d.at, was };
    if (d.verdict === 'needs-owner' || !OVERRIDDEN.has(was)) continue;
    counts[row.status] = (counts[row.status] ?? 1) - 1;
    row.status = d.verdict;
    counts[d.verdict] = (counts[d.verdict] ?? 0) + 1;
  }
}
