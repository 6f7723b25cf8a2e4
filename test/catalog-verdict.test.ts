// Verdicts against a catalog: the corpus partial catalogs and expected shadow sets,
// case 04 (base path from servers), and one test per matching and binding rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/load.js';
import { compareScores, compileTemplate, matchScore, rawSegments } from '../src/catalog/match.js';
import type { Catalog, CatalogOperation, CatalogParam } from '../src/catalog/types.js';
import { classify, type ObservedEndpoint } from '../src/catalog/verdict.js';
import { inferTemplates, type PathSample } from '../src/infer/template.js';
import {
  CORPUS,
  captures,
  endpointsOf,
  samplesOf,
  unnamed,
} from './helpers/infer-template-corpus.js';

const HOST = 'api.example.test';

interface ExpectedShadow {
  host: string;
  method: string;
  wireTemplate: string;
}

test('each corpus capture against its partial catalog: exactly the expected shadow', async (t) => {
  const all = captures();
  if (all.length === 0) return t.skip('corpus not found at ../shared/corpus/traffic');
  for (const cap of all) {
    const catalog = await loadCatalog([join(cap.dir, 'catalog-partial.json')]);
    const samples = samplesOf(cap.requests);
    const endpoints = endpointsOf(samples, inferTemplates(samples, { catalog }));
    const { verdicts } = classify(endpoints, catalog);
    const key = (host: string, method: string, template: string): string =>
      `${host} ${method} ${unnamed(template)}`;
    const flagged = endpoints
      .filter((_, i) => verdicts[i]!.status === 'shadow' || verdicts[i]!.status === 'unknown-host')
      .map((e) => key(e.host, e.method, e.template))
      .sort();
    const expected = JSON.parse(readFileSync(join(cap.dir, 'expected-shadow.json'), 'utf8')) as
      ExpectedShadow[];
    const want = expected.map((x) => key(x.host, x.method, x.wireTemplate)).sort();
    assert.deepEqual(flagged, want, cap.name);
    // Documented operations are never shadow; probes are not-found, never shadow.
    const statusOf = new Map(
      endpoints.map((e, i) => [key(e.host, e.method, e.template), verdicts[i]!]),
    );
    for (const r of cap.requests) {
      const v = statusOf.get(key(r.host, r.method, r.wireTemplate ?? r.concretePath));
      assert.ok(v, `${cap.name}: ${r.method} ${r.concretePath} has no endpoint`);
      if (r.kind === 'probe') assert.equal(v.status, 'not-found', `${cap.name} ${r.concretePath}`);
    }
    const documented = endpoints.filter((_, i) => verdicts[i]!.status === 'documented');
    assert.ok(documented.length > 0, cap.name);
    for (const [i, e] of endpoints.entries()) {
      const v = verdicts[i]!;
      if (v.status === 'documented') {
        assert.equal(unnamed(v.path), unnamed(e.template), `${cap.name} ${e.method} ${e.template}`);
      }
    }
  }
});

test('case 04: the base path from servers is on the wire', async (t) => {
  const dir = join(CORPUS, 'cases', '04-oas3-server-base-path');
  if (!existsSync(dir)) return t.skip('corpus case 04 not found');
  const catalog = await loadCatalog([join(dir, 'catalog.yaml')]);
  // Request lines of capture.pcap, read with
  // `tshark -r capture.pcap -Y http.request -T fields -e http.request.uri` (all answered 2xx).
  const users = [80494, 29906, 44711, 22608, 18063, 89917, 63678, 8411, 76206, 468, 99889, 22506,
    82003, 49852, 41401, 66227, 44430, 14213, 52791, 99527];
  const samples: PathSample[] = [
    { host: HOST, method: 'GET', path: '/api/v1/admin/export', count: 3, statuses: { '200': 3 } },
    { host: HOST, method: 'POST', path: '/api/v1/orders', count: 5, statuses: { '201': 5 } },
    { host: HOST, method: 'GET', path: '/api/v1/users', count: 5, statuses: { '200': 5 } },
    ...users.map((id) => ({ host: HOST, method: 'GET', path: `/api/v1/users/${id}`, count: 1,
      statuses: { '200': 1 } })),
  ];
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
    shadow: Array<{ host: string; method: string; path: string }>;
    notShadow: Array<{ host: string; method: string; path: string }>;
  };
  for (const hints of [{ catalog }, {}]) {
    const endpoints = endpointsOf(samples, inferTemplates(samples, hints));
    const { verdicts } = classify(endpoints, catalog);
    const by = (status: string): string[] =>
      endpoints
        .filter((_, i) => verdicts[i]!.status === status)
        .map((e, _i) => `${e.host} ${e.method} ${unnamed(e.template)}`)
        .sort();
    const fmt = (x: { host: string; method: string; path: string }): string =>
      `${x.host} ${x.method} ${unnamed(x.path)}`;
    assert.deepEqual(by('shadow'), expected.shadow.map(fmt).sort());
    assert.deepEqual(by('documented'), expected.notShadow.map(fmt).sort());
  }
});

function op(
  template: string,
  method = 'GET',
  extra: Partial<CatalogOperation> = {},
): CatalogOperation {
  return {
    specFile: 'spec.yaml', specTitle: 'Spec', method, template, basePaths: [''], hosts: [HOST],
    boundHosts: [], deprecated: false, operationId: `${method} ${template}`, params: [],
    security: [], securitySchemes: {}, ...extra,
  };
}

function param(name: string, type: string | null, format: string | null = null): CatalogParam {
  return { name, in: 'path', type, format, required: true };
}

function ep(template: string, method = 'GET', statusCodes: Record<string, number> = { '200': 3 },
  params: ObservedEndpoint['params'] = [], host = HOST): ObservedEndpoint {
  return { host, method, template, params, statusCodes };
}

function verdictsOf(endpoints: ObservedEndpoint[], catalog: Catalog): string[] {
  return classify(endpoints, catalog).verdicts.map((v) => `${v.status} ${v.path}`);
}

const petCatalog: Catalog = {
  files: ['spec.yaml'],
  operations: [
    op('/pet/{petId}', 'GET', { params: [param('petId', 'integer', 'int64')] }),
    op('/pet/{petId}/legacy', 'GET', { deprecated: true, params: [param('petId', 'integer')] }),
    op('/articles/{slug}', 'GET', { params: [param('slug', 'string')] }),
    op('/articles/feed', 'GET'),
    op('/inventory', 'GET'),
  ],
};

test('an integer {petId} does not match findByStatus; literals win over parameters', () => {
  const out = verdictsOf(
    [
      ep('/pet/findByStatus'),
      ep('/pet/{id}', 'GET', { '200': 9 }, [{ name: 'id', position: 1, kind: 'integer' }]),
      ep('/pet/{id}', 'GET', { '200': 1 }, [{ name: 'id', position: 1, kind: 'slug' }], 'b.test'),
      ep('/articles/feed'),
      ep('/articles/{id}', 'GET', { '200': 4 }, [{ name: 'id', position: 1, kind: 'slug' }]),
      ep('/pet/17'),
    ],
    petCatalog,
  );
  assert.deepEqual(out, [
    'shadow /pet/findByStatus',
    'documented /pet/{petId}',
    'unknown-host /pet/{id}',
    'documented /articles/feed',
    'documented /articles/{slug}',
    // A raw id left untemplated still matches by its value's kind.
    'documented /pet/{petId}',
  ]);
  const feed = compileTemplate('/articles/feed', []);
  const slug = compileTemplate('/articles/{slug}', [param('slug', 'string')]);
  const seg = rawSegments('/articles/feed');
  const asParam = matchScore(slug, [{ literal: 'articles' }, { kind: 'slug' }])!;
  assert.ok(compareScores(matchScore(feed, seg)!, asParam) < 0);
  // A word the templater kept literal is not a value of a string parameter.
  assert.equal(matchScore(slug, seg), null);
});

test('zombie, not-found, unknown-host, shadow in catalog names, unseen', () => {
  const endpoints = [
    ep('/pet/{id}/legacy', 'GET', { '200': 2 }, [{ name: 'id', position: 1, kind: 'integer' }]),
    ep('/.env', 'GET', { '404': 1 }),
    ep('/wp-login.php', 'GET', { '404': 2 }, [], 'other.test'),
    ep('/pet/{id}', 'DELETE', { '204': 5 }, [{ name: 'id', position: 1, kind: 'integer' }]),
    ep('/users', 'GET', { '200': 5 }, [], 'other.test'),
    ep('/pet/{id}', 'GET', { '404': 5 }, [{ name: 'id', position: 1, kind: 'integer' }]),
  ];
  const { verdicts, unseen } = classify(endpoints, petCatalog);
  assert.deepEqual(verdicts.map((v) => `${v.status} ${v.path}`), [
    'zombie /pet/{petId}/legacy',
    'not-found /.env',
    'not-found /wp-login.php',
    'shadow /pet/{petId}',
    'unknown-host /users',
    // Documented, even if every answer was 404.
    'documented /pet/{petId}',
  ]);
  assert.equal(verdicts[0]!.operation?.deprecated, true);
  assert.deepEqual(unseen.map((u) => `${u.host} ${u.method} ${u.path}`), [
    `${HOST} GET /articles/{slug}`,
    `${HOST} GET /articles/feed`,
    `${HOST} GET /inventory`,
  ]);
  assert.deepEqual(classify(endpoints, null).verdicts.map((v) => v.status), [
    'unknown-host', 'not-found', 'not-found', 'unknown-host', 'unknown-host', 'not-found',
  ]);
});

test('Swagger 2 basePath and OpenAPI servers bind to their host, base path required', () => {
  const catalog: Catalog = {
    files: ['uber.json'],
    operations: [op('/products', 'GET', { basePaths: ['/v1'], hosts: ['api.uber.test'] })],
  };
  const out = verdictsOf(
    [
      ep('/v1/products', 'GET', { '200': 1 }, [], 'api.uber.test:8443'),
      ep('/products', 'GET', { '200': 1 }, [], 'api.uber.test'),
      ep('/v1/products', 'GET', { '200': 1 }, [], 'internal.test'),
    ],
    catalog,
  );
  assert.deepEqual(out, [
    'documented /v1/products',
    'shadow /products',
    'unknown-host /v1/products',
  ]);
});

test('a spec naming no observed host applies where its operations are called', () => {
  const catalog: Catalog = {
    files: ['museum.yaml'],
    operations: [
      op('/museum-hours', 'GET', { basePaths: ['/_mock/museum'], hosts: ['mock.example.com'] }),
      op('/tickets', 'POST', { basePaths: ['/_mock/museum'], hosts: ['mock.example.com'] }),
      op('/', 'GET', { basePaths: [''], hosts: [] }),
    ],
  };
  const out = verdictsOf(
    [
      ep('/museum-hours', 'GET', { '200': 4 }, [], 'museum.internal.test'),
      ep('/_mock/museum/tickets', 'POST', { '201': 1 }, [], 'museum.internal.test'),
      ep('/special-events', 'GET', { '200': 4 }, [], 'museum.internal.test'),
      ep('/museum-hours', 'GET', { '404': 2 }, [], 'scanned.test'),
      // `/` alone says nothing about which API a host serves.
      ep('/', 'GET', { '200': 2 }, [], 'crm.internal.test'),
    ],
    catalog,
  );
  assert.deepEqual(out, [
    'documented /museum-hours',
    'documented /_mock/museum/tickets',
    'shadow /special-events',
    'not-found /museum-hours',
    'unknown-host /',
  ]);
});

test('FILE@HOST binds explicitly, base path optional', () => {
  const catalog: Catalog = {
    files: ['spec.yaml'],
    operations: [
      op('/users', 'GET', {
        basePaths: ['/api'],
        hosts: ['prod.example.com'],
        boundHosts: ['mirror.test'],
      }),
    ],
  };
  const out = verdictsOf(
    [
      ep('/users', 'GET', { '200': 1 }, [], 'mirror.test'),
      ep('/api/users', 'GET', { '200': 1 }, [], 'mirror.test'),
      ep('/admin', 'GET', { '200': 1 }, [], 'mirror.test'),
      ep('/users', 'GET', { '200': 1 }, [], 'prod.example.com'),
    ],
    catalog,
  );
  assert.deepEqual(out, [
    'documented /users',
    'documented /api/users',
    'shadow /admin',
    'unknown-host /users',
  ]);
});

test('HEAD is served by GET; an OPTIONS preflight by any documented method', () => {
  const catalog: Catalog = { files: ['s'], operations: [op('/items'), op('/orders', 'POST')] };
  const calls = [ep('/items', 'HEAD'), ep('/orders', 'OPTIONS'), ep('/orders', 'PUT')];
  const out = verdictsOf(calls, catalog);
  assert.deepEqual(out, ['documented /items', 'documented /orders', 'shadow /orders']);
});

test('parameter types, formats and enums decide what a parameter matches', () => {
  const catalog: Catalog = {
    files: ['s'],
    operations: [
      op('/events/{eventId}', 'GET', { params: [param('eventId', 'string', 'uuid')] }),
      op('/pets/{status}', 'GET', {
        params: [{ ...param('status', 'string'), enum: ['sold', 'available'] }],
      }),
      op('/files/{name}.json', 'GET'),
    ],
  };
  const out = verdictsOf(
    [
      ep('/events/{id}', 'GET', { '200': 1 }, [{ name: 'id', position: 1, kind: 'uuid' }]),
      ep('/events/{id}', 'GET', { '200': 1 }, [{ name: 'id', position: 1, kind: 'integer' }]),
      ep('/pets/sold'),
      ep('/pets/lost'),
      ep('/files/report.json'),
    ],
    catalog,
  );
  assert.deepEqual(out, [
    'documented /events/{eventId}',
    'shadow /events/{id}',
    'documented /pets/{status}',
    'shadow /pets/lost',
    'documented /files/{name}.json',
  ]);
});
