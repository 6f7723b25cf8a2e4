/**
 * The abuse stage's unit of work: one slim record per exchange, made on the main
 * thread as rounds come back from the flow workers, and turned into ClientEvents
 * in the abuse worker once templating has named every path. A record holds the
 * concrete path (the templates are not known yet); it lives in memory only, and
 * no alert is ever built from it (alerts name templates).
 */
import type { AnomalyCounter } from '../anomalies.js';
import {
  exampleLine, type ClientEvent, type LoginOutcome, type ProbeKind,
} from '../abuse/events.js';
import { clientAddressOf, loginOutcome, type TrustedProxies } from '../abuse/identity.js';
import { splitPath } from '../catalog/match.js';
import { endpointHost } from '../infer/inventory.js';
import type { ParamShape } from '../infer/template-types.js';
import { segmentShape, type ValueKind } from '../infer/value-kind.js';
import type { ExchangeSummary } from './messages.js';

/** One exchange as the abuse worker keeps it until the end of the replay. */
export interface AbuseRecord {
  ts: number;
  /** First packet of the request, then arrival order: ties of `ts` sort by these. */
  packet: number;
  seq: number;
  clientAddress: string;
  principal: string | null;
  /** The endpoint host as the inventory keys it (endpointHost: no port, lowercased). */
  host: string;
  method: string;
  /** Concrete path, RAW: looked up in the template map, never copied into an alert. */
  path: string;
  status: number | null;
  responseBytes: number;
  userAgent: string;
  probes: ProbeKind[];
  login: LoginOutcome;
}

/** The key a concrete path is templated under: endpoint host, method and path. */
export function pathKey(host: string, method: string, path: string): string {
  return host + '\0' + method + '\0' + path;
}

/** The kind of each parameter value of a concrete path, in the template's order. */
export function paramKinds(path: string, params: readonly ParamShape[]): ValueKind[] {
  if (params.length === 0) return [];
  const segs = splitPath(path);
  return params.map((p) => segmentShape(segs[p.position] ?? '').kind);
}

/**
 * The key of a request shape in the shadow set: its endpoint and the kinds of its
 * parameter values. A request is judged against the catalog by its own values, so
 * an injection probe in `/products/{id}` (text where the spec says integer) does not
 * make every ordinary call there look like a call outside the catalog.
 */
export function shapeKey(host: string, method: string, template: string,
  kinds: readonly ValueKind[]): string {
  return host + '\0' + method + '\0' + template + '\0' + kinds.join(',');
}

/** Where the inventory folds paths past limits.maxPathsPerHostMethod (infer/inventory.ts). */
const OVERFLOW_PATH = '/{overflow}';

/**
 * The record of an exchange, or null for what the inventory does not count either
 * (CONNECT tunnels, requests without a path). The client address is the TCP peer
 * unless a trusted proxy vouches for an X-Forwarded-For hop.
 */
export function toRecord(
  ex: ExchangeSummary,
  seq: number,
  trusted: TrustedProxies,
  anomalies: AnomalyCounter,
): AbuseRecord | null {
  if (ex.method === 'CONNECT' || ex.path === '') return null;
  const xff: Array<[string, string]> =
    ex.forwardedFor === '' ? [] : [['x-forwarded-for', ex.forwardedFor]];
  return {
    ts: ex.ts,
    packet: ex.packet,
    seq,
    clientAddress: clientAddressOf(ex.clientIp, xff, trusted, anomalies),
    principal: ex.principal,
    host: endpointHost(ex.host, ex.serverIp),
    method: ex.method,
    path: ex.path,
    status: ex.status,
    responseBytes: ex.responseBytes,
    userAgent: ex.userAgent,
    probes: ex.probes,
    login: loginOutcome(ex.method, ex.path, ex.status),
  };
}

/** The template of one concrete path and its parameters (positions are segment indexes). */
export interface PathTemplate {
  template: string;
  params: ParamShape[];
}

/** What turns records into events: templates by pathKey, shadow request shapes by shapeKey. */
export interface EventContext {
  templates: ReadonlyMap<string, PathTemplate>;
  shadow: ReadonlySet<string>;
}

/** A template split for matching: literal segments by position, parameters as null. */
interface SplitTemplate {
  t: PathTemplate;
  segments: Array<string | null>;
  literals: number;
}

/**
 * Templates of the paths the inventory folded past limits.maxPathsPerHostMethod
 * (they reached templating as one '/{overflow}' row). Such a path is given the
 * most literal template of its host and method whose segments it fits, so a
 * client walking ids past the cap still shows as walking ids.
 */
class OverflowMatcher {
  private readonly byHostMethod = new Map<string, SplitTemplate[]>();

  constructor(templates: ReadonlyMap<string, PathTemplate>) {
    const seen = new Set<string>();
    for (const [key, t] of templates) {
      const hm = key.slice(0, key.lastIndexOf('\0'));
      if (t.template === OVERFLOW_PATH || seen.has(hm + '\0' + t.template)) continue;
      seen.add(hm + '\0' + t.template);
      const segments: Array<string | null> = splitPath(t.template);
      for (const p of t.params) segments[p.position] = null;
      const list = this.byHostMethod.get(hm) ?? [];
      list.push({ t, segments, literals: segments.filter((x) => x !== null).length });
      this.byHostMethod.set(hm, list);
    }
    for (const list of this.byHostMethod.values()) {
      list.sort((a, b) => b.literals - a.literals ||
        (a.t.template < b.t.template ? -1 : a.t.template > b.t.template ? 1 : 0));
    }
  }

  match(host: string, method: string, path: string): PathTemplate | undefined {
    const list = this.byHostMethod.get(host + '\0' + method);
    if (list === undefined) return undefined;
    const segs = splitPath(path);
    for (const c of list) {
      if (c.segments.length === segs.length &&
        c.segments.every((x, i) => x === null || x === segs[i])) return c.t;
    }
    return undefined;
  }
}

function byCaptureOrder(a: AbuseRecord, b: AbuseRecord): number {
  return a.ts - b.ts || a.packet - b.packet || a.seq - b.seq;
}

/**
 * ClientEvents of the records, sorted by capture time (then packet, then arrival),
 * so the same capture gives the same events whatever the worker count. Records
 * whose path has no template are left out and counted in `skipped`.
 */
export function toClientEvents(
  records: AbuseRecord[],
  ctx: EventContext,
): { events: ClientEvent[]; skipped: number } {
  records.sort(byCaptureOrder);
  const events: ClientEvent[] = [];
  let skipped = 0;
  let overflow: OverflowMatcher | null = null;
  for (const r of records) {
    let t = ctx.templates.get(pathKey(r.host, r.method, r.path));
    if (t === undefined) {
      overflow ??= new OverflowMatcher(ctx.templates);
      // LIMITATION: a folded path that fits no template of its siblings is scored
      // as '/{overflow}', without parameters.
      t = overflow.match(r.host, r.method, r.path) ??
        ctx.templates.get(pathKey(r.host, r.method, OVERFLOW_PATH));
    }
    if (t === undefined) {
      skipped++;
      continue;
    }
    const params: Record<string, string> = {};
    if (t.params.length > 0) {
      const segs = splitPath(r.path);
      for (const p of t.params) {
        const v = segs[p.position];
        if (v !== undefined) params[p.name] = v;
      }
    }
    events.push({
      ts: r.ts,
      clientAddress: r.clientAddress,
      principal: r.principal,
      host: r.host,
      method: r.method,
      template: t.template,
      params,
      status: r.status,
      responseBytes: r.responseBytes,
      userAgent: r.userAgent,
      shadow: ctx.shadow.has(shapeKey(r.host, r.method, t.template, paramKinds(r.path, t.params))),
      loginAttempt: r.login,
      probes: r.probes,
      example: exampleLine(r.method, t.template),
    });
  }
  return { events, skipped };
}
