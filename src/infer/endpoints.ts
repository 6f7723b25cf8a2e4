/**
 * Turns per-path statistics into endpoints: every concrete path is templated
 * against its siblings (and the catalog and earlier runs), then the statistics of
 * paths that share a template are merged.
 */
import type { Limits } from '../config/limits.js';
import type { Catalog } from '../catalog/types.js';
import {
  canonical, mergeCounts, mergeDetail, type EndpointStats, type PathDetail, type PathStats,
} from './inventory.js';
import { relocatePathFindings } from './pii-aggregate.js';
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

/** Templates every path against its siblings, the catalog and earlier runs' templates. */
export function templatePaths(
  paths: readonly PathStats[],
  hints: { catalog: Catalog | null; known: TemplateHints['known'] },
): PathTemplates {
  const samples = paths.map((p) => ({
    host: p.host,
    method: p.method,
    path: p.path,
    count: p.requests,
    statuses: p.statusCodes,
  }));
  return inferTemplates(samples, { catalog: hints.catalog, known: hints.known });
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
        statusCodes: { ...p.statusCodes },
        firstSeen: p.firstSeen,
        lastSeen: p.lastSeen,
        auth: [...p.auth],
        requestTypes: [...p.requestTypes],
        responseTypes: [...p.responseTypes],
        queryNames: [...p.queryNames],
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
