/**
 * Turns per-path statistics into endpoints: every concrete path is templated
 * against its siblings (and the catalog and earlier runs), then the statistics of
 * paths that share a template are merged.
 */
import type { Limits } from '../config/limits.js';
import type { Catalog } from '../catalog/types.js';
import {
  canonical, mergeCounts, mergeDetail, OVERFLOW_PATH, type EndpointStats,
  type PathDetail, type PathStats,
} from './inventory.js';
import { relocatePathFindings } from './pii-aggregate.js';
import { statusRecord } from './status-record.js';
import {
  inferTemplates, sampleKey, type ParamShape, type TemplateHints, type TemplateResult,
} from './template.js';

/** An endpoint of one run, before it is merged into the database. */
export interface RunEndpoint extends EndpointStats {
  host: string;
  method: string;
  template: string;
  params: ParamShape[];
}

/** The template of every path, by sampleKey(host, method, path). */
export type PathTemplates = Map<string, TemplateResult>;

/** True for a row the inventory folded past its path cap (see PathInventory). */
export function isFolded(path: string): boolean {
  return path.includes('{}') || path === OVERFLOW_PATH;
}

/**
 * The template of a folded shape (`/users/{}/orders`): the most literal template of
 * its host and method that has a parameter wherever the shape has `{}` and the same
 * words elsewhere; else the shape itself with its `{}` named.
 */
function foldedTemplate(p: PathStats, templates: PathTemplates): TemplateResult {
  const segs = p.path.split('/');
  let best: TemplateResult | null = null;
  let bestLiterals = -1;
  const seen = new Set<string>();
  for (const [key, t] of templates) {
    if (!key.startsWith(p.host + '\0' + p.method + '\0') || seen.has(t.template)) continue;
    seen.add(t.template);
    const ts = t.template.split('/');
    if (ts.length !== segs.length) continue;
    const isParam = new Set(t.params.map((q) => q.position + 1));
    let ok = true;
    let literals = 0;
    for (let i = 1; i < ts.length && ok; i++) {
      if (isParam.has(i)) continue;
      if (segs[i] === '{}' || segs[i] !== ts[i]) ok = false;
      else literals++;
    }
    if (ok && literals > bestLiterals) {
      best = t;
      bestLiterals = literals;
    }
  }
  if (best !== null) return best;
  const params: ParamShape[] = [];
  const named = segs.map((s, i) => {
    if (s !== '{}') return s;
    const name = params.length === 0 ? 'id' : `id${params.length + 1}`;
    params.push({ name, position: i - 1, kind: 'string' });
    return `{${name}}`;
  });
  return { template: named.join('/'), params };
}

/** Templates every path against its siblings, the catalog and earlier runs' templates. */
export function templatePaths(
  paths: readonly PathStats[],
  hints: { catalog: Catalog | null; known: TemplateHints['known'] },
): PathTemplates {
  const kept = paths.filter((p) => !isFolded(p.path));
  const samples = kept.map((p) => ({
    host: p.host,
    method: p.method,
    path: p.path,
    count: p.requests,
    statuses: p.statusCodes,
  }));
  const templates = inferTemplates(samples, { catalog: hints.catalog, known: hints.known });
  for (const p of paths) {
    if (p.path !== OVERFLOW_PATH && isFolded(p.path)) {
      templates.set(sampleKey(p.host, p.method, p.path), foldedTemplate(p, templates));
    }
  }
  return templates;
}

/** Merges the paths per (host, method, template), sorted. */
export function buildEndpoints(
  paths: readonly PathStats[],
  templates: PathTemplates,
  limits: Limits,
): RunEndpoint[] {
  const merged = new Map<string, RunEndpoint>();
  // Paths of one shape share a detail: merge each detail once per endpoint.
  const mergedDetails = new Map<string, Set<PathDetail>>();
  for (const p of paths) {
    const t = templates.get(sampleKey(p.host, p.method, p.path));
    const template = t?.template ?? p.path;
    const key = p.host + '\0' + p.method + '\0' + template;
    const have = merged.get(key);
    if (have === undefined) {
      const params = t?.params ?? [];
      const e: RunEndpoint = {
        host: p.host,
        method: p.method,
        requests: p.requests,
        statusCodes: statusRecord(p.statusCodes),
        firstSeen: p.firstSeen,
        lastSeen: p.lastSeen,
        auth: [...p.auth],
        requestTypes: [...p.requestTypes],
        responseTypes: [...p.responseTypes],
        queryNames: [...p.queryNames],
        gapBytes: p.gapBytes,
        schema: p.detail.schema,
        pii: relocatePathFindings(p.detail.pii, params),
        template,
        params,
      };
      if (p.detail.activity !== undefined) e.activity = p.detail.activity;
      merged.set(key, e);
      mergedDetails.set(key, new Set([p.detail]));
      continue;
    }
    mergeCounts(have, p, limits);
    const done = mergedDetails.get(key)!;
    if (!done.has(p.detail)) {
      // LIMITATION: a shape whose paths fall under two templates adds its detail to both.
      done.add(p.detail);
      mergeDetail(have, { ...p.detail, pii: relocatePathFindings(p.detail.pii, have.params) },
        limits);
    }
  }
  const out = [...merged.values()].map(canonical);
  out.sort((a, b) =>
    a.host !== b.host ? (a.host < b.host ? -1 : 1)
    : a.template !== b.template ? (a.template < b.template ? -1 : 1)
    : a.method < b.method ? -1 : a.method > b.method ? 1 : 0,
  );
  return out;
}
