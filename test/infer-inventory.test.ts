// The path inventory: per-path counts, and detail (schema, PII, activity) shared by
// paths of one shape so memory does not grow with every id a client sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import { buildEndpoints, templatePaths } from '../src/infer/endpoints.js';
import { PathInventory, shapeOf } from '../src/infer/inventory.js';
import { emptyEndpointSchema } from '../src/infer/schema.js';
import type { ExchangeSummary } from '../src/pipeline/messages.js';
import type { ShapeDetail } from '../src/pipeline/analyse.js';

function exchange(path: string, ts: number): ExchangeSummary {
  return {
    packet: 1, ts, endTs: ts, tunnel: '', clientIp: '10.0.0.1', clientPort: 40000,
    serverIp: '10.0.0.2', serverPort: 80, method: 'GET', uri: path, path,
    host: 'api.example.test', status: 200, auth: [], requestType: '', responseType: '',
    queryNames: [], principal: null, userAgent: '', forwardedFor: '',
    probes: [], responseBytes: 0, gapBytes: 0,
  };
}

/** What a worker sends for `n` exchanges of one shape (see RoundAnalysis). */
function detail(shape: string, n: number): ShapeDetail {
  const schema = emptyEndpointSchema();
  schema.n = n;
  return { host: 'api.example.test', method: 'GET', shape, schema, pii: {}, tally: {} };
}

test('shapeOf folds value segments and keeps words', () => {
  assert.equal(shapeOf('/users/42/orders/7'), '/users/{}/orders/{}');
  assert.equal(shapeOf('/items/3f2c9a1e-0b7d-4c1a-9e2f-1234567890ab'), '/items/{}');
  assert.equal(shapeOf('/users/me'), '/users/me');
  assert.equal(shapeOf('/v2/pets/findByStatus'), '/v2/pets/findByStatus');
  assert.equal(shapeOf('/stock/AB-11398/reservations'), '/stock/{}/reservations');
  assert.equal(shapeOf('/certs/x509'), '/certs/x509');
});

test('paths of one shape share their detail, and an endpoint counts it once', () => {
  const limits = limitsWith();
  const inv = new PathInventory(limits, new AnomalyCounter());
  for (let i = 0; i < 50; i++) inv.add(exchange(`/users/${1000 + i}`, 100 + i));
  inv.add(exchange('/users/1000', 200));
  inv.addDetail(detail('/users/{}', 40));
  inv.addDetail(detail('/users/{}', 11));
  const paths = inv.paths();
  assert.equal(paths.length, 50);
  assert.ok(paths.every((p) => p.detail === paths[0]!.detail));
  const [endpoint, ...rest] = buildEndpoints(paths, templatePaths(paths, { catalog: null,
    known: [] }), limits);
  assert.equal(rest.length, 0);
  assert.equal(endpoint!.template, '/users/{userId}');
  assert.equal(endpoint!.requests, 51);
  assert.equal(endpoint!.schema.n, 51); // not 51 per path
});

test('the inventory stops remembering new paths at the global cap', () => {
  const limits = limitsWith({ maxPaths: 10 });
  const anomalies = new AnomalyCounter();
  const inv = new PathInventory(limits, anomalies);
  for (let i = 0; i < 30; i++) inv.add(exchange(`/p${i}/x`, i));
  assert.ok(inv.size <= 11, `${inv.size} paths kept`);
  assert.equal(anomalies.counts['path-limit'], 20);
  assert.equal(inv.paths().reduce((n, p) => n + p.requests, 0), 30);
  // Details of shapes no row holds fold into the overflow row's once the cap is reached.
  for (let i = 0; i < 30; i++) inv.addDetail(detail(`/p${i}/x`, 1));
  const overflow = inv.paths().find((p) => p.path === '/{overflow}');
  assert.equal(overflow?.detail.schema.n, 20);
  assert.equal(inv.paths().reduce((n, p) => n + (p.path === '/{overflow}' ? 0 : p.detail.schema.n),
    0), 10);
});

test('regression: paths past the cap fold by shape into their siblings\' template', () => {
  const limits = limitsWith({ maxPathsPerHostMethod: 20 });
  const inv = new PathInventory(limits, new AnomalyCounter());
  for (let i = 0; i < 200; i++) inv.add(exchange(`/api/users/${5000 + i}/orders`, i));
  const paths = inv.paths();
  assert.equal(paths.length, 21); // 20 kept, one folded shape
  const endpoints = buildEndpoints(paths, templatePaths(paths, { catalog: null, known: [] }),
    limits);
  assert.deepEqual(endpoints.map((e) => [e.template, e.requests]),
    [['/api/users/{userId}/orders', 200]]);
});
