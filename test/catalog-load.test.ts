// Catalog loading: OpenAPI 3.0/3.1 and Swagger 2.0, JSON and YAML, folders, FILE@HOST,
// servers with variables, $refs, and the one-line errors an operator sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/load.js';
import type { CatalogOperation } from '../src/catalog/types.js';
import { ShadowtapError } from '../src/errors.js';
import { setLogSink } from '../src/log.js';
import { CORPUS, TRAFFIC } from './helpers/infer-template-corpus.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'shadowtap-catalog-'));
}

function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function find(ops: CatalogOperation[], method: string, template: string): CatalogOperation {
  const op = ops.find((o) => o.method === method && o.template === template);
  assert.ok(op, `${method} ${template} not loaded`);
  return op;
}

/** Runs fn with log lines captured. */
async function logged<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const prev = setLogSink((l) => lines.push(l));
  try {
    return { value: await fn(), lines };
  } finally {
    setLogSink(prev);
  }
}

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ShadowtapError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    assert.equal(e.message.split('\n').length, 1, e.message);
    return e.message;
  }
  assert.fail('did not throw');
}

const OAS3_VARS = `
openapi: 3.1.0
info: { title: Vars, version: 1.0.0 }
servers:
  - url: 'https://{region}.api.example.test:{port}/{base}'
    variables:
      region: { default: eu, enum: [eu, us] }
      port: { default: '443' }
      base: { default: v2 }
  - url: /relative/v3
paths:
  /things/{thingId}:
    parameters:
      - $ref: '#/components/parameters/ThingId'
    get:
      operationId: getThing
      security: [{ key: [] }, {}]
      parameters:
        - { name: q, in: query, schema: { type: [string, 'null'] } }
      responses: { '200': { description: ok } }
    delete:
      deprecated: true
      responses: { '204': { description: gone } }
components:
  parameters:
    ThingId: { name: thingId, in: path, required: true, schema: { type: integer, format: int64 } }
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Key }
`;

test('OpenAPI 3 servers with variables give every host and base path, $refs resolved', async () => {
  const dir = tempDir();
  const cat = await loadCatalog([write(dir, 'vars.yaml', OAS3_VARS)]);
  const get = find(cat.operations, 'GET', '/things/{thingId}');
  assert.deepEqual(get.hosts, ['eu.api.example.test', 'us.api.example.test']);
  assert.deepEqual(get.basePaths, ['/v2', '/relative/v3']);
  assert.deepEqual(get.params, [
    { name: 'thingId', in: 'path', type: 'integer', format: 'int64', required: true },
    { name: 'q', in: 'query', type: 'string', format: null, required: false },
  ]);
  assert.deepEqual(get.security, [['key'], []]);
  assert.deepEqual(get.securitySchemes, { key: { type: 'apiKey', in: 'header', name: 'X-Key' } });
  assert.equal(get.operationId, 'getThing');
  assert.equal(find(cat.operations, 'DELETE', '/things/{thingId}').deprecated, true);
  // Stored as JSON by the store: plain data, no cycles.
  assert.deepEqual(JSON.parse(JSON.stringify(cat)), cat);
});

test('Swagger 2.0 host and basePath; JSON spec', async () => {
  const dir = tempDir();
  const spec = {
    swagger: '2.0',
    info: { title: 'Uber-like', version: '1' },
    host: 'API.Example.test:8443',
    basePath: '/v1/',
    securityDefinitions: { basic: { type: 'basic' } },
    security: [{ basic: [] }],
    paths: {
      '/products/{id}': {
        get: {
          parameters: [
            { name: 'id', in: 'path', required: true, type: 'string', format: 'uuid' },
            { name: 'body', in: 'body', schema: { type: 'object' } },
          ],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
  };
  const cat = await loadCatalog([write(dir, 'uber.json', JSON.stringify(spec))]);
  const op = find(cat.operations, 'GET', '/products/{id}');
  assert.deepEqual(op.hosts, ['api.example.test']);
  assert.deepEqual(op.basePaths, ['/v1']);
  assert.deepEqual(op.params.map((p) => [p.name, p.in, p.type, p.format]), [
    ['id', 'path', 'string', 'uuid'],
  ]);
  assert.deepEqual(op.security, [['basic']]);
  assert.deepEqual(op.securitySchemes, { basic: { type: 'basic' } });
});

test('the corpus specs load: OpenAPI 3.1 YAML, 3.0 YAML, Swagger 2.0 JSON', async (t) => {
  if (!existsSync(TRAFFIC)) return t.skip('corpus not found at ../shared/corpus/traffic');
  const museum = await loadCatalog([join(TRAFFIC, 'museum', 'spec.yaml')]);
  assert.equal(museum.operations.length, 8);
  assert.equal(museum.operations[0]!.specTitle, 'Redocly Museum API');
  // A mock server URL: its host is kept, binding decides whether traffic ever sees it.
  assert.deepEqual(museum.operations[0]!.hosts, ['redocly.com']);
  const uber = await loadCatalog([join(TRAFFIC, 'oai-uber-v2', 'spec.json')]);
  assert.deepEqual(uber.operations[0]!.basePaths, ['/v1']);
  const vampi = await loadCatalog([join(TRAFFIC, 'vampi', 'spec.yml')]);
  // `http://localhost:5000` names no usable host.
  assert.deepEqual(vampi.operations[0]!.hosts, []);
  const case04Spec = join(CORPUS, 'cases', '04-oas3-server-base-path', 'catalog.yaml');
  const case04 = await loadCatalog([case04Spec]);
  assert.deepEqual(find(case04.operations, 'GET', '/users/{userId}').basePaths, ['/api/v1']);
});

test('a folder loads every spec in it; pieces that specs $ref are skipped', async () => {
  const dir = tempDir();
  const folder = join(dir, 'specs');
  mkdirSync(folder);
  write(folder, 'b.yaml', OAS3_VARS);
  write(folder, 'a.json', JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'A', version: '1' },
    paths: { '/pets': { get: { responses: { '200': { $ref: 'responses.yml#/Ok' } } } } },
  }));
  write(folder, 'responses.yml', 'Ok: { description: fine }\n');
  write(folder, 'notes.txt', 'not a spec');
  mkdirSync(join(folder, 'sub.json'));
  const { value: cat, lines } = await logged(() => loadCatalog([folder]));
  assert.deepEqual(cat.files, [join(folder, 'a.json'), join(folder, 'b.yaml')]);
  assert.deepEqual(cat.operations.map((o) => `${o.method} ${o.template}`), [
    'GET /pets',
    'GET /things/{thingId}',
    'DELETE /things/{thingId}',
  ]);
  assert.ok(lines.some((l) => l.includes('responses.yml') && l.includes('skipped')), lines.join());
  assert.ok(!lines.some((l) => l.includes('validate')), lines.join());
});

test('FILE@HOST binds a spec to hosts', async () => {
  const dir = tempDir();
  const file = write(dir, 'vars.yaml', OAS3_VARS);
  const cat = await loadCatalog([`${file}@Internal.Example.test:8080,other.test`]);
  assert.deepEqual(cat.operations[0]!.boundHosts, ['internal.example.test', 'other.test']);
  assert.deepEqual(cat.files, [file]);
  // A path that exists with '@' in it is a path.
  const at = write(dir, 'spec@v2.yaml', OAS3_VARS);
  assert.deepEqual((await loadCatalog([at])).operations[0]!.boundHosts, []);
});

test('a broken spec fails with one line naming the file and the line', async () => {
  const dir = tempDir();
  const yaml = write(dir, 'broken.yaml', 'openapi: 3.0.0\ninfo: { title: x }\npaths: [unclosed\n');
  await rejectsWith(loadCatalog([yaml]), 'catalog-invalid', /broken\.yaml:\d+: not valid YAML/);
  const json = write(dir, 'broken.json',
    '{\n  "openapi": "3.0.0",\n  "paths": {\n    "/a": }\n}\n');
  await rejectsWith(loadCatalog([json]), 'catalog-invalid', /broken\.json:4: not valid JSON/);
  const other = write(dir, 'package.json', '{"name": "x"}');
  await rejectsWith(loadCatalog([other]), 'catalog-invalid', /package\.json: not an OpenAPI/);
  const dangling = write(dir, 'dangling.yaml',
    'openapi: 3.0.0\ninfo: { title: x, version: "1" }\npaths:\n  /a:\n    get:\n' +
      "      responses: { '200': { $ref: '#/components/responses/Nope' } }\n");
  await rejectsWith(loadCatalog([dangling]), 'catalog-invalid', /dangling\.yaml: /);
  await rejectsWith(loadCatalog([join(dir, 'missing.yaml')]), 'file-not-found', /missing\.yaml/);
});

test('a spec that does not validate but has paths is loaded with a warning', async () => {
  const dir = tempDir();
  const file = write(dir, 'loose.yaml',
    'openapi: 3.0.3\ninfo: { title: Loose, version: 1.0 }\npaths:\n  /orders:\n    post:\n' +
      '      responses: { 201: { description: made } }\n      x-extra: 1\n      tags: oops\n');
  const { value: cat, lines } = await logged(() => loadCatalog([file]));
  assert.deepEqual(cat.operations.map((o) => `${o.method} ${o.template}`), ['POST /orders']);
  assert.ok(lines.some((l) => l.startsWith('warn:') && l.includes('loose.yaml')), lines.join('\n'));
});

test('a $ref to a URL is never fetched', async () => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const dir = tempDir();
    const file = write(dir, 'remote.yaml',
      'openapi: 3.0.0\ninfo: { title: r, version: "1" }\npaths:\n  /a:\n    get:\n' +
        `      responses: { '200': { $ref: 'http://127.0.0.1:${port}/r.yaml#/Ok' } }\n`);
    await rejectsWith(loadCatalog([file]), 'catalog-invalid', /remote\.yaml: /);
    assert.equal(requests, 0);
  } finally {
    server.close();
  }
});
