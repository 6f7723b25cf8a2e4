/**
 * Risk of one endpoint, for ordering the report: personal data where nobody
 * documented it or where requests without credentials reach it comes first, then
 * endpoints nobody documented, then drift from the catalog, scanner noise last.
 * Each level owns a band of scores, so a lower level never outranks a higher one;
 * inside a band, more and more sensitive findings score higher.
 */
import type { DriftEntry } from '../catalog/drift-types.js';
import type { VerdictStatus } from '../catalog/verdict.js';
import type { PiiKind } from '../pii/types.js';

/** How urgent an endpoint is. */
export type RiskLevel = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** An endpoint's risk: a score from 0 to 100, its level, and why. */
export interface Risk {
  score: number;
  level: RiskLevel;
  reasons: string[];
}

/** What risk is judged from. */
export interface RiskInput {
  status: VerdictStatus;
  auth: readonly string[];
  pii: ReadonlyArray<{ kind: PiiKind; in: 'request' | 'response'; location: string }>;
  drift: readonly DriftEntry[];
}

/** Lowest score of each level; a level's band runs up to the next one's floor. */
const FLOOR: Record<RiskLevel, number> = { critical: 80, high: 60, medium: 40, low: 20, info: 0 };
const CEILING: Record<RiskLevel, number> = { critical: 100, high: 79, medium: 59, low: 39,
  info: 19 };

// Kinds whose leak harms most: money, national ids, credentials.
const SENSITIVE: ReadonlySet<PiiKind> = new Set<PiiKind>(['credit_card', 'iban', 'ssn',
  'fr_nir', 'uk_nino', 'password', 'private_key', 'api_key', 'jwt']);

const UNDOCUMENTED: ReadonlySet<VerdictStatus> = new Set<VerdictStatus>(['shadow',
  'unknown-host', 'zombie']);

/** Reasons listed per endpoint; the score counts every finding. */
const MAX_REASONS = 6;
/** Locations named in one reason. */
const MAX_LOCATIONS = 3;

function kindsOf(list: ReadonlyArray<{ kind: PiiKind }>): PiiKind[] {
  return [...new Set(list.map((p) => p.kind))].sort();
}

function sensitiveCount(kinds: readonly PiiKind[]): number {
  return kinds.filter((k) => SENSITIVE.has(k)).length;
}

function listed(items: readonly string[]): string {
  const head = items.slice(0, MAX_LOCATIONS).join(', ');
  return items.length > MAX_LOCATIONS ? `${head} and ${items.length - MAX_LOCATIONS} more` : head;
}

function statusWord(s: VerdictStatus): string {
  return s === 'unknown-host' ? 'endpoint on a host no catalog covers' : `${s} endpoint`;
}

function band(level: RiskLevel, extra: number): number {
  return Math.min(CEILING[level], FLOOR[level] + Math.max(0, Math.round(extra)));
}

/**
 * Scores one endpoint. Deterministic: the same findings always give the same risk.
 * LIMITATION: auth kinds are known per endpoint, not per request, so "requests without
 * credentials reach responses carrying personal data" may hold for an endpoint whose
 * anonymous requests were all refused while others, with credentials, got the data.
 */
export function assessRisk(e: RiskInput): Risk {
  if (e.status === 'not-found') {
    return { score: 0, level: 'info', reasons: ['scanner noise: only ever answered 404'] };
  }
  const reasons: string[] = [];
  const unauthenticated = e.auth.length === 0 || e.auth.includes('none');
  const allKinds = kindsOf(e.pii);
  const responseKinds = kindsOf(e.pii.filter((p) => p.in === 'response'));
  const piiDrift = e.drift.filter((d) => d.pii !== undefined &&
    (d.kind === 'undocumented-field' || d.kind === 'undocumented-param'));
  // Critical: personal data where nobody documented it, or open to anonymous callers.
  let triggers = 0;
  const involved = new Set<PiiKind>();
  if (UNDOCUMENTED.has(e.status) && allKinds.length > 0) {
    triggers++;
    allKinds.forEach((k) => involved.add(k));
    reasons.push(`${statusWord(e.status)} carries personal data: ${allKinds.join(', ')}`);
  }
  if (piiDrift.length > 0) {
    triggers++;
    const where = piiDrift.map((d) => `${d.in} ${d.location} (${d.pii!.join(', ')})`);
    piiDrift.forEach((d) => d.pii!.forEach((k) => involved.add(k)));
    reasons.push(`undocumented fields carry personal data: ${listed(where)}`);
  }
  if (unauthenticated && responseKinds.length > 0) {
    triggers++;
    responseKinds.forEach((k) => involved.add(k));
    reasons.push('requests without credentials reach responses carrying personal data: ' +
      responseKinds.join(', '));
  }
  const missingAuth = e.drift.filter((d) => d.kind === 'missing-auth');
  const fields = e.drift.filter((d) => d.pii === undefined &&
    (d.kind === 'undocumented-field' || d.kind === 'undocumented-param'));
  const mismatches = e.drift.filter((d) => d.kind === 'type-mismatch');
  const statuses = e.drift.filter((d) => d.kind === 'undocumented-status');
  if (missingAuth.length > 0) reasons.push(missingAuth[0]!.detail);
  if (triggers === 0 && UNDOCUMENTED.has(e.status)) {
    reasons.push(`${statusWord(e.status)}, no personal data seen`);
  }
  if (fields.length > 0) {
    reasons.push(`${fields.length} undocumented field(s) or parameter(s): ` +
      listed(fields.map((d) => `${d.in} ${d.location}`)));
  }
  if (mismatches.length > 0) {
    reasons.push(`${mismatches.length} type or format mismatch(es): ` +
      listed(mismatches.map((d) => `${d.in} ${d.location}`)));
  }
  if (statuses.length > 0) {
    reasons.push(`undocumented status code(s): ${statuses.map((d) => d.location.slice(7))
      .join(', ')}`);
  }
  if (triggers === 0 && !UNDOCUMENTED.has(e.status) && allKinds.length > 0) {
    reasons.push(`carries personal data where documented: ${allKinds.join(', ')}`);
  }
  const out = (level: RiskLevel, extra: number): Risk =>
    ({ score: band(level, extra), level, reasons: reasons.slice(0, MAX_REASONS) });
  if (triggers > 0) {
    return out('critical', 5 * (triggers - 1) + 3 * sensitiveCount([...involved]) +
      Math.min(4, piiDrift.length));
  }
  if (UNDOCUMENTED.has(e.status)) {
    const by = e.status === 'shadow' ? 10 : e.status === 'zombie' ? 8 : 5;
    return out('high', by + (unauthenticated ? 4 : 0) + Math.min(5, e.drift.length));
  }
  if (missingAuth.length > 0 || fields.length > 0 || mismatches.length > 0) {
    return out('medium', 6 * missingAuth.length + 2 * fields.length + mismatches.length +
      (allKinds.length > 0 ? 3 : 0));
  }
  if (statuses.length > 0 || allKinds.length > 0) {
    return out('low', 2 * statuses.length + 2 * allKinds.length);
  }
  return out('info', 5);
}
