// Body schemas as the catalog keeps them: compact, folded, bounded, and free of cycles,
// on hand-made specs (recursive $refs, nullable, patternProperties, limits) and on the
// corpus specs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaCompactor } from '../src/catalog/extract-schema.js';
import { loadCatalog } from '../src/catalog/load.js';
import { limitsWith } from '../src/config/limits.js';
import { TRAFFIC } from './helpers/infer-template-corpus.js';

const LIMITS = { maxDepth: 16, maxNodes: 2000 };

test('a recursive $ref ends as an open node; the operation is plain JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shadowtap-extract-'));
  const file = join(dir, 'tree.json');
  writeFileSync(file, JSON.stringify({
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: { '/nodes': { post: {
      requestBody: { content: { 'application/json': {
        schema: { $ref: '#/components/schemas/Node' } } } },
      responses: { 201: { description: 'ok', headers: { 'X-Id': { schema: { type: 'string' } } },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } },
    } } },
    components: { schemas: { Node: { type: 'object', required: ['name'], properties: {
      name: { type: 'string', nullable: true, example: 'leaf-secret-example' },
      children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } } } },
  }));
  const [op] = (await loadCatalog([file])).operations;
  const text = JSON.stringify(op);
  assert.ok(!text.includes('leaf-secret-example'), 'examples are not kept');
  const body = op!.requestBody!.content['application/json']!;
  assert.deepEqual(body.type, ['object']);
  assert.deepEqual(body.required, ['name']);
  assert.deepEqual(body.properties!.name!.type, ['null', 'string']);
  const child = body.properties!.children!.items!;
  assert.ok(child.open === true || child.properties?.children?.items?.open === true);
  assert.deepEqual(op!.responses!['201']!.headers, ['x-id']);
});

test('depth and node limits leave the rest open', () => {
  let deep: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 30; i++) deep = { type: 'object', properties: { a: deep } };
  let s = new SchemaCompactor({ maxDepth: 3, maxNodes: 1000 }).compact(deep);
  for (let i = 0; i < 3; i++) s = s.properties!.a!;
  assert.deepEqual(s.properties!.a, { open: true });
  const wide: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) wide['p' + i] = { type: 'integer' };
  const c = new SchemaCompactor({ maxDepth: 8, maxNodes: 10 })
    .compact({ type: 'object', properties: wide });
  const open = Object.values(c.properties!).filter((p) => p.open === true).length;
  assert.equal(open, 41);
});

test('patternProperties are map values; oneOf keeps only the common type', () => {
  const c = new SchemaCompactor(LIMITS);
  const map = c.compact({ type: 'object', patternProperties: { '^x-': { type: 'string' } } });
  assert.deepEqual(map.additionalProperties, { type: ['string'] });
  const alt = c.compact({ oneOf: [{ type: 'string' }, { type: 'integer', format: 'int64' }] });
  assert.deepEqual(alt, { type: ['integer', 'string'] });
  const any = c.compact({ anyOf: [{ type: 'string' }, { description: 'anything' }] });
  assert.equal(any.type, undefined);
});

test('the corpus specs keep bodies and responses for every operation, in little space',
  async (t) => {
    if (!existsSync(TRAFFIC)) return t.skip('corpus not found at ../shared/corpus/traffic');
    const folders = readdirSync(TRAFFIC, { withFileTypes: true }).filter((d) => d.isDirectory());
    for (const name of folders.map((d) => d.name).sort()) {
      const spec = readdirSync(join(TRAFFIC, name)).find((f) => f.startsWith('spec.'));
      if (spec === undefined) continue;
      const catalog = await loadCatalog([join(TRAFFIC, name, spec)], limitsWith());
      for (const op of catalog.operations) {
        const what = `${name} ${op.method} ${op.template}`;
        assert.ok(Object.keys(op.responses ?? {}).length > 0, what);
      }
      const bytes = JSON.stringify(catalog.operations).length;
      // Measured 0.7-1.3 KB per operation on these specs; whole documents would be far more.
      assert.ok(bytes < 4_000 * catalog.operations.length, `${name}: ${bytes}`);
    }
  });
