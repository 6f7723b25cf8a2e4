/**
 * Alerts: what the forest and the detectors found, in one shape, ready to store
 * or print. An alert is built only from tokens, addresses, templates and numbers,
 * so it can never carry a raw parameter value or a credential (STYLE 11): the
 * rows and findings it comes from hold none.
 */
import type { Limits } from '../config/limits.js';
import { ShadowtapError } from '../errors.js';
import {
  windowDetections, type EnumerationFinding, type WindowDetection,
} from './detectors.js';
import { FEATURE_NAMES, type WindowRow } from './features.js';
import { score, type Model } from './forest.js';

/** Which part of the sensor raised an alert. */
export type DetectorName =
  | 'isolation-forest' | 'enumeration' | 'injection' | 'credential-stuffing' | 'rate-limited';

/** A feature that stands out: its value and what training called usual for it. */
export interface AlertReason {
  feature: string;
  value: number;
  /** The training 99th percentile (or median, see reasonsFor); for detectors, their bar. */
  baseline: number;
}

/** One alert. */
export interface Alert {
  detector: DetectorName;
  /** Network address as seen. */
  clientAddress: string;
  /** Tokenised principal, null when the client sent no credential. */
  client: string | null;
  window: { start: number; end: number };
  score: number;
  threshold: number;
  endpoints: Array<{ host: string; method: string; path: string }>;
  reasons: AlertReason[];
  /** Redacted request lines: method and template only. */
  examples: string[];
}

function nearestIndex(qs: readonly number[], q: number): number {
  let best = 0;
  for (let i = 1; i < qs.length; i++) {
    if (Math.abs((qs[i] as number) - q) < Math.abs((qs[best] as number) - q)) best = i;
  }
  return best;
}

/**
 * The features of a row that stand out against training: those above the
 * training 99th percentile, ranked by how far past it they are in units of the
 * training spread (p99 - p50). A row isolated for a mix of ordinary values gets
 * the features furthest above their median instead, against that median.
 */
export function reasonsFor(model: Model, features: readonly number[], max: number): AlertReason[] {
  const qs = model.baseline.quantiles;
  const i50 = nearestIndex(qs, 0.5);
  const i99 = nearestIndex(qs, 0.99);
  const above: Array<AlertReason & { excess: number }> = [];
  const overMedian: Array<AlertReason & { excess: number }> = [];
  model.features.forEach((feature, f) => {
    const q = model.baseline.values[f] as number[];
    const p50 = q[i50] as number;
    const p99 = q[i99] as number;
    const v = features[f] as number;
    const spread = p99 > p50 ? p99 - p50 : Math.max(Math.abs(p99), 1);
    if (v > p99) above.push({ feature, value: v, baseline: p99, excess: (v - p99) / spread });
    else if (v > p50) {
      overMedian.push({ feature, value: v, baseline: p50, excess: (v - p50) / spread });
    }
  });
  const pick = above.length > 0 ? above : overMedian;
  pick.sort((a, b) => b.excess - a.excess || (a.feature < b.feature ? -1 : 1));
  return pick.slice(0, max).map(({ feature, value, baseline }) => ({ feature, value, baseline }));
}

function forestAlert(model: Model, row: WindowRow, s: number, limits: Limits): Alert {
  return {
    detector: 'isolation-forest',
    clientAddress: row.clientAddress,
    client: row.client,
    window: { ...row.window },
    score: s,
    threshold: model.threshold,
    endpoints: row.endpoints.map(({ host, method, path }) => ({ host, method, path })),
    reasons: reasonsFor(model, row.features, limits.abuseMaxAlertReasons),
    examples: row.endpoints.slice(0, limits.abuseMaxAlertExamples).map((e) => e.example),
  };
}

function injectionAlert(row: WindowRow): Alert {
  const reasons = Object.entries(row.probes)
    .map(([kind, n]) => ({ feature: 'probe:' + kind, value: n ?? 0, baseline: 0 }))
    .sort((a, b) => (a.feature < b.feature ? -1 : 1));
  return {
    detector: 'injection',
    clientAddress: row.clientAddress,
    client: row.client,
    window: { ...row.window },
    score: reasons.reduce((sum, r) => sum + r.value, 0),
    threshold: 1,
    endpoints: row.endpoints.map(({ host, method, path }) => ({ host, method, path })),
    reasons,
    examples: [...row.probeExamples],
  };
}

function windowAlert(row: WindowRow, d: WindowDetection, limits: Limits): Alert {
  return {
    detector: d.detector,
    clientAddress: row.clientAddress,
    client: row.client,
    window: { ...row.window },
    score: d.value,
    threshold: d.threshold,
    endpoints: row.endpoints.map(({ host, method, path }) => ({ host, method, path })),
    reasons: [{ feature: d.feature, value: d.value, baseline: d.threshold }],
    examples: row.endpoints.slice(0, limits.abuseMaxAlertExamples).map((e) => e.example),
  };
}

function enumerationAlert(f: EnumerationFinding, minDistinct: number): Alert {
  return {
    detector: 'enumeration',
    clientAddress: f.clientAddress,
    client: f.client,
    window: { start: f.start, end: f.end },
    score: f.distinct,
    threshold: minDistinct,
    endpoints: [{ host: f.host, method: f.method, path: f.template }],
    reasons: [{ feature: `sequentialIds:${f.param}`, value: f.distinct, baseline: minDistinct }],
    examples: [f.example],
  };
}

/** What scoreWindows combines. */
export interface ScoreInput {
  rows: readonly WindowRow[];
  /** Null when there is no model (too little traffic to fit one): detectors only. */
  model: Model | null;
  enumerations: readonly EnumerationFinding[];
  /** The enumeration bar the findings were made with, shown as their threshold. */
  enumerationMinDistinct: number;
}

/**
 * All alerts of a set of windows: forest scores over the threshold, injection
 * probes, credential stuffing and rate-limited clients (from address rows, so a
 * client rotating credentials yields one alert, not one per credential) and
 * enumeration runs. Alerts of one detector for the
 * same client, address and window are merged (the principal and the address row of
 * one client usually both stand out). Sorted by window, address, client, detector.
 */
export function scoreWindows(input: ScoreInput, limits: Limits): Alert[] {
  const { model } = input;
  if (model !== null && (model.features.length !== FEATURE_NAMES.length ||
    model.features.some((f, i) => f !== FEATURE_NAMES[i]))) {
    throw new ShadowtapError('model-invalid', `model trained on features ` +
      `[${model.features.join(', ')}] does not match [${FEATURE_NAMES.join(', ')}]`);
  }
  const alerts: Alert[] = [];
  for (const row of input.rows) {
    if (model !== null) {
      const s = score(model, row.features);
      if (s >= model.threshold) alerts.push(forestAlert(model, row, s, limits));
    }
    if (row.kind !== 'address') continue;
    if (Object.keys(row.probes).length > 0) alerts.push(injectionAlert(row));
    for (const d of windowDetections(row)) alerts.push(windowAlert(row, d, limits));
  }
  const seen = new Set<string>();
  for (const f of input.enumerations) {
    // The address and the principal series of one client fire on the same request.
    const k = [f.clientAddress, f.host, f.method, f.template, f.param, f.end].join('\0');
    if (seen.has(k)) continue;
    seen.add(k);
    alerts.push(enumerationAlert(f, input.enumerationMinDistinct));
  }
  return mergeAlerts(alerts, limits);
}

function alertKey(a: Alert): string {
  return [a.detector, a.clientAddress, a.client ?? '', a.window.start, a.window.end].join('\0');
}

/** Merges alerts with the same key: highest score kept, endpoints and examples unioned. */
function mergeAlerts(alerts: Alert[], limits: Limits): Alert[] {
  const byKey = new Map<string, Alert>();
  for (const a of alerts) {
    const k = alertKey(a);
    const have = byKey.get(k);
    if (have === undefined) {
      byKey.set(k, a);
      continue;
    }
    const keep = a.score > have.score ? a : have;
    const other = keep === a ? have : a;
    for (const e of other.endpoints) {
      if (keep.endpoints.length >= limits.abuseMaxAlertEndpoints) break;
      if (!keep.endpoints.some((x) => x.host === e.host && x.method === e.method &&
        x.path === e.path)) keep.endpoints.push(e);
    }
    for (const ex of other.examples) {
      if (keep.examples.length >= limits.abuseMaxAlertExamples) break;
      if (!keep.examples.includes(ex)) keep.examples.push(ex);
    }
    byKey.set(k, keep);
  }
  return [...byKey.values()].sort((a, b) =>
    a.window.start - b.window.start || cmp(a.clientAddress, b.clientAddress) ||
    cmp(a.client ?? '', b.client ?? '') || cmp(a.detector, b.detector) ||
    a.window.end - b.window.end);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
