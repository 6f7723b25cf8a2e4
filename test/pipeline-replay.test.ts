// The whole pipeline on captures nobody on this team made: every variant of every
// spec-driven capture in ../shared/corpus/traffic, and the small bug-report cases.
// Inventory vs truth.json, verdicts vs expected-shadow.json, through real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadCatalog } from '../src/catalog/load.js';
import { limitsWith } from '../src/config/limits.js';
import { replay, type ReplaySummary } from '../src/pipeline/replay.js';
import { buildReport, type Report } from '../src/report/model.js';
import { Store } from '../src/store/db.js';
import type { Catalog } from '../src/catalog/types.js';
import { tempDir } from './helpers/cli.js';
import { CORPUS } from './source-helpers.js';

const SECRET = randomBytes(32);
const TRAFFIC = join(CORPUS, 'traffic');
const CASES = join(CORPUS, 'cases');
const VARIANTS = ['capture.pcap', 'capture.pcapng', 'capture.nsec.pcap', 'capture.mss.pcap',
  'capture.vxlan.pcap'];

/** Parameter names aside: `/users/{userId}` and `/users/{id}` are the same template. */
const shape = (method: string, path: string) => `${method} ${path.replace(/\{[^}]*\}/g, '{}')}`;

async function run(files: string[], catalog: Catalog | null, workers = 0): Promise<{
  summary: ReplaySummary;
  report: Report;
}> {
  const store = Store.open(join(tempDir(), 'st.db'));
  try {
    const summary = await replay({
      files, catalog, store, workers, exchangesPath: null, force: false, limits: limitsWith(),
      secret: SECRET, command: 'test',
    });
    const report = buildReport(store.endpoints(), catalog, store.latestRun(), 0);
    return { summary, report };
  } finally {
    store.close();
  }
}

interface TruthEndpoint {
  method: string;
  wireTemplate: string;
  host: string;
  statuses: Record<string, number>;
}

const folders = existsSync(TRAFFIC)
  ? readdirSync(TRAFFIC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
  : [];

test('corpus traffic is present', (t) => {
  if (folders.length === 0) t.skip('../shared/corpus/traffic not found: corpus tests cannot run');
});

for (const name of folders) {
  const dir = join(TRAFFIC, name);
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
    endpoints: TruthEndpoint[];
    requests: unknown[];
  };
  // Endpoints that only ever answered 404 are scanner noise, compared apart.
  const onlyNotFound = (e: TruthEndpoint) => Object.keys(e.statuses).every((s) => s === '404');
  const want = new Set(truth.endpoints.filter((e) => !onlyNotFound(e))
    .map((e) => `${e.host} ${shape(e.method, e.wireTemplate)}`));

  for (const variant of VARIANTS) {
    const file = join(dir, variant);
    if (!existsSync(file)) continue;
    test(`${name}/${variant}: the inventory equals truth.json, every request counted`, async () => {
      const { summary, report } = await run([file], null);
      assert.equal(summary.exchanges, truth.requests.length);
      const got = new Set(report.endpoints.filter((e) => e.status !== 'not-found')
        .map((e) => `${e.host} ${shape(e.method, e.path)}`));
      assert.deepEqual([...got].sort(), [...want].sort());
      assert.equal(report.endpoints.reduce((s, e) => s + e.requests, 0), truth.requests.length);
      assert.equal(report.endpoints.reduce((s, e) => s + e.noResponse, 0), 0);
    });
  }

  test(`${name}: against catalog-partial.json, shadow and unknown-host equal expected-shadow.json`,
    async () => {
      const expectedText = readFileSync(join(dir, 'expected-shadow.json'), 'utf8');
      const expected = JSON.parse(expectedText) as Array<{
        method: string; wireTemplate: string; host: string; observed: boolean }>;
      const catalog = await loadCatalog([join(dir, 'catalog-partial.json')]);
      const { report } = await run([join(dir, 'capture.pcap')], catalog, 2);
      const flagged = report.endpoints
        .filter((e) => e.status === 'shadow' || e.status === 'unknown-host')
        .map((e) => `${e.host} ${shape(e.method, e.path)}`).sort();
      const wantShadow = expected.filter((e) => e.observed)
        .map((e) => `${e.host} ${shape(e.method, e.wireTemplate)}`).sort();
      assert.deepEqual(flagged, wantShadow);
    });
}

for (const name of folders) {
  test(`${name}: every planted personal-data field is reported with its kind and location`,
    async () => {
      const dir = join(TRAFFIC, name);
      const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
        requests: Array<{ host: string; method: string; wireTemplate: string | null;
          planted_pii: Array<{ location: string; kind: string }>;
          response_pii: Array<{ location: string; kind: string }> }>;
      };
      const { report } = await run([join(dir, 'capture.pcap')],
        await loadCatalog([join(dir, 'catalog-partial.json')]));
      const found = new Set(report.endpoints.flatMap((e) => e.pii.map((p) =>
        `${e.host} ${shape(e.method, e.path)} ${p.in} ${p.location} ${p.kind}`)));
      // Array indices in truth.json are `/*` in reports; path parameters are compared
      // up to their names like templates.
      const loc = (l: string) => l.replace(/\/\d+(?=\/|$)/g, '/*').replace(/\{[^}]*\}/g, '{}');
      const norm = (f: string) => f.replace(/path:\{[^}]*\}/, 'path:{}');
      const have = new Set([...found].map(norm));
      const missing = new Set<string>();
      for (const r of truth.requests) {
        if (r.wireTemplate === null) continue;
        const ep = `${r.host} ${shape(r.method, r.wireTemplate)}`;
        for (const p of r.planted_pii) {
          const want = norm(`${ep} request ${loc(p.location)} ${p.kind}`);
          if (!have.has(want)) missing.add(want);
        }
        for (const p of r.response_pii) {
          const want = norm(`${ep} response ${loc(p.location)} ${p.kind}`);
          if (!have.has(want)) missing.add(want);
        }
      }
      assert.deepEqual([...missing], []);
    });
}

test('a capture merged with itself (every packet twice) gives exactly its exchanges', async (t) => {
  const file = join(TRAFFIC, 'oai-petstore-expanded', 'capture.pcap');
  if (!existsSync(file)) return t.skip('corpus capture missing');
  if (spawnSync('mergecap', ['-v']).status !== 0) {
    return t.skip('mergecap (wireshark) not installed');
  }
  const doubled = join(tempDir(), 'doubled.pcap');
  const res = spawnSync('mergecap', ['-F', 'pcap', '-w', doubled, file, file]);
  assert.equal(res.status, 0, String(res.stderr));
  const one = await run([file], null);
  const two = await run([doubled], null);
  assert.equal(two.summary.packets, 2 * one.summary.packets);
  assert.equal(two.summary.exchanges, one.summary.exchanges);
  assert.deepEqual(two.report.endpoints, one.report.endpoints);
});

const cases = existsSync(CASES)
  ? readdirSync(CASES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
  : [];

for (const name of cases) {
  const dir = join(CASES, name);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
    inputs: { capture: string; catalog: string[] };
    templates?: Array<{ method: string; path: string }>;
    shadow?: Array<{ host: string; method: string; path: string }>;
    notShadow?: Array<{ host: string; method: string; path: string }>;
    unknownHost?: Array<{ host: string; method: string; path: string }>;
    pii?: Array<{ endpoint: string; in: string; location: string; kind: string }>;
    notPii?: Array<{ location: string }>;
    why: string;
  };
  if (!expected.templates && !expected.shadow && !expected.notShadow && !expected.unknownHost &&
    !expected.pii) {
    continue; // exchange-level cases are checked against tshark in http-tshark.test.ts
  }
  test(`case ${name}: ${expected.why}`, async () => {
    const catalog = expected.inputs.catalog.length > 0
      ? await loadCatalog(expected.inputs.catalog.map((c) => join(dir, c)))
      : null;
    const { report } = await run([join(dir, expected.inputs.capture)], catalog);
    const verdict = (e: { host: string; method: string; path: string }) =>
      report.endpoints.find((r) =>
        r.host === e.host && shape(r.method, r.path) === shape(e.method, e.path))
        ?.status;
    for (const e of expected.shadow ?? []) {
      assert.equal(verdict(e), 'shadow', `${e.method} ${e.path}`);
    }
    for (const e of expected.unknownHost ?? []) {
      assert.equal(verdict(e), 'unknown-host', `${e.method} ${e.path}`);
    }
    for (const e of expected.notShadow ?? []) {
      const v = verdict(e);
      assert.ok(v !== undefined && v !== 'shadow' && v !== 'unknown-host',
        `${e.method} ${e.path}: ${v}`);
    }
    const found = report.endpoints.flatMap((e) =>
      e.pii.map((p) => ({ endpoint: shape(e.method, e.path), in: p.in, location: p.location,
        kind: p.kind })));
    for (const p of expected.pii ?? []) {
      const [method, path] = p.endpoint.split(' ');
      assert.ok(
        found.some((f) => f.endpoint === shape(method!, path!) && f.in === p.in &&
          f.location === p.location && f.kind === p.kind),
        `${p.kind} at ${p.in} ${p.location}: found ${JSON.stringify(found)}`,
      );
    }
    for (const n of expected.notPii ?? []) {
      assert.ok(!found.some((f) => f.location === n.location), `${n.location} is not PII`);
    }
    if (expected.templates) {
      assert.deepEqual(
        report.endpoints.map((e) => shape(e.method, e.path)).sort(),
        expected.templates.map((e) => shape(e.method, e.path)).sort(),
      );
    }
  });
}

test('regression: with a full spec beside its partial copy, seen operations are not unseen',
  async (t) => {
    const dir = join(TRAFFIC, 'museum');
    if (!existsSync(dir)) return t.skip('corpus capture missing: traffic/museum');
    // The folder holds spec.yaml and catalog-partial.json: both describe the host.
    const catalog = await loadCatalog([dir]);
    const { report } = await run([join(dir, 'capture.pcap')], catalog);
    assert.deepEqual(report.unseen, []);
    assert.equal(report.endpoints.filter((e) => e.status === 'shadow').length, 0);
  });
