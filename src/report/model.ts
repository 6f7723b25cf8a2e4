/**
 * The report's data: stored endpoints classified against the catalog. Every output
 * format (table, Markdown, JSON) renders this one model, so they always agree.
 */
import { endpointDrift } from '../catalog/drift.js';
import type { DriftEntry } from '../catalog/drift-types.js';
import type { Catalog } from '../catalog/types.js';
import { classify, type UnseenOperation, type VerdictStatus } from '../catalog/verdict.js';

export type { UnseenOperation };
import type { EndpointRecord, RunRecord, StoredPii } from '../store/db.js';
import { assessRisk, type Risk } from './risk.js';
import type { TriageRecord } from '../store/triage.js';
import { applyTriage, catalogVerdict, type ReportTriage, type TriagedStatus } from './triage.js';
import { encryptedRows, type ReportEncrypted } from './encrypted.js';
import type { EncryptedHost } from '../tls/hosts.js';
import type { HostLoss } from '../pipeline/loss.js';

/** An endpoint's status: the catalog's verdict, or a reviewer's decision replacing it. */
export type ReportStatus = VerdictStatus | TriagedStatus;

/** One endpoint as every report shows it. Later features add fields, never rename. */
export interface ReportEndpoint {
  host: string;
  method: string;
  /** The template as on the wire: base path included, parameters in braces. */
  path: string;
  status: ReportStatus;
  requests: number;
  /** Responses by status code; requests that got none are counted in noResponse. */
  statusCodes: Record<string, number>;
  noResponse: number;
  auth: string[];
  firstSeen: number;
  lastSeen: number;
  operationId: string | null;
  queryParams: string[];
  requestTypes: string[];
  responseTypes: string[];
  /** First seen in the latest run. */
  new: boolean;
  /** Personal data carried: kind, where, how often, a masked preview; never a value. */
  pii: ReportPii[];
  /** How the traffic departs from the documented operation ([] when none matched). */
  drift: DriftEntry[];
  /** How urgent the endpoint is; the JSON lists endpoints by descending score. */
  risk: Risk;
  /** The stored inventory key (parameters named as inferred); triage is keyed by it. */
  template: string;
  /** A reviewer's decision on the endpoint's findings, or null. */
  triage: ReportTriage | null;
  /**
   * Stream bytes of its exchanges the sensor never saw (capture loss), all runs: 0 when
   * its view is complete.
   */
  gapBytes: number;
}

/** One kind of personal data at one location of an endpoint. */
export interface ReportPii {
  kind: StoredPii['kind'];
  in: StoredPii['in'];
  /** `body:/user/email`, `query:email`, `header:x-user-phone`, `path:{id}`... */
  location: string;
  /** Exchanges that carried it. */
  count: number;
  /** Distinct values seen (by token), capped at limits.maxTokensPerFinding. */
  distinctValues: number;
  confidence: number;
  preview: string;
}

/** Bytes lost where no exchange could be named (a request lost whole), for one host. */
export interface ReportHostLoss {
  host: string;
  gapBytes: number;
}

export interface Report {
  generatedAt: number;
  catalog: string[];
  /** The latest run; gapBytes: stream bytes it never saw, in all. */
  run: {
    id: number; captureFirst: number | null; captureLast: number | null; gapBytes: number;
  } | null;
  counts: Record<ReportStatus, number>;
  endpoints: ReportEndpoint[];
  unseen: UnseenOperation[];
  /** Hosts seen over TLS, by SNI (src/report/encrypted.ts). */
  encrypted: ReportEncrypted[];
  /** Capture loss outside any exchange, by host, all runs (endpoints carry their own). */
  hostLoss: ReportHostLoss[];
}

/**
 * Display order of the table and Markdown groups: what needs a decision first,
 * scanner noise last; inside a group, endpoints keep the report's risk order.
 */
export const STATUS_ORDER: readonly ReportStatus[] = [
  'shadow',
  'zombie',
  'unknown-host',
  'documented',
  'accepted',
  'false-positive',
  'not-found',
];

/** Classifies the stored endpoints, finds drift and risk, and orders them by risk. */
export function buildReport(
  endpoints: EndpointRecord[],
  catalog: Catalog | null,
  latestRun: RunRecord | null,
  now: number,
  triage: readonly TriageRecord[] = [],
  encrypted: readonly EncryptedHost[] = [],
  hostLoss: readonly HostLoss[] = [],
): Report {
  const { verdicts, unseen } = classify(
    endpoints.map((e) => ({
      host: e.host,
      method: e.method,
      template: e.template,
      params: e.params,
      statusCodes: e.statusCodes,
    })),
    catalog,
  );
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as
    Record<ReportStatus, number>;
  const rows: ReportEndpoint[] = endpoints.map((e, i) => {
    const v = verdicts[i]!;
    counts[v.status]++;
    const statusCodes: Record<string, number> = {};
    let noResponse = 0;
    for (const [code, n] of Object.entries(e.statusCodes)) {
      if (code === 'none') noResponse += n;
      else statusCodes[code] = n;
    }
    return {
      host: e.host,
      method: e.method,
      path: v.path,
      status: v.status,
      requests: e.requests,
      statusCodes,
      noResponse,
      auth: e.auth.length > 0 ? e.auth : ['none'],
      firstSeen: e.firstSeen,
      lastSeen: e.lastSeen,
      operationId: v.operation?.operationId ?? null,
      queryParams: e.queryNames,
      requestTypes: e.requestTypes,
      responseTypes: e.responseTypes,
      new: latestRun !== null && e.firstRun === latestRun.id,
      pii: e.pii.map((p) => ({
        kind: p.kind,
        in: p.in,
        location: p.location,
        count: p.count,
        distinctValues: p.distinct,
        confidence: Math.round(p.confidence * 100) / 100,
        preview: p.preview,
      })),
      drift: v.operation === null ? [] : endpointDrift({
        operation: v.operation,
        schema: e.schema,
        statusCodes: e.statusCodes,
        auth: e.auth,
        pii: e.pii,
      }),
      risk: { score: 0, level: 'info', reasons: [] },
      template: e.template,
      triage: null,
      gapBytes: e.gapBytes,
    };
  });
  for (const row of rows) row.risk = assessRisk({ ...row, status: catalogVerdict(row) });
  applyTriage(rows, triage, counts);
  const rank = (s: ReportStatus): number => STATUS_ORDER.indexOf(s);
  // Most urgent first; ties keep the review order (status group, host, path, method).
  rows.sort(
    (a, b) =>
      b.risk.score - a.risk.score ||
      rank(a.status) - rank(b.status) ||
      cmp(a.host, b.host) ||
      cmp(a.path, b.path) ||
      cmp(a.method, b.method),
  );
  const unseenSorted = [...unseen].sort(
    (a, b) => cmp(a.host ?? '', b.host ?? '') || cmp(a.path, b.path) || cmp(a.method, b.method),
  );
  return {
    generatedAt: now,
    catalog: catalog?.files ?? [],
    run:
      latestRun === null
        ? null
        : {
          id: latestRun.id,
          captureFirst: latestRun.captureFirst,
          captureLast: latestRun.captureLast,
          gapBytes: latestRun.gapBytes,
        },
    counts,
    endpoints: rows,
    unseen: unseenSorted,
    encrypted: encryptedRows(
      encrypted, catalog, endpoints.map((e, i) => ({ host: e.host, status: verdicts[i]!.status })),
    ),
    hostLoss: hostLoss.map((h) => ({ host: h.host, gapBytes: h.gapBytes })),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
