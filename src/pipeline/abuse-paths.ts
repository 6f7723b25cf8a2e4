/**
 * What the abuse worker needs from the end of a replay: the template of every
 * concrete path and which endpoints lie outside the catalog. Both are made on the
 * main thread, after the packet pipeline, from the same inputs as the inventory.
 */
import { classify } from '../catalog/verdict.js';
import type { Catalog } from '../catalog/types.js';
import type { RunEndpoint } from '../infer/endpoints.js';
import type { PathStats } from '../infer/inventory.js';
import {
  inferTemplates, sampleKey, type KnownTemplate, type ParamShape,
} from '../infer/template.js';
import { endpointKey, pathKey } from './abuse-records.js';

/** Templates by pathKey and shadow endpoints by endpointKey, as lists the worker can take. */
export interface AbuseTemplates {
  templates: Array<[string, string, ParamShape[]]>;
  shadow: string[];
}

/**
 * The template of each path. This asks inferTemplates exactly what buildEndpoints
 * asked (same samples, same hints), and templating depends on nothing else, so the
 * answer is the one the inventory got.
 * LIMITATION: paths are templated twice per replay (here and in buildEndpoints),
 * since buildEndpoints does not hand its map out; templating is a small share of
 * a replay's time.
 */
export function pathTemplates(
  paths: readonly PathStats[],
  hints: { catalog: Catalog | null; known: KnownTemplate[] },
): AbuseTemplates['templates'] {
  const samples = paths.map((p) => ({
    host: p.host,
    method: p.method,
    path: p.path,
    count: p.requests,
    statuses: p.statusCodes,
  }));
  const found = inferTemplates(samples, { catalog: hints.catalog, known: hints.known });
  return paths.map((p) => {
    const t = found.get(sampleKey(p.host, p.method, p.path));
    return [pathKey(p.host, p.method, p.path), t?.template ?? p.path, t?.params ?? []];
  });
}

/**
 * Endpoints a catalog does not describe: `shadow` verdicts and hosts no catalog
 * covers (`unknown-host`). Without a catalog nothing is known about what is
 * documented, so nothing counts as shadow (every request would, and the feature
 * would say nothing).
 */
export function shadowEndpoints(
  endpoints: readonly RunEndpoint[],
  catalog: Catalog | null,
): string[] {
  if (catalog === null) return [];
  const { verdicts } = classify(endpoints, catalog);
  const out: string[] = [];
  verdicts.forEach((v, i) => {
    const e = endpoints[i]!;
    if (v.status === 'shadow' || v.status === 'unknown-host') {
      out.push(endpointKey(e.host, e.method, e.template));
    }
  });
  return out;
}
