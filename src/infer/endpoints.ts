/**
 * Turns per-path statistics into endpoints: every concrete path is templated
 * against its siblings (and the catalog and earlier runs), then the statistics of
 * paths that share a template are merged.
 */
import type { Limits } from '../config/limits.js';
import type { Catalog } from '../catalog/types.js';
import { canonical, mergeStats, type PathStats } from './inventory.js';
import { relocatePathFindings } from './pii-aggregate.js';
import {
  inferTemplates, sampleKey, type ParamShape, type TemplateHints, type TemplateResult,
} from './template.js';

/** An endpoint of one run, before it is merged into the database. */
export interface RunEndpoint extends Omit<PathStats, 'path'> {
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
  for (const p of paths) {
    const t = templates.get(sampleKey(p.host, p.method, p.path));
    const template = t?.template ?? p.path;
    const key = p.host + '\0' + p.method + '\0' + template;
    const have = merged.get(key);
    if (have === undefined) {
      const { path: _path, ...rest } = p;
      merged.set(key, {
        ...rest,
        statusCodes: { ...p.statusCodes },
        auth: [...p.auth],
        requestTypes: [...p.requestTypes],
        responseTypes: [...p.responseTypes],
        queryNames: [...p.queryNames],
        schema: p.schema,
        pii: relocatePathFindings(p.pii, t?.params ?? []),
        template,
        params: t?.params ?? [],
      });
    } else {
      mergeStats(have, { ...p, pii: relocatePathFindings(p.pii, have.params) }, limits);
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
