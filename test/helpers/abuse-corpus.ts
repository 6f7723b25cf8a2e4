// The criterion on the shared traffic corpus, one copy for the tests that
// check it (in-process on truth.json, and through a replay of the capture): the
// id-enumerating scraper c7 is alerted where it enumerates, and an ordinary client
// gets at most one alert, only where it sent a scanner probe.
import assert from 'node:assert/strict';

/** What the criterion reads of a capture's truth.json. */
export interface CorpusTruth {
  clients: ReadonlyArray<{ id: string; ip: string }>;
  requests: ReadonlyArray<{
    client: string; kind: string; concretePath: string; wireTemplate: string | null;
  }>;
}

/** Values of the {params} of a template in a concrete path, or {} when it does not match. */
export function paramsOf(template: string, path: string): Record<string, string> {
  const names: string[] = [];
  const pattern = template.split(/(\{[^}]+\})/).map((part) => {
    if (part.startsWith('{')) {
      names.push(part.slice(1, -1));
      return '([^/]+)';
    }
    return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  }).join('');
  const m = new RegExp(`^${pattern}$`).exec(path);
  return m === null ? {} : Object.fromEntries(names.map((n, i) => [n, m[i + 1] as string]));
}

/** True when the client asked one templated endpoint for 8+ distinct integer ids. */
export function enumerates(truth: CorpusTruth, client: string): boolean {
  const ids = new Map<string, Set<string>>();
  for (const r of truth.requests) {
    if (r.client !== client || r.wireTemplate === null) continue;
    for (const v of Object.values(paramsOf(r.wireTemplate, r.concretePath))) {
      if (!/^\d+$/.test(v)) continue;
      const set = ids.get(r.wireTemplate) ?? new Set();
      set.add(v);
      ids.set(r.wireTemplate, set);
    }
  }
  return [...ids.values()].some((s) => s.size >= 8);
}

/**
 * Asserts the criterion for one capture's alerts; true when c7 enumerates ids in it
 * (so a test can check that at least one capture exercised that part).
 */
export function assertCorpusAlerts(
  capture: string,
  truth: CorpusTruth,
  alerts: ReadonlyArray<{ clientAddress: string; detector: string }>,
): boolean {
  let c7Enumerates = false;
  for (const c of truth.clients) {
    const mine = alerts.filter((a) => a.clientAddress === c.ip);
    if (c.id === 'c7' && enumerates(truth, 'c7')) {
      c7Enumerates = true;
      assert.ok(mine.some((a) => a.detector === 'enumeration'), `${capture}: c7 not alerted`);
      continue;
    }
    const probed = truth.requests.some((r) => r.client === c.id && r.kind === 'probe');
    assert.ok(mine.length <= (probed ? 1 : 0),
      `${capture}: ${c.id} has ${mine.length} alerts: ${JSON.stringify(mine)}`);
  }
  return c7Enumerates;
}
