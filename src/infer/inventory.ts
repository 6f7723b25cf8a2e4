/**
 * Aggregates exchanges into per-path statistics during a run. Concrete paths live
 * only in memory: once templated, only (host, method, template) rows reach storage.
 * Every statistic is a count, a min/max or a set, so the result does not depend on
 * the order exchanges arrive in (and so not on the worker count).
 */
import type { Limits } from '../config/limits.js';
import type { AnomalyCounter } from '../anomalies.js';
import type { ExchangeSummary } from '../pipeline/messages.js';
import { emptyEndpointSchema, mergeSchemas, type EndpointSchema } from './schema.js';
import { mergePii, type PiiFindings } from './pii-aggregate.js';
import type { ShapeDetail } from '../pipeline/analyse.js';
import { segmentShape } from './value-kind.js';
import { statusRecord } from './status-record.js';

/** The row a path with no value segment folds into past the path cap. */
export const OVERFLOW_PATH = '/{overflow}';

/** Counts, times and name sets: cheap, kept per concrete path. */
export interface CountStats {
  requests: number;
  statusCodes: Record<string, number>;
  firstSeen: number;
  lastSeen: number;
  auth: string[];
  requestTypes: string[];
  responseTypes: string[];
  queryNames: string[];
  /** Stream bytes of its exchanges the capture lacked (see Exchange.gapBytes). */
  gapBytes: number;
}

/**
 * What the exchanges carried: heavier, so kept once per path shape (see shapeOf),
 * not per concrete path: `/users/1` and `/users/2` share one.
 */
export interface PathDetail {
  /** Types and counts of what the exchanges carried; never values. */
  schema: EndpointSchema;
  /** Personal data seen, tokenised. */
  pii: PiiFindings;
  /** Requests over capture time (report chart); absent in stats made before it existed. */
  activity?: Activity;
}

/** Statistics that merge by counting, widening and union. */
export interface EndpointStats extends CountStats, PathDetail {}

/**
 * Requests per capture-time bucket, merged by adding like statusCodes. Bounded: past
 * limits.maxActivityBuckets the width doubles, so a long capture keeps its shape at a
 * coarser grain instead of growing.
 */
export interface Activity {
  /** Bucket width in seconds: limits.activityBucketSec, doubled as often as needed. */
  width: number;
  /** Requests by bucket start (epoch seconds, a multiple of width). */
  buckets: Record<string, number>;
}

function rebucket(
  buckets: Record<string, number>, width: number, into: Record<string, number>,
): void {
  for (const [start, n] of Object.entries(buckets)) {
    const k = String(Math.floor(Number(start) / width) * width);
    into[k] = (into[k] ?? 0) + n;
  }
}

/** Doubles the width until at most `cap` buckets remain. */
function fit(a: Activity, cap: number): Activity {
  let out = a;
  while (Object.keys(out.buckets).length > Math.max(1, cap)) {
    const width = out.width * 2;
    const buckets: Record<string, number> = {};
    rebucket(out.buckets, width, buckets);
    out = { width, buckets };
  }
  return out;
}

/** Counts `n` requests at capture time `ts` (seconds) into `a`. */
export function addActivity(a: Activity, ts: number, n: number, cap: number): Activity {
  const k = String(Math.floor(ts / a.width) * a.width);
  a.buckets[k] = (a.buckets[k] ?? 0) + n;
  return fit(a, cap);
}

/**
 * The sum of two histograms, neither changed. The width is the smallest doubling
 * that fits all the data, whatever order the parts are merged in: a part never needs
 * a wider bucket than the whole.
 */
export function mergeActivity(a: Activity, b: Activity, cap: number): Activity {
  const width = Math.max(a.width, b.width);
  const buckets: Record<string, number> = {};
  rebucket(a.buckets, width, buckets);
  rebucket(b.buckets, width, buckets);
  return fit({ width, buckets }, cap);
}

/** Statistics of one (host, method, concrete path); `detail` is shared by its shape. */
export interface PathStats extends CountStats {
  host: string;
  method: string;
  path: string;
  detail: PathDetail;
}

/**
 * The path with every segment whose form alone makes it a value (numbers, UUIDs,
 * hex and base64-like ids, dates, emails, encoded text), or that is a code holding
 * a run of four digits or more (`AB-11398`, `INV-2024-0042`), replaced by `{}`.
 * Paths of one shape almost always share a template, so they can share their detail;
 * without codes folded, every SKU kept a detail of its own.
 */
export function shapeOf(path: string): string {
  const segs = path.split('/');
  for (let i = 1; i < segs.length; i++) {
    const role = segmentShape(segs[i]!).role;
    if (role === 'value' || (role === 'token' && DIGIT_RUN.test(segs[i]!))) segs[i] = '{}';
  }
  return segs.join('/');
}

const DIGIT_RUN = /\d{4}/;

/** The key of the detail one (host, method, path shape) shares. */
export function detailKey(host: string, method: string, shape: string): string {
  return host + '\0' + method + '\0' + shape;
}

/** False for what is no API call: CONNECT targets an authority (a tunnel), not a path. */
export function inInventory(method: string, path: string): boolean {
  return method !== 'CONNECT' && path !== '';
}

/** Lowercased host without port, else the server address (IPv6 unbracketed). */
export function endpointHost(hostHeader: string, serverIp: string): string {
  let h = hostHeader.trim().toLowerCase();
  if (h === '') return serverIp;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.lastIndexOf(':');
  if (colon > 0 && h.indexOf(':') === colon && /^\d*$/.test(h.slice(colon + 1))) {
    h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** Media type without parameters, lowercased: 'application/json'. */
export function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi >= 0 ? contentType.slice(0, semi) : contentType).trim().toLowerCase();
}

function addUnique(list: string[], value: string, cap: number): void {
  if (value !== '' && list.length < cap && !list.includes(value)) list.push(value);
}

/** Merges b's counts into a (same key). */
export function mergeCounts(a: CountStats, b: CountStats, limits: Limits): void {
  a.requests += b.requests;
  a.gapBytes += b.gapBytes;
  for (const [code, n] of Object.entries(b.statusCodes)) {
    a.statusCodes[code] = (a.statusCodes[code] ?? 0) + n;
  }
  a.firstSeen = Math.min(a.firstSeen, b.firstSeen);
  a.lastSeen = Math.max(a.lastSeen, b.lastSeen);
  const cap = limits.maxQueryParamsPerEndpoint;
  for (const v of b.auth) addUnique(a.auth, v, 16);
  for (const v of b.requestTypes) addUnique(a.requestTypes, v, 16);
  for (const v of b.responseTypes) addUnique(a.responseTypes, v, 16);
  for (const v of b.queryNames) addUnique(a.queryNames, v, cap);
}

/** Merges b's detail into a; b is not changed (a detail may be shared). */
export function mergeDetail(a: PathDetail, b: PathDetail, limits: Limits): void {
  a.schema = mergeSchemas(a.schema, b.schema, limits);
  mergePii(a.pii, b.pii, limits.maxTokensPerFinding);
  if (b.activity !== undefined) {
    const have = a.activity ?? { width: b.activity.width, buckets: {} };
    a.activity = mergeActivity(have, b.activity, limits.maxActivityBuckets);
  }
}

/** Sorts the set-valued fields so that output is canonical. */
export function canonical<T extends CountStats>(s: T): T {
  s.auth.sort();
  s.requestTypes.sort();
  s.responseTypes.sort();
  s.queryNames.sort();
  return s;
}

/** Collects per-path statistics from exchange summaries. */
export class PathInventory {
  private readonly byKey = new Map<string, PathStats>();
  private readonly details = new Map<string, PathDetail>();
  private readonly pathsPerHostMethod = new Map<string, number>();

  constructor(
    private readonly limits: Limits,
    private readonly anomalies: AnomalyCounter,
  ) {}

  add(ex: ExchangeSummary): void {
    if (!inInventory(ex.method, ex.path)) return;
    const host = endpointHost(ex.host, ex.serverIp);
    const hm = host + '\0' + ex.method;
    let path = ex.path;
    let key = hm + '\0' + path;
    let stats = this.byKey.get(key);
    if (stats === undefined) {
      const seen = this.pathsPerHostMethod.get(hm) ?? 0;
      if (seen >= this.limits.maxPathsPerHostMethod || this.byKey.size >= this.limits.maxPaths) {
        // Past the cap a new path is kept as its shape (`/users/{}/orders`): ids fold
        // into one row, which buildEndpoints gives the template of a sibling.
        // LIMITATION: a path with no value segment folds into '/{overflow}'.
        this.anomalies.add('path-limit');
        const shape = shapeOf(path);
        path = shape !== path ? shape : OVERFLOW_PATH;
        key = hm + '\0' + path;
        stats = this.byKey.get(key);
      } else {
        this.pathsPerHostMethod.set(hm, seen + 1);
      }
    }
    if (stats === undefined) {
      const detail = this.detailOf(detailKey(host, ex.method, shapeOf(path)));
      stats = {
        host,
        method: ex.method,
        path,
        requests: 0,
        statusCodes: statusRecord(),
        firstSeen: ex.ts,
        lastSeen: ex.ts,
        auth: [],
        requestTypes: [],
        responseTypes: [],
        queryNames: [],
        gapBytes: 0,
        detail,
      };
      this.byKey.set(key, stats);
    }
    stats.requests++;
    stats.gapBytes += ex.gapBytes;
    const code = ex.status === null ? 'none' : String(ex.status);
    stats.statusCodes[code] = (stats.statusCodes[code] ?? 0) + 1;
    if (ex.ts < stats.firstSeen) stats.firstSeen = ex.ts;
    if (ex.ts > stats.lastSeen) stats.lastSeen = ex.ts;
    for (const a of ex.auth) addUnique(stats.auth, a, 16);
    addUnique(stats.requestTypes, mediaType(ex.requestType), 16);
    if (ex.responseType !== '') addUnique(stats.responseTypes, mediaType(ex.responseType), 16);
    const maxQuery = this.limits.maxQueryParamsPerEndpoint;
    for (const q of ex.queryNames) addUnique(stats.queryNames, q, maxQuery);
    const d = stats.detail;
    if (d.activity !== undefined) {
      d.activity = addActivity(d.activity, ex.ts, 1, this.limits.maxActivityBuckets);
    }
  }

  /**
   * Merges what a worker gathered for one path shape (see RoundAnalysis). A shape no
   * path row has (past the path cap) is kept while the caps allow, else folded into
   * its host and method's overflow detail.
   */
  addDetail(d: ShapeDetail): void {
    let key = detailKey(d.host, d.method, d.shape);
    if (!this.details.has(key) && this.details.size >= this.limits.maxPaths) {
      key = detailKey(d.host, d.method, shapeOf(OVERFLOW_PATH));
    }
    const detail = this.detailOf(key);
    detail.schema = mergeSchemas(detail.schema, d.schema, this.limits);
    mergePii(detail.pii, d.pii, this.limits.maxTokensPerFinding);
  }

  private detailOf(key: string): PathDetail {
    let detail = this.details.get(key);
    if (detail === undefined) {
      detail = {
        schema: emptyEndpointSchema(),
        pii: {},
        activity: { width: this.limits.activityBucketSec, buckets: {} },
      };
      this.details.set(key, detail);
    }
    return detail;
  }

  /** All per-path statistics gathered so far. */
  paths(): PathStats[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }
}
