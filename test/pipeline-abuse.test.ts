// Abuse detection wired through the replay pipeline (src/pipeline/abuse-*.ts) on
// captures nobody on this team made (../shared/corpus/traffic): who the client is,
// read from raw credentials inside the flow worker and tokenised there; the fast
// id-enumerating scraper (c7) alerted where it enumerates; ordinary clients quiet;
// and the same alerts for any worker count.
import { templatePaths } from '../src/infer/endpoints.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { principalOf } from '../src/abuse/identity.js';
import { parseTrustedProxies } from '../src/abuse/identity.js';
import { loadCatalog } from '../src/catalog/load.js';
import type { Catalog } from '../src/catalog/types.js';
import { DEFAULT_LIMITS, limitsWith } from '../src/config/limits.js';
import { Ingest } from '../src/pipeline/ingest.js';
import type { ExchangeSummary } from '../src/pipeline/messages.js';
import { replay, type ReplaySummary } from '../src/pipeline/replay.js';
import {
  paramKinds, shapeKey, toClientEvents, type AbuseRecord,
} from '../src/pipeline/abuse-records.js';
import { pathTemplates, shadowShapes } from '../src/pipeline/abuse-paths.js';
import type { PathStats } from '../src/infer/inventory.js';
import { emptyEndpointSchema } from '../src/infer/schema.js';
import { tempDir } from './helpers/cli.js';
import { Tokenizer } from '../src/privacy/tokenize.js';
import { openCapture } from '../src/source/open.js';
import { Store } from '../src/store/db.js';
import { CORPUS } from './source-helpers.js';
import { assertCorpusAlerts } from './helpers/abuse-corpus.js';

const SECRET = randomBytes(32);
const TRAFFIC = join(CORPUS, 'traffic');
const CAPTURES = ['museum', 'oai-petstore-expanded', 'oai-uber-v2', 'vampi']
  .filter((c) => existsSync(join(TRAFFIC, c, 'capture.pcap')));

interface TruthRequest {
  client: string;
  kind: 'api' | 'shadow' | 'probe';
  src: { ip: string; port: number };
  method: string;
  concretePath: string;
  wireTemplate: string | null;
  auth: { in: string; name: string; value: string } | null;
}

interface Truth {
  clients: Array<{ id: string; ip: string }>;
  requests: TruthRequest[];
}

function truthOf(capture: string): Truth {
  return JSON.parse(readFileSync(join(TRAFFIC, capture, 'truth.json'), 'utf8')) as Truth;
}

async function replayAbuse(capture: string, workers: number, catalog: Catalog | null):
  Promise<ReplaySummary> {
  const store = Store.open(':memory:');
  try {
    return await replay({
      files: [join(TRAFFIC, capture, 'capture.pcap')], catalog, store, workers,
      exchangesPath: null, force: false, limits: limitsWith(), secret: SECRET, command: 'test',
      abuse: { model: null, trustedProxies: parseTrustedProxies([]), timeoutSec: 60 },
    });
  } finally {
    store.close();
  }
}

test('corpus: c7 is alerted where it enumerates ids; ordinary clients only for a probe',
  async (t) => {
    if (CAPTURES.length === 0) {
      t.skip('../shared/corpus/traffic is not here');
      return;
    }
    let enumerating = 0;
    for (const capture of CAPTURES) {
      const truth = truthOf(capture);
      const catalog = await loadCatalog([join(TRAFFIC, capture, 'catalog-partial.json')]);
      const summary = await replayAbuse(capture, 0, catalog);
      const abuse = summary.abuse;
      assert.ok(abuse?.scored, `${capture}: ${abuse?.notScored}`);
      assert.equal(abuse.events, truth.requests.length, `${capture}: every exchange scored`);
      if (assertCorpusAlerts(capture, truth, abuse.alerts)) enumerating++;
    }
    assert.ok(enumerating >= 1, 'no capture where c7 enumerates ids');
  });

test('every worker count gives the same alerts, model and windows', async (t) => {
  if (CAPTURES.length === 0) {
    t.skip('../shared/corpus/traffic is not here');
    return;
  }
  for (const capture of ['oai-petstore-expanded', 'vampi'].filter((c) => CAPTURES.includes(c))) {
    const zero = (await replayAbuse(capture, 0, null)).abuse;
    const two = (await replayAbuse(capture, 2, null)).abuse;
    assert.ok(zero?.scored && two?.scored);
    assert.deepEqual(two.alerts, zero.alerts, capture);
    assert.deepEqual(two.fitted, zero.fitted, capture);
    assert.equal(two.rows, zero.rows);
  }
});

test('principals are read from raw credentials and leave the worker as tokens only', async (t) => {
  if (CAPTURES.length === 0) {
    t.skip('../shared/corpus/traffic is not here');
    return;
  }
  const tokenizer = new Tokenizer(SECRET);
  for (const capture of CAPTURES) {
    const truth = truthOf(capture);
    const got: ExchangeSummary[] = [];
    const ingest = new Ingest({
      limits: DEFAULT_LIMITS, workers: 1, exchangesPath: null, secret: SECRET,
      onRound: (round) => {
        got.push(...round);
      },
    });
    const source = await openCapture(join(TRAFFIC, capture, 'capture.pcap'), DEFAULT_LIMITS);
    for await (const batch of source.batches()) await ingest.push(batch);
    await ingest.finish();
    // Per (client ip:port, method, path): the principals the pipeline gave, and the ones
    // principalOf gives for the credential truth.json says was sent, under the same key.
    const key = (ip: string, port: number, method: string, path: string) =>
      `${ip}:${port} ${method} ${path}`;
    const seen = new Map<string, Array<string | null>>();
    for (const ex of got) {
      const k = key(ex.clientIp, ex.clientPort, ex.method, ex.path);
      seen.set(k, [...(seen.get(k) ?? []), ex.principal]);
    }
    let credentialed = 0;
    for (const r of truth.requests) {
      const headers: Array<[string, string]> =
        r.auth?.in === 'header' ? [[r.auth.name.toLowerCase(), r.auth.value]] : [];
      const want = principalOf(headers, (v) => tokenizer.tokenize(v));
      if (want !== null) credentialed++;
      const k = key(r.src.ip, r.src.port, r.method, r.concretePath);
      const list = seen.get(k) ?? [];
      const at = list.indexOf(want);
      assert.ok(at >= 0, `${capture}: ${k}: expected principal ${want}, got ${list}`);
      list.splice(at, 1);
    }
    assert.ok(credentialed > 0, `${capture}: no credentialed request`);
    const text = JSON.stringify(got.map((ex) => [ex.principal, ex.userAgent, ex.forwardedFor]));
    for (const r of truth.requests) {
      const secretPart = r.auth?.value.split(' ').pop();
      if (secretPart) assert.ok(!text.includes(secretPart), `${capture}: raw credential left`);
    }
    const tokenShape = /^[a-z]+:tk_[\w-]{22}$/;
    assert.ok(got.every((ex) => ex.principal === null || tokenShape.test(ex.principal)));
  }
});

function record(over: Partial<AbuseRecord>): AbuseRecord {
  return {
    ts: 100, packet: 1, seq: 0, clientAddress: '10.0.0.1', principal: null, host: 'api.test',
    method: 'GET', path: '/users/42/orders/7', status: 200, responseBytes: 10, userAgent: 'ua',
    probes: [], login: null, ...over,
  };
}

test('records become events: parameters by position, shadow, paths folded past the cap', () => {
  const templates = new Map([
    ['api.test\0GET\0/users/42/orders/7', {
      template: '/users/{userId}/orders/{orderId}',
      params: [{ name: 'userId', position: 1, kind: 'integer' as const },
        { name: 'orderId', position: 3, kind: 'integer' as const }],
    }],
    ['api.test\0GET\0/{overflow}', { template: '/{overflow}', params: [] }],
    ['api.test\0POST\0/admin', { template: '/admin', params: [] }],
  ]);
  const shadow = new Set([shapeKey('api.test', 'POST', '/admin', [])]);
  const { events, skipped } = toClientEvents([
    record({ ts: 102, seq: 3, method: 'POST', path: '/admin' }),
    record({ ts: 101, seq: 2, packet: 9 }),
    record({ ts: 101, seq: 1, packet: 5, path: '/never/templated' }), // folded, fits nothing
    record({ ts: 103, seq: 4, path: '/users/43/orders/9/' }), // folded, fits its siblings
    record({ ts: 100, seq: 0, host: 'other.test' }), // no template at all
  ], { templates, shadow });
  assert.equal(skipped, 1);
  assert.deepEqual(events.map((e) => [e.ts, e.template, e.shadow]), [
    [101, '/{overflow}', false],
    [101, '/users/{userId}/orders/{orderId}', false],
    [102, '/admin', true],
    [103, '/users/{userId}/orders/{orderId}', false],
  ]);
  assert.deepEqual(events[1]!.params, { userId: '42', orderId: '7' });
  assert.deepEqual(events[3]!.params, { userId: '43', orderId: '9' });
  assert.deepEqual(events[0]!.params, {});
  assert.equal(events[1]!.example, 'GET /users/{userId}/orders/{orderId}');
});

function pathStats(method: string, path: string, status: number): PathStats {
  return {
    host: 'shop.test', method, path, requests: 1, statusCodes: { [String(status)]: 1 },
    firstSeen: 1, lastSeen: 1, auth: [], requestTypes: [], responseTypes: [], queryNames: [],
    gapBytes: 0,
    detail: { schema: emptyEndpointSchema(), pii: {} },
  };
}

test('shadow is judged per request shape: a probe in an integer id is not the endpoint',
  async () => {
  const spec = join(tempDir(), 'shop.json');
  writeFileSync(spec, JSON.stringify({
    openapi: '3.0.3', info: { title: 'shop', version: '1' },
    servers: [{ url: 'http://shop.test' }],
    paths: { '/products/{id}': { get: {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: { 200: { description: 'ok' } },
    } } },
  }));
  const catalog = await loadCatalog([spec]);
  const paths = [
    ...Array.from({ length: 30 }, (_, i) => pathStats('GET', `/products/${i + 1}`, 200)),
    pathStats('GET', `/products/1%27%20OR%201%3D1--`, 500),
    pathStats('GET', '/internal/health', 200),
  ];
  const templates = pathTemplates(paths, templatePaths(paths, { catalog, known: [] }));
  assert.ok(templates.every(([, t]) => t !== '/products/1'), 'ids are templated');
  const shadow = new Set(shadowShapes(paths, templates, catalog));
  const shadowPaths = paths.filter((p, i) => {
    const [, template, params] = templates[i]!;
    return shadow.has(shapeKey(p.host, p.method, template, paramKinds(p.path, params)));
  }).map((p) => p.path);
  assert.deepEqual(shadowPaths.sort(), ['/internal/health', '/products/1%27%20OR%201%3D1--']);
  assert.deepEqual(shadowShapes(paths, templates, null), []);
});
