/**
 * Everything the review page shows, as one JSON value: the report itself (the same
 * rows `report --format json` prints, so every view agrees), per-endpoint details
 * from the stored schemas (names and types only), the summary, the chart and any
 * alerts. Built for the offline file and for each `serve` API answer alike.
 */
import type { FieldMap } from '../../infer/schema-model.js';
import type { EndpointSchema } from '../../infer/schema.js';
import type { EndpointRecord } from '../../store/db.js';
import type { AlertRow } from '../../store/alerts-view.js';
import { lossRows, type LossRow } from '../loss.js';
import type { Report, ReportEndpoint } from '../model.js';
import { chartData, renderChartSvg, type KeyedActivity } from './chart.js';

/** One field of a message part: its path in the schema model's notation and its types. */
export interface FieldLine {
  path: string;
  types: string;
  /** Present in this share of the messages (or parent objects) seen, 0..1. */
  presence: number;
}

/** What a row's details show beyond the report row itself. */
export interface EndpointDetail {
  /** Every method seen on the same host and path. */
  methods: string[];
  query: string[];
  headers: string[];
  /** Request body fields per media type. */
  request: Record<string, FieldLine[]>;
  /** Response body fields per status, then per media type. */
  responses: Record<string, Record<string, FieldLine[]>>;
  /** Redacted example request lines: the method and the template, names only. */
  examples: string[];
}

/** Headline numbers. */
export interface PageSummary {
  endpoints: number;
  newEndpoints: number;
  hosts: number;
  withPii: number;
  unauthenticated: number;
  triaged: number;
  /** Null when the database keeps no alerts. */
  alerts: number | null;
  /** Stream bytes never seen, by endpoint or host (see report/loss.ts); empty when none. */
  loss: LossRow[];
}

/** The page's data. */
export interface PageData {
  format: 1;
  mode: 'file' | 'serve';
  canTriage: boolean;
  report: Report;
  /** Parallel to report.endpoints. */
  details: EndpointDetail[];
  summary: PageSummary;
  chartSvg: string;
  alerts: AlertRow[] | null;
}

function key(e: { host: string; method: string; template: string }): string {
  return e.host + '\0' + e.method + '\0' + e.template;
}

/** Paths as readable names: `/user/email`, `/items/[]/id`, `/byId/{*}/name`. */
function readable(path: string): string {
  return path.replace(/~i/g, '[]').replace(/~k/g, '{*}').replace(/~1/g, '/')
    .replace(/~0/g, '~') || '(body)';
}

function fieldLines(fm: FieldMap, total: number): FieldLine[] {
  return Object.entries(fm.fields)
    .filter(([p]) => p !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([p, st]) => ({
      path: readable(p),
      types: Object.entries(st.t).filter(([, n]) => (n ?? 0) > 0).map(([t]) => t).sort()
        .concat(Object.keys(st.f ?? {}).length > 0 ? [`(${Object.keys(st.f!).join(', ')})`] : [])
        .join(' '),
      presence: total > 0 ? Math.min(1, Math.round((st.n / total) * 100) / 100) : 0,
    }));
}

function topNames(fm: FieldMap): string[] {
  return Object.keys(fm.fields).filter((p) => p.lastIndexOf('/') === 0)
    .map((p) => p.slice(1).replace(/~1/g, '/').replace(/~0/g, '~')).sort();
}

function detailOf(e: ReportEndpoint, schema: EndpointSchema | undefined,
  methods: string[]): EndpointDetail {
  const s = schema;
  const query = s === undefined ? e.queryParams : topNames(s.query);
  const request: EndpointDetail['request'] = {};
  const responses: EndpointDetail['responses'] = {};
  if (s !== undefined) {
    for (const [mt, fm] of Object.entries(s.request)) {
      request[mt || '(none)'] = fieldLines(fm, fm.fields['']?.n ?? s.n);
    }
    for (const [status, r] of Object.entries(s.responses)) {
      const per: Record<string, FieldLine[]> = {};
      for (const [mt, fm] of Object.entries(r.content)) {
        per[mt || '(none)'] = fieldLines(fm, fm.fields['']?.n ?? r.n);
      }
      responses[status] = per;
    }
  }
  const q = query.length > 0 ? '?' + query.map((n) => `${n}=…`).join('&') : '';
  return {
    methods,
    query,
    headers: s === undefined ? [] : topNames(s.headers),
    request,
    responses,
    examples: [`${e.method} ${e.path}${q}`],
  };
}

/** Builds the page's data from a report and what the store holds beside it. */
export function buildPageData(input: {
  report: Report;
  records: readonly EndpointRecord[];
  activity: readonly KeyedActivity[];
  alerts: AlertRow[] | null;
  mode: 'file' | 'serve';
  canTriage: boolean;
  chartBins: number;
}): PageData {
  const { report } = input;
  const schemas = new Map(input.records.map((r) => [key(r), r.schema]));
  const methodsAt = new Map<string, Set<string>>();
  for (const e of report.endpoints) {
    const k = e.host + '\0' + e.path;
    const set = methodsAt.get(k) ?? new Set<string>();
    set.add(e.method);
    methodsAt.set(k, set);
  }
  const details = report.endpoints.map((e) =>
    detailOf(e, schemas.get(key(e)), [...methodsAt.get(e.host + '\0' + e.path)!].sort()));
  const summary: PageSummary = {
    endpoints: report.endpoints.length,
    newEndpoints: report.endpoints.filter((e) => e.new).length,
    hosts: new Set(report.endpoints.map((e) => e.host)).size,
    withPii: report.endpoints.filter((e) => e.pii.length > 0).length,
    unauthenticated: report.endpoints.filter((e) => e.auth.includes('none')).length,
    triaged: report.endpoints.filter((e) => e.triage !== null).length,
    alerts: input.alerts === null ? null : input.alerts.length,
    loss: lossRows(report),
  };
  return {
    format: 1,
    mode: input.mode,
    canTriage: input.canTriage,
    report,
    details,
    summary,
    chartSvg: renderChartSvg(chartData(report, input.activity, input.chartBins)),
    alerts: input.alerts,
  };
}
