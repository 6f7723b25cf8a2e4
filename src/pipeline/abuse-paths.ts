/**
 * What the abuse worker needs from the end of a replay: the template of every
 * concrete path and which endpoints lie outside the catalog. Both are made on the
 * main thread, after the packet pipeline, from the same inputs as the inventory.
 */
import { classify, type ObservedEndpoint } from '../catalog/verdict.js';
import type { Catalog } from '../catalog/types.js';
import type { PathStats } from '../infer/inventory.js';
import { statusRecord } from '../infer/status-record.js';
import type { PathTemplates } from '../infer/endpoints.js';
import { sampleKey, type ParamShape } from '../infer/template.js';
import { paramKinds, pathKey, shapeKey } from './abuse-records.js';

/** Templates by pathKey and shadow request shapes by shapeKey, as lists the worker can take. */
export interface AbuseTemplates {
  templates: Array<[string, string, ParamShape[]]>;
  shadow: string[];
}

/** The template of each path, as a list the worker can take, in `paths` order. */
export function pathTemplates(
  paths: readonly PathStats[],
  found: PathTemplates,
): AbuseTemplates['templates'] {
  return paths.map((p) => {
    const t = found.get(sampleKey(p.host, p.method, p.path));
    return [pathKey(p.host, p.method, p.path), t?.template ?? p.path, t?.params ?? []];
  });
}

/**
 * Request shapes a catalog does not describe: per endpoint and kinds of parameter
 * values (see shapeKey), the `shadow` verdicts and hosts no catalog covers
 * (`unknown-host`). `templates` is pathTemplates(paths), in the same order. Without
 * a catalog nothing is known about what is documented, so nothing counts as shadow
 * (every request would, and the feature would say nothing).
 */
export function shadowShapes(
  paths: readonly PathStats[],
  templates: AbuseTemplates['templates'],
  catalog: Catalog | null,
): string[] {
  if (catalog === null) return [];
  const shapes = new Map<string, ObservedEndpoint>();
  paths.forEach((p, i) => {
    const [, template, params] = templates[i]!;
    const kinds = paramKinds(p.path, params);
    const key = shapeKey(p.host, p.method, template, kinds);
    const have = shapes.get(key);
    if (have !== undefined) {
      for (const [code, n] of Object.entries(p.statusCodes)) {
        have.statusCodes[code] = (have.statusCodes[code] ?? 0) + n;
      }
      return;
    }
    shapes.set(key, {
      host: p.host, method: p.method, template, statusCodes: statusRecord(p.statusCodes),
      params: params.map((q, k) => ({ ...q, kind: kinds[k]! })),
    });
  });
  const keys = [...shapes.keys()];
  const { verdicts } = classify([...shapes.values()], catalog);
  return keys.filter((_, i) => {
    const status = verdicts[i]!.status;
    return status === 'shadow' || status === 'unknown-host';
  });
}
