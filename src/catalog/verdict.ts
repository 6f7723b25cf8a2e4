/**
 * Verdicts: each observed endpoint against the catalog (documented, zombie, shadow,
 * unknown-host, not-found), and the catalog operations no traffic reached (unseen).
 */
import type { ParamShape } from '../infer/template-types.js';
import type { ValueKind } from '../infer/value-kind.js';
import { bindCatalog, methodServes, type BoundTemplate } from './bind.js';
import { compareScores, matchScore, templateSegments, type ObservedSegment } from './match.js';
import { normaliseHost } from './servers.js';
import type { Catalog, CatalogOperation } from './types.js';

/** One endpoint of the inventory as classification needs it. */
export interface ObservedEndpoint {
  host: string;
  method: string;
  template: string;
  params: ParamShape[];
  statusCodes: Record<string, number>;
}

/** What an observed endpoint is with respect to the catalog. */
export type VerdictStatus = 'documented' | 'shadow' | 'unknown-host' | 'zombie' | 'not-found';

/** Verdict on one observed endpoint. */
export interface Verdict {
  status: VerdictStatus;
  operation: CatalogOperation | null;
  /** Template to report, with catalog param names and base path as on the wire. */
  path: string;
}

/** A catalog operation that no observed endpoint matched. */
export interface UnseenOperation {
  /** Observed host the operation applies to; null when its spec applies to none. */
  host: string | null;
  method: string;
  path: string;
  operationId: string | null;
  specFile: string;
}

/** Answered, and only ever 404: a probe for something that is not there. */
function onlyNotFound(statusCodes: Record<string, number>): boolean {
  const codes = Object.entries(statusCodes).filter(([, n]) => n > 0);
  return codes.length > 0 && codes.every(([code]) => code === '404');
}

function segmentsOf(e: ObservedEndpoint): ObservedSegment[] {
  const kinds = new Map<number, ValueKind>(e.params.map((p) => [p.position, p.kind]));
  return templateSegments(e.template, kinds);
}

/** The best template for the segments among `candidates` that `accept` lets through. */
function best(
  candidates: readonly BoundTemplate[],
  segments: readonly ObservedSegment[],
  accept: (b: BoundTemplate) => boolean,
): BoundTemplate | null {
  let top: BoundTemplate | null = null;
  let topScore: number[] | null = null;
  for (const b of candidates) {
    if (!accept(b)) continue;
    const score = matchScore(b.segments, segments);
    if (score === null) continue;
    // Ties keep the earlier candidate: catalog order, then base path order.
    if (topScore === null || compareScores(score, topScore) < 0) {
      top = b;
      topScore = score;
    }
  }
  return top;
}

/** The operation serving a call: same method, else GET for HEAD, else any for OPTIONS. */
function operationFor(
  candidates: readonly BoundTemplate[],
  method: string,
  segments: readonly ObservedSegment[],
): BoundTemplate | null {
  const exact = best(candidates, segments, (b) => b.op.method === method);
  if (exact !== null || method === 'GET') return exact;
  const served = best(candidates, segments, (b) => methodServes(b.op.method, method));
  if (served !== null || method !== 'OPTIONS') return served;
  // A CORS preflight (Fetch standard, CORS protocol) is implied by the operation it
  // precedes, documented or not.
  return best(candidates, segments, () => true);
}

/**
 * Classifies endpoints (verdicts in the same order) and lists unseen operations.
 * LIMITATION: endpoints templated without this catalog may hold a value the catalog
 * would have made a parameter (`/users/alice` seen once): such a word is not matched
 * to `{username}` here, so report with the catalog the replay was given.
 */
export function classify(
  endpoints: readonly ObservedEndpoint[],
  catalog: Catalog | null,
): { verdicts: Verdict[]; unseen: UnseenOperation[] } {
  const segments = endpoints.map(segmentsOf);
  const binding = bindCatalog(
    catalog,
    endpoints.map((e, i) => ({
      host: e.host,
      method: e.method,
      segments: segments[i]!,
      live: !onlyNotFound(e.statusCodes),
    })),
  );
  const seen = new Map<string, BoundTemplate>();
  const verdicts = endpoints.map((e, i): Verdict => {
    const host = normaliseHost(e.host);
    const candidates = binding.get(host);
    const segs = segments[i]!;
    if (candidates !== undefined) {
      const hit = operationFor(candidates, e.method, segs);
      if (hit !== null) {
        seen.set(hit.index + '\0' + host, hit);
        const status = hit.op.deprecated ? 'zombie' : 'documented';
        return { status, operation: hit.op, path: hit.wire };
      }
    }
    if (onlyNotFound(e.statusCodes)) {
      return { status: 'not-found', operation: null, path: e.template };
    }
    if (candidates === undefined) {
      return { status: 'unknown-host', operation: null, path: e.template };
    }
    // An undocumented method on a documented path reads best in the catalog's names.
    const shape = best(candidates, segs, () => true);
    return { status: 'shadow', operation: null, path: shape?.wire ?? e.template };
  });
  return { verdicts, unseen: unseenOperations(catalog, binding, seen) };
}

/** Catalog operations no endpoint matched, per observed host they apply to. */
function unseenOperations(
  catalog: Catalog | null,
  binding: ReadonlyMap<string, BoundTemplate[]>,
  seen: ReadonlyMap<string, BoundTemplate>,
): UnseenOperation[] {
  if (catalog === null) return [];
  // The base path a spec showed on a host is how its unseen operations would look there.
  const basePathSeen = new Map<string, string>();
  for (const [key, b] of seen) {
    const host = key.slice(key.indexOf('\0') + 1);
    const k = b.op.specFile + '\0' + host;
    if (!basePathSeen.has(k)) basePathSeen.set(k, b.basePath);
  }
  // Two specs may describe the same operation (a full spec beside a partial copy):
  // when one of them was seen, the other's twin was seen too.
  const sameOp = (host: string, method: string, path: string): string =>
    `${host}\0${method}\0${path.replace(/\{[^}]*\}/g, '{}')}`;
  const seenOps = new Set<string>();
  for (const [key, b] of seen) {
    seenOps.add(sameOp(key.slice(key.indexOf('\0') + 1), b.op.method, b.wire));
  }
  const hostsOf = new Map<number, string[]>();
  for (const [host, list] of [...binding].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const b of list) {
      const hosts = hostsOf.get(b.index) ?? [];
      if (!hosts.includes(host)) hosts.push(host);
      hostsOf.set(b.index, hosts);
    }
  }
  const out: UnseenOperation[] = [];
  catalog.operations.forEach((op, index) => {
    const hosts = hostsOf.get(index) ?? [];
    const base = (host: string | null): string => {
      const shown = host === null ? undefined : basePathSeen.get(op.specFile + '\0' + host);
      const b = shown ?? op.basePaths[0] ?? '';
      const t = op.template.startsWith('/') ? op.template : '/' + op.template;
      return b === '' ? t : t === '/' ? b : b + t;
    };
    const entry = (host: string | null): UnseenOperation => ({
      host,
      method: op.method,
      path: base(host),
      operationId: op.operationId,
      specFile: op.specFile,
    });
    if (hosts.length === 0) out.push(entry(null));
    for (const host of hosts) {
      if (seen.has(index + '\0' + host)) continue;
      if (seenOps.has(sameOp(host, op.method, base(host)))) continue;
      out.push(entry(host));
    }
  });
  return out;
}
