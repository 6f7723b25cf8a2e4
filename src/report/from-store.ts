/**
 * The report as every command builds it from the database: stored endpoints, the
 * catalog (given, else the last replay's), the latest run and reviewers' decisions.
 * One function, so `report`, `replay`, `serve` and the exports always agree.
 */
import type { Catalog } from '../catalog/types.js';
import type { Limits } from '../config/limits.js';
import type { EndpointRecord, Store } from '../store/db.js';
import { buildReport, type Report } from './model.js';
import { buildPageData, type PageData } from './html/page-data.js';

/** Alerts shown on a review page at most (the newest). */
const PAGE_ALERTS = 500;

/** The report and the stored records it was built from. */
export interface StoredReport {
  report: Report;
  records: EndpointRecord[];
}

/** Builds the report from the store, with triage applied. */
export function reportFromStore(store: Store, catalog: Catalog | null, now: number): StoredReport {
  const records = store.endpoints();
  const report = buildReport(records, catalog ?? store.catalog(), store.latestRun(), now,
    store.triage(), store.encryptedHosts(), store.hostLoss());
  return { report, records };
}

/** The review page's data from the store. */
export function pageFromStore(
  store: Store,
  catalog: Catalog | null,
  opts: { now: number; mode: 'file' | 'serve'; canTriage: boolean; limits: Limits },
): PageData {
  const { report, records } = reportFromStore(store, catalog, opts.now);
  return buildPageData({
    report,
    records,
    activity: store.activity(),
    alerts: store.alerts(PAGE_ALERTS),
    mode: opts.mode,
    canTriage: opts.canTriage,
    chartBins: opts.limits.reportChartBins,
  });
}
