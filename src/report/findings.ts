/**
 * What a reviewer decides about: the findings of an endpoint, by kind. One endpoint
 * can have several (a shadow endpoint carrying personal data is both `shadow` and
 * `pii`); the first listed is its main one. Risk and drift are read when the report
 * carries them.
 */
import type { DriftEntry } from '../catalog/drift-types.js';
import type { ReportEndpoint } from './model.js';
import { catalogVerdict } from './triage.js';

/** Kinds of finding, in the order an endpoint's main kind is chosen. */
export type FindingKind = 'shadow' | 'zombie' | 'unknown-host' | 'pii' | 'drift';

/** Every finding kind: SARIF rules and `--fail-on` words. */
export const FINDING_KINDS: readonly FindingKind[] = [
  'shadow', 'zombie', 'unknown-host', 'pii', 'drift',
];

/** An endpoint's risk as the report gives it, when it does. */
export interface RiskView {
  score: number;
  level: 'critical' | 'high' | 'medium' | 'low' | 'info';
  reasons: string[];
}

/** The endpoint's risk, or null on a report made without risk ranking. */
export function riskOf(e: ReportEndpoint): RiskView | null {
  const r = (e as { risk?: RiskView }).risk;
  return r !== undefined && typeof r.score === 'number' ? r : null;
}

/** The endpoint's drift against its operation ([] when none or not computed). */
export function driftOf(e: ReportEndpoint): DriftEntry[] {
  return (e as { drift?: DriftEntry[] }).drift ?? [];
}

/** The endpoint's finding kinds from the catalog's verdict (not a decision's). */
export function findingKinds(e: ReportEndpoint): FindingKind[] {
  const out: FindingKind[] = [];
  const verdict = catalogVerdict(e);
  if (verdict === 'shadow' || verdict === 'zombie' || verdict === 'unknown-host') {
    out.push(verdict);
  }
  if (e.pii.length > 0) out.push('pii');
  if (driftOf(e).length > 0) out.push('drift');
  return out;
}

/**
 * Endpoints with a finding of one of `kinds` that no reviewer has decided on: what
 * `--fail-on` gates on. Any decision, needs-owner included, counts as triaged.
 */
export function untriagedFindings(
  endpoints: readonly ReportEndpoint[],
  kinds: ReadonlySet<FindingKind>,
): ReportEndpoint[] {
  return endpoints.filter((e) => e.triage === null && findingKinds(e).some((k) => kinds.has(k)));
}
