/**
 * Per-client behaviour per window of capture time: the rows the isolation forest
 * learns from and scores. Each exchange counts twice, once for its principal (when
 * it has one) and once for its client address, so rotating either alone does not
 * hide a client. Windows follow capture time, so a replay gives the same rows
 * every time (STYLE 7); memory is bounded by the abuse limits in config/limits.ts.
 */
import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type { ClientEvent, ProbeKind } from './events.js';
import type { Transform } from './forest.js';

/** The feature vector, in order; saved with every model so rows and trees agree. */
export const FEATURE_NAMES = [
  'requests', // exchanges in the window
  'distinctEndpoints', // (host, method, template) touched
  'maxDistinctParamValues', // most distinct values of one templated parameter: id enumeration
  'shareAuthFailed', // 401 and 403, as a smoothed share (see SHARE_PRIOR)
  'shareNotFound', // 404, likewise
  'shareServerError', // 5xx, likewise
  'shadowRequests', // requests to endpoints the catalog does not describe
  'responseBytes', // response body bytes
  'maxPerSecond', // most requests in one second of capture time: bursts and floods
  'loginFailures',
  'loginFailuresThenSuccess', // failures that ended in a success: credential stuffing
  'newUserAgents', // user agents this client had not shown before (its first one excepted)
] as const;

/**
 * How the forest sees each feature: counts and bytes on a log scale (they are
 * heavy-tailed), shares as they are.
 */
export const FEATURE_TRANSFORMS: readonly Transform[] = FEATURE_NAMES.map((f) =>
  f.startsWith('share') ? 'none' : 'log1p');

/**
 * Shares are count / (requests + SHARE_PRIOR): one 401 out of one request is
 * weak evidence, fifty out of fifty-two is strong, and the raw share calls both 1.
 */
export const SHARE_PRIOR = 4;

/** Name of one feature. */
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Whether a row describes a principal or a client address. */
export type ClientKind = 'principal' | 'address';

/** One endpoint a client touched in a window (path is the template, never concrete). */
export interface WindowEndpoint {
  host: string;
  method: string;
  path: string;
  requests: number;
  /** Redacted request line of the first request seen there. */
  example: string;
}

/** What one client did in one window: features plus what an alert needs to say. */
export interface WindowRow {
  kind: ClientKind;
  /** The principal token or the address the row is about. */
  key: string;
  /** The address (for principal rows: the one seen most often). */
  clientAddress: string;
  /** The principal (for address rows: the one seen most often, null when none). */
  client: string | null;
  /** Capture-time seconds, start inclusive, end exclusive. */
  window: { start: number; end: number };
  /** Values in FEATURE_NAMES order. */
  features: number[];
  /** Endpoints by requests, most first, ties by name; at most limits.abuseMaxAlertEndpoints. */
  endpoints: WindowEndpoint[];
  /** Requests carrying attack probes, by kind. */
  probes: Partial<Record<ProbeKind, number>>;
  /** Redacted request lines of the probing requests, at most limits.abuseMaxAlertExamples. */
  probeExamples: string[];
  /**
   * Responses 429 Too Many Requests: the server itself saying the client is over its
   * rate (RFC 6585 section 4). Not a feature (models keep their feature list); the
   * rate-limited detector reads it.
   */
  throttled: number;
}

/** Counters of what the aggregator could not keep, for the run summary. */
export interface WindowStats {
  events: number;
  rows: number;
  /** Events older than the open window, counted in it instead. */
  lateEvents: number;
  /** Events of clients over limits.abuseMaxClientsPerWindow, not scored. */
  clientsOverLimit: number;
  /** Values, endpoints or parameters not counted because a per-client cap was full. */
  saturated: number;
}

/**
 * Window length for a capture: the preferred length (default 60 s) unless the
 * capture is short, where span/20 (at least 5 s) keeps some twenty windows per
 * client to compare. Unknown span (live capture) keeps the preferred length.
 */
export function chooseWindowSec(spanSec: number | null, preferredSec = 60): number {
  if (spanSec === null || !Number.isFinite(spanSec)) return preferredSec;
  const short = Math.max(5, spanSec / 20);
  return Math.min(preferredSec, Math.round(short * 1000) / 1000);
}

/** 32-bit FNV-1a of a string: distinct values are counted as hashes, never kept raw. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface ClientState {
  kind: ClientKind;
  key: string;
  requests: number;
  endpoints: Map<string, WindowEndpoint>;
  params: Map<string, Set<number>>;
  maxDistinct: number;
  authFailed: number;
  notFound: number;
  serverError: number;
  throttled: number;
  shadow: number;
  bytes: number;
  second: number;
  inSecond: number;
  maxPerSecond: number;
  loginFailures: number;
  failureRun: number;
  failuresThenSuccess: number;
  newUserAgents: number;
  counterparts: Map<string, number>;
  probes: Partial<Record<ProbeKind, number>>;
  probeExamples: Set<string>;
}

/** Counterparts (addresses of a principal, principals of an address) remembered per row. */
const MAX_COUNTERPARTS = 8;

function newState(kind: ClientKind, key: string): ClientState {
  return {
    kind, key, requests: 0, endpoints: new Map(), params: new Map(), maxDistinct: 0,
    authFailed: 0, notFound: 0, serverError: 0, throttled: 0, shadow: 0, bytes: 0, second: NaN,
    inSecond: 0, maxPerSecond: 0, loginFailures: 0, failureRun: 0, failuresThenSuccess: 0,
    newUserAgents: 0, counterparts: new Map(), probes: {}, probeExamples: new Set(),
  };
}

/** Options of a WindowAggregator. */
export interface WindowOptions {
  windowSec: number;
  /** Capture time windows are counted from; the first event's time when absent. */
  origin?: number;
  limits: Limits;
  anomalies?: AnomalyCounter;
}

/**
 * Turns a time-ordered stream of events into per-client window rows. push() returns
 * the rows of windows the new event closed; flush() closes the open one.
 */
export class WindowAggregator {
  readonly stats: WindowStats = {
    events: 0, rows: 0, lateEvents: 0, clientsOverLimit: 0, saturated: 0,
  };
  private readonly opts: WindowOptions;
  private origin: number | null;
  private index = 0;
  private clients = new Map<string, ClientState>();
  /** Hashes of user agents seen per client, oldest client first (Map order = LRU). */
  private readonly agents = new Map<string, number[]>();

  constructor(opts: WindowOptions) {
    this.opts = opts;
    this.origin = opts.origin ?? null;
  }

  /** Adds one event; returns the rows of any windows its time closed. */
  push(ev: ClientEvent): WindowRow[] {
    this.stats.events++;
    if (this.origin === null) this.origin = ev.ts;
    const w = Math.floor((ev.ts - this.origin) / this.opts.windowSec);
    let closed: WindowRow[] = [];
    if (w > this.index) {
      closed = this.flush();
      this.index = w;
    } else if (w < this.index) {
      // LIMITATION: an event older than the open window counts in the open window.
      this.stats.lateEvents++;
    }
    if (ev.principal !== null) this.add('principal', ev.principal, ev.clientAddress, ev);
    this.add('address', ev.clientAddress, ev.principal, ev);
    return closed;
  }

  /**
   * Closes the open window when capture time `ts` is past its end (a live capture
   * calls this with its clock, so a quiet period still closes windows); returns
   * its rows. Later events of the closed window count as late.
   */
  advanceTo(ts: number): WindowRow[] {
    if (this.origin === null) return [];
    const w = Math.floor((ts - this.origin) / this.opts.windowSec);
    if (w <= this.index) return [];
    const closed = this.flush();
    this.index = w;
    return closed;
  }

  /** Closes the open window and returns its rows, sorted by kind then key. */
  flush(): WindowRow[] {
    if (this.origin === null || this.clients.size === 0) return [];
    const start = this.origin + this.index * this.opts.windowSec;
    const window = { start, end: start + this.opts.windowSec };
    const rows: WindowRow[] = [];
    for (const s of this.clients.values()) rows.push(this.toRow(s, window));
    rows.sort((a, b) =>
      a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    this.clients = new Map();
    this.stats.rows += rows.length;
    return rows;
  }

  private add(kind: ClientKind, key: string, counterpart: string | null, ev: ClientEvent): void {
    const id = kind + '\0' + key;
    const L = this.opts.limits;
    let s = this.clients.get(id);
    if (s === undefined) {
      if (this.clients.size >= L.abuseMaxClientsPerWindow) {
        this.stats.clientsOverLimit++;
        this.opts.anomalies?.add('abuse-client-limit');
        return;
      }
      s = newState(kind, key);
      this.clients.set(id, s);
    }
    s.requests++;
    const epKey = ev.host + '\0' + ev.method + '\0' + ev.template;
    const ep = s.endpoints.get(epKey);
    if (ep !== undefined) ep.requests++;
    else if (s.endpoints.size < L.abuseMaxEndpointsPerClient) {
      s.endpoints.set(epKey, {
        host: ev.host, method: ev.method, path: ev.template, requests: 1, example: ev.example,
      });
    } else this.stats.saturated++;
    for (const name of Object.keys(ev.params)) {
      this.addParam(s, epKey + '\0' + name, ev.params[name]);
    }
    const st = ev.status;
    if (st === 401 || st === 403) s.authFailed++;
    else if (st === 404) s.notFound++;
    else if (st !== null && st >= 500 && st <= 599) s.serverError++;
    else if (st === 429) s.throttled++;
    if (ev.shadow) s.shadow++;
    s.bytes += ev.responseBytes;
    // LIMITATION: seconds are aligned buckets, so a burst straddling a boundary
    // counts as two halves.
    const second = Math.floor(ev.ts);
    if (second === s.second) s.inSecond++;
    else {
      s.second = second;
      s.inSecond = 1;
    }
    if (s.inSecond > s.maxPerSecond) s.maxPerSecond = s.inSecond;
    if (ev.loginAttempt === 'failure') {
      s.loginFailures++;
      s.failureRun++;
    } else if (ev.loginAttempt === 'success') {
      s.failuresThenSuccess += s.failureRun;
      s.failureRun = 0;
    }
    if (this.isNewAgent(id, ev.userAgent)) s.newUserAgents++;
    if (counterpart !== null) {
      const n = s.counterparts.get(counterpart);
      if (n !== undefined) s.counterparts.set(counterpart, n + 1);
      else if (s.counterparts.size < MAX_COUNTERPARTS) s.counterparts.set(counterpart, 1);
    }
    for (const kind of ev.probes) s.probes[kind] = (s.probes[kind] ?? 0) + 1;
    if (ev.probes.length > 0 && s.probeExamples.size < L.abuseMaxAlertExamples) {
      s.probeExamples.add(ev.example);
    }
  }

  private addParam(s: ClientState, key: string, value: string | undefined): void {
    if (value === undefined) return;
    let set = s.params.get(key);
    if (set === undefined) {
      if (s.params.size >= this.opts.limits.abuseMaxParamsPerClient) {
        this.stats.saturated++;
        return;
      }
      set = new Set();
      s.params.set(key, set);
    }
    const h = hash32(value);
    if (!set.has(h)) {
      if (set.size >= this.opts.limits.abuseMaxValuesPerParam) {
        this.stats.saturated++;
        return;
      }
      set.add(h);
      if (set.size > s.maxDistinct) s.maxDistinct = set.size;
    }
  }

  /**
   * True when a client shows a user agent it has not shown before (across
   * windows); remembers it. A client's very first agent is not new: otherwise
   * every client would look like it changed agents in the first window of a run.
   */
  private isNewAgent(id: string, userAgent: string): boolean {
    const L = this.opts.limits;
    const h = hash32(userAgent);
    const seen = this.agents.get(id);
    if (seen === undefined) {
      if (this.agents.size >= L.abuseMaxClientsRemembered) {
        const oldest = this.agents.keys().next().value;
        if (oldest !== undefined) this.agents.delete(oldest);
      }
      this.agents.set(id, [h]);
      return false;
    }
    this.agents.delete(id); // re-insert: most recently used last
    this.agents.set(id, seen);
    if (seen.includes(h)) return false;
    if (seen.length >= L.abuseMaxUserAgentsPerClient) seen.shift();
    seen.push(h);
    return true;
  }

  private toRow(s: ClientState, window: { start: number; end: number }): WindowRow {
    const n = s.requests;
    const d = n + SHARE_PRIOR;
    const features = [
      n, s.endpoints.size, s.maxDistinct, s.authFailed / d, s.notFound / d, s.serverError / d,
      s.shadow, s.bytes, s.maxPerSecond, s.loginFailures, s.failuresThenSuccess,
      s.newUserAgents,
    ];
    const endpoints = [...s.endpoints.values()].sort((a, b) =>
      b.requests - a.requests || cmp(a.host, b.host) || cmp(a.path, b.path) ||
      cmp(a.method, b.method),
    );
    const top = topCounterpart(s.counterparts);
    return {
      kind: s.kind,
      key: s.key,
      clientAddress: s.kind === 'address' ? s.key : (top ?? ''),
      client: s.kind === 'principal' ? s.key : top,
      window,
      features,
      endpoints: endpoints.slice(0, this.opts.limits.abuseMaxAlertEndpoints).map((e) => ({ ...e })),
      probes: { ...s.probes },
      probeExamples: [...s.probeExamples],
      throttled: s.throttled,
    };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Most frequent counterpart; ties go to the smallest name so output is deterministic. */
function topCounterpart(m: Map<string, number>): string | null {
  let best: string | null = null;
  let bestN = 0;
  for (const [k, n] of m) {
    if (n > bestN || (n === bestN && best !== null && k < best)) {
      best = k;
      bestN = n;
    }
  }
  return best;
}

/** All rows of a finite, time-ordered event list (replay), with the aggregator's counters. */
export function extractWindows(
  events: Iterable<ClientEvent>,
  opts: WindowOptions,
): { rows: WindowRow[]; stats: WindowStats } {
  const agg = new WindowAggregator(opts);
  const rows: WindowRow[] = [];
  for (const ev of events) rows.push(...agg.push(ev));
  rows.push(...agg.flush());
  return { rows, stats: agg.stats };
}
