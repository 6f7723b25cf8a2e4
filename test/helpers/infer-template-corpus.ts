// The shared traffic corpus (../shared/corpus/traffic/*/truth.json) as templating and
// catalog tests read it: requests folded into path samples, expected endpoint sets.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PathSample, TemplateResult } from '../../src/infer/template.js';
import type { ObservedEndpoint } from '../../src/catalog/verdict.js';
import { CORPUS } from '../source-helpers.js';

/** The corpus root: $SHADOWTAP_CORPUS, else ../shared/corpus (see source-helpers.ts). */
export { CORPUS };
export const TRAFFIC = join(CORPUS, 'traffic');

export interface TruthRequest {
  host: string;
  method: string;
  concretePath: string;
  wireTemplate: string | null;
  status: number;
  kind: 'api' | 'shadow' | 'probe';
}

export interface Capture {
  name: string;
  dir: string;
  requests: TruthRequest[];
}

/** Every capture folder with a truth.json; [] when the corpus is not there. */
export function captures(): Capture[] {
  if (!existsSync(TRAFFIC)) return [];
  return readdirSync(TRAFFIC, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(TRAFFIC, d.name, 'truth.json')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = join(TRAFFIC, name);
      const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
        requests: TruthRequest[];
      };
      return { name, dir, requests: truth.requests };
    });
}

/** Requests folded into one sample per (host, method, path), statuses counted. */
export function samplesOf(requests: readonly TruthRequest[]): PathSample[] {
  const byKey = new Map<string, PathSample>();
  for (const r of requests) {
    const key = `${r.host} ${r.method} ${r.concretePath}`;
    let s = byKey.get(key);
    if (s === undefined) {
      s = { host: r.host, method: r.method, path: r.concretePath, count: 0, statuses: {} };
      byKey.set(key, s);
    }
    s.count++;
    s.statuses[String(r.status)] = (s.statuses[String(r.status)] ?? 0) + 1;
  }
  return [...byKey.values()];
}

/** Samples merged per (host, method, template), as the inventory would store them. */
export function endpointsOf(
  samples: readonly PathSample[],
  templates: ReadonlyMap<string, TemplateResult>,
): ObservedEndpoint[] {
  const byKey = new Map<string, ObservedEndpoint>();
  for (const s of samples) {
    const t = templates.get(s.host + '\0' + s.method + '\0' + s.path);
    if (t === undefined) throw new Error(`no template for ${s.method} ${s.path}`);
    const key = `${s.host} ${s.method} ${t.template}`;
    let e = byKey.get(key);
    if (e === undefined) {
      e = { host: s.host, method: s.method, template: t.template, params: t.params,
        statusCodes: {} };
      byKey.set(key, e);
    }
    for (const [code, n] of Object.entries(s.statuses)) {
      e.statusCodes[code] = (e.statusCodes[code] ?? 0) + n;
    }
  }
  return [...byKey.values()];
}

/** `/users/{userId}` → `/users/{}`: templates compared up to parameter names. */
export function unnamed(template: string): string {
  return template.replace(/\{[^{}]*\}/g, '{}');
}

/** True when every answer was 404. */
export function only404(statuses: Record<string, number>): boolean {
  return Object.keys(statuses).length > 0 && Object.keys(statuses).every((c) => c === '404');
}
