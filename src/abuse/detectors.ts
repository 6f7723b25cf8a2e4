/**
 * Detectors that need no training. Probes (injection and traversal payloads)
 * live in probes.ts and are re-exported here; this file holds enumeration:
 * one client walking the ids of one endpoint in order, faster than a person or an
 * ordinary integration would (ordinary clients touch many ids too, but ids they
 * were given, from a listing, a link, a queue, which arrive in no order); and two
 * over a client-window, each reading a verdict the server itself gave (below).
 */
import type { Limits } from '../config/limits.js';
import type { ClientEvent } from './events.js';
import { FEATURE_NAMES, type ClientKind, type WindowRow } from './features.js';

/** Probe detection lives in probes.ts; re-exported so the detectors are one import. */
export { detectProbes, normalizeForScan, percentDecode, type ProbeInput } from './probes.js';

/** When a series of parameter values counts as enumeration. */
export interface EnumerationOptions {
  /** Distinct values needed inside the span. */
  minDistinct: number;
  /** Capture-time seconds the values must fall within. */
  spanSec: number;
  /** Largest step between neighbouring ids that still counts as "next". */
  maxStep: number;
  /** Share of sorted neighbour gaps that must be steps of 1..maxStep. */
  minSortedShare: number;
  /** Share of consecutive requests (arrival order) whose ids differ by 1..maxStep. */
  minArrivalShare: number;
}

/**
 * Eight ids in ten seconds, mostly one to three apart, mostly requested in that
 * order. Eight is low enough for a short burst of a scraper (the corpus scraper
 * walks ten ids in 50 ms) and, with the two order tests, far from what clients
 * that pick ids from a list produce: with ids drawn at random from even a small
 * range, a run of seven neighbouring steps in a row is very unlikely.
 */
export const DEFAULT_ENUMERATION: Readonly<EnumerationOptions> = Object.freeze({
  minDistinct: 8,
  spanSec: 10,
  maxStep: 3,
  minSortedShare: 0.75,
  minArrivalShare: 0.5,
});

/** One enumeration run seen: who, which parameter of which endpoint, when. */
export interface EnumerationFinding {
  detector: 'enumeration';
  kind: ClientKind;
  clientAddress: string;
  client: string | null;
  host: string;
  method: string;
  template: string;
  /** Parameter name (a name from the template, never a value). */
  param: string;
  start: number;
  end: number;
  /** Distinct ids in the run. */
  distinct: number;
  example: string;
}

interface Point {
  ts: number;
  v: number;
}

/** Ids are integers, optionally after a short fixed prefix (INV-0042): prefix and number. */
const ID = /^(\D{0,16}?)(\d{1,15})$/;

/**
 * Watches (client, endpoint, parameter) series for enumeration, per client
 * address and per principal, and reports each run once: the series starts afresh
 * after a finding, so a long walk reports again every minDistinct more ids.
 */
export class EnumerationDetector {
  /** Series forgotten because limits.abuseMaxEnumerationSeries was reached. */
  evicted = 0;
  private readonly series = new Map<string, Point[]>();
  private readonly opts: EnumerationOptions;
  private readonly limits: Limits;

  constructor(limits: Limits, options: Partial<EnumerationOptions> = {}) {
    this.limits = limits;
    this.opts = { ...DEFAULT_ENUMERATION, ...options };
  }

  /** Feeds one event (in time order); returns the runs it completed. */
  observe(ev: ClientEvent): EnumerationFinding[] {
    const out: EnumerationFinding[] = [];
    for (const name of Object.keys(ev.params)) {
      const m = ID.exec(ev.params[name] ?? '');
      if (m === null) continue;
      const prefix = m[1] ?? '';
      const v = Number(m[2]);
      const tail = '\0' + ev.host + '\0' + ev.method + '\0' + ev.template + '\0' + name +
        '\0' + prefix;
      const byAddress = this.add('address\0' + ev.clientAddress + tail, ev.ts, v);
      if (byAddress !== null) out.push(this.finding('address', ev, name, byAddress));
      if (ev.principal !== null) {
        const byPrincipal = this.add('principal\0' + ev.principal + tail, ev.ts, v);
        if (byPrincipal !== null) out.push(this.finding('principal', ev, name, byPrincipal));
      }
    }
    return out;
  }

  private finding(
    kind: ClientKind,
    ev: ClientEvent,
    param: string,
    run: Point[],
  ): EnumerationFinding {
    return {
      detector: 'enumeration', kind, clientAddress: ev.clientAddress, client: ev.principal,
      host: ev.host, method: ev.method, template: ev.template, param,
      start: (run[0] as Point).ts, end: ev.ts, distinct: new Set(run.map((p) => p.v)).size,
      example: ev.example,
    };
  }

  /** Adds a point to a series; returns the run when it now looks like enumeration. */
  private add(key: string, ts: number, v: number): Point[] | null {
    let pts = this.series.get(key);
    if (pts === undefined) {
      if (this.series.size >= this.limits.abuseMaxEnumerationSeries) {
        const oldest = this.series.keys().next().value;
        if (oldest !== undefined) this.series.delete(oldest);
        this.evicted++;
      }
      pts = [];
    } else {
      this.series.delete(key); // re-insert below: most recently used last
    }
    this.series.set(key, pts);
    pts.push({ ts, v });
    let drop = 0;
    while (drop < pts.length && (pts[drop] as Point).ts < ts - this.opts.spanSec) drop++;
    if (pts.length - drop > this.limits.abuseMaxEnumerationValues) {
      drop = pts.length - this.limits.abuseMaxEnumerationValues;
    }
    if (drop > 0) pts.splice(0, drop);
    if (pts.length < this.opts.minDistinct || !this.isEnumeration(pts)) return null;
    const run = pts.slice();
    pts.length = 0;
    return run;
  }

  // LIMITATION: a fast client reading an ordinary sequence in order (/pages/{n})
  // looks the same, and ids that are not integers (UUIDs, slugs) are not watched.
  private isEnumeration(pts: readonly Point[]): boolean {
    const o = this.opts;
    const sorted = [...new Set(pts.map((p) => p.v))].sort((a, b) => a - b);
    if (sorted.length < o.minDistinct) return false;
    let near = 0;
    for (let i = 1; i < sorted.length; i++) {
      if ((sorted[i] as number) - (sorted[i - 1] as number) <= o.maxStep) near++;
    }
    if (near < o.minSortedShare * (sorted.length - 1)) return false;
    let inOrder = 0;
    for (let i = 1; i < pts.length; i++) {
      const d = Math.abs((pts[i] as Point).v - (pts[i - 1] as Point).v);
      if (d >= 1 && d <= o.maxStep) inOrder++;
    }
    return inOrder >= o.minArrivalShare * (pts.length - 1);
  }
}

/** Bars of the client-window detectors. */
export interface WindowDetectorOptions {
  /** Refused logins in one window that make credential stuffing. */
  minLoginFailures: number;
  /** 429 answers in one window that make a client that ignores the server's limit. */
  minThrottled: number;
}

/**
 * Credential stuffing: a login endpoint refusing the credentials (401 or 403,
 * RFC 9110 sections 15.5.2 and 15.5.4) ten times in one window. A person mistypes a
 * password once or twice; ten refusals is a list of passwords being tried.
 * Rate-limited: the server answering 429 (RFC 6585 section 4: too many requests in
 * a given time) ten times in one window. A client that honours the limit and its
 * Retry-After gets one or two; ten is one that keeps pushing.
 */
export const DEFAULT_WINDOW_DETECTORS: Readonly<WindowDetectorOptions> = Object.freeze({
  minLoginFailures: 10,
  minThrottled: 10,
});

/** What a client-window detector found: which one, on what count, against which bar. */
export interface WindowDetection {
  detector: 'credential-stuffing' | 'rate-limited';
  feature: string;
  value: number;
  threshold: number;
}

const LOGIN_FAILURES = FEATURE_NAMES.indexOf('loginFailures');

/** The client-window detectors that fire on a row, in a fixed order. */
export function windowDetections(
  row: WindowRow,
  o: WindowDetectorOptions = DEFAULT_WINDOW_DETECTORS,
): WindowDetection[] {
  const found: WindowDetection[] = [];
  const failures = row.features[LOGIN_FAILURES] ?? 0;
  if (failures >= o.minLoginFailures) {
    found.push({ detector: 'credential-stuffing', feature: 'loginFailures', value: failures,
      threshold: o.minLoginFailures });
  }
  if (row.throttled >= o.minThrottled) {
    found.push({ detector: 'rate-limited', feature: 'throttled', value: row.throttled,
      threshold: o.minThrottled });
  }
  return found;
}

/** Enumeration findings by the client rows they concern ('address' or 'principal', then key). */
export type FindingsByClient = ReadonlyMap<string, readonly EnumerationFinding[]>;

/** Indexes findings for flaggedByDetectors: each under its address and its principal. */
export function findingsByClient(findings: readonly EnumerationFinding[]): FindingsByClient {
  const by = new Map<string, EnumerationFinding[]>();
  const add = (k: string, f: EnumerationFinding): void => {
    const list = by.get(k);
    if (list === undefined) by.set(k, [f]);
    else list.push(f);
  };
  for (const f of findings) {
    add('address\0' + f.clientAddress, f);
    if (f.client !== null) add('principal\0' + f.client, f);
  }
  return by;
}

/**
 * True when a training-free detector already explains a row: it carries probes,
 * a client-window detector fires, or an enumeration run of the same client falls
 * in its window. Such rows are kept out of every baseline a forest learns from
 * (a self-fitted one above all: there the attacks are part of the rows, and
 * those the detectors know would otherwise hide the others).
 */
export function flaggedByDetectors(
  row: WindowRow,
  findings: FindingsByClient,
  o: WindowDetectorOptions = DEFAULT_WINDOW_DETECTORS,
): boolean {
  if (Object.keys(row.probes).length > 0 || windowDetections(row, o).length > 0) return true;
  const mine = findings.get(row.kind + '\0' + row.key) ?? [];
  return mine.some((f) => f.start < row.window.end && f.end >= row.window.start);
}
