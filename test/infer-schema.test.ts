// Pins the endpoint schema model: what one exchange contributes (types, formats,
// required fields, maps, caps), that merging is associative and commutative under
// the caps, that no value is ever kept, and that the export is valid OpenAPI 3.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { DEFAULT_LIMITS, limitsWith, type Limits } from '../src/config/limits.js';
import type { Exchange } from '../src/http/types.js';
import {
  emptyEndpointSchema, mergeSchemas, observeExchange, SchemaBuilder, type EndpointSchema,
} from '../src/infer/schema.js';
import { stringFormat } from '../src/infer/schema-format.js';
import { observeJson } from '../src/infer/schema-observe.js';
import { toJsonSchema, toOpenApiOperation } from '../src/infer/schema-export.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function exchange(opts: {
  query?: string; headers?: Array<[string, string]>; reqType?: string; reqBody?: string;
  status?: number; resType?: string; resBody?: string;
}): Exchange {
  const reqBody = enc(opts.reqBody ?? '');
  const resBody = enc(opts.resBody ?? '');
  return {
    packet: 1, ts: 0, endTs: 0, tunnel: '', gapBytes: 0, client: { ip: '127.0.0.2', port: 1 },
    server: { ip: '127.0.0.1', port: 2 },
    request: { method: 'POST', uri: '/x', path: '/x', query: opts.query ?? '', host: 'h',
      httpVersion: '1.1', headers: opts.headers ?? [], auth: [], contentType: opts.reqType ?? '',
      body: reqBody, bodyLength: reqBody.length, bodyTruncated: false },
    response: opts.status === undefined ? null : { status: opts.status, httpVersion: '1.1',
      headers: [], contentType: opts.resType ?? 'application/json', body: resBody,
      bodyLength: resBody.length, bodyTruncated: false },
  };
}

const fold = (xs: EndpointSchema[], l: Limits): EndpointSchema =>
  xs.reduce((a, b) => mergeSchemas(a, b, l), emptyEndpointSchema());

test('string formats: RFC 3339 dates and times, email, uuid, uri, IPs', () => {
  const cases: Array<[string, string | null]> = [
    ['2024-02-29', 'date'], ['2023-02-29', null], ['2024-01-05T10:00:00Z', 'date-time'],
    ['2024-01-05T10:00:00.123+02:00', 'date-time'], ['2024-01-05T10:00:00', null],
    ['10:30:00', 'time'], ['a@example.com', 'email'], ['https://example.com/a', 'uri'],
    ['urn:isbn:0451450523', 'uri'], ['key:value', null], ['192.0.2.1', 'ipv4'],
    ['2001:db8::1', 'ipv6'], ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'uuid'], ['hello', null],
  ];
  for (const [v, f] of cases) assert.equal(stringFormat(v), f, v);
});

test('one JSON body: nested objects, arrays, null, mixed types, id-keyed maps', () => {
  const doc = {
    id: 3, ratio: 0.5, big: 5_000_000_000, name: 'x', note: null, flag: true,
    tags: ['a', 'b'], mixed: [1, 'two', null], owner: { email: 'a@example.com' },
    byId: { '1042': { n: 1 }, '1043': { n: 2, extra: 'y' } },
  };
  const s = toJsonSchema(observeJson(doc, DEFAULT_LIMITS));
  assert.deepEqual(s, {
    type: 'object',
    properties: {
      big: { type: 'integer', format: 'int64' },
      byId: { type: 'object', additionalProperties: {
        type: 'object', properties: { extra: { type: 'string' }, n: { type: 'integer',
          format: 'int32' } }, required: ['n'] } },
      flag: { type: 'boolean' },
      id: { type: 'integer', format: 'int32' },
      mixed: { type: 'array', items: { type: ['string', 'integer', 'null'], format: 'int32' } },
      name: { type: 'string' },
      note: { type: 'null' },
      owner: { type: 'object', properties: { email: { type: 'string', format: 'email' } },
        required: ['email'] },
      ratio: { type: 'number' },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['big', 'byId', 'flag', 'id', 'mixed', 'name', 'note', 'owner', 'ratio', 'tags'],
  });
});

test('required vs optional comes from presence counts across exchanges', () => {
  const l = DEFAULT_LIMITS;
  const s = fold([
    observeExchange(exchange({ status: 200, resBody: '{"a":1,"b":"x"}' }), l),
    observeExchange(exchange({ status: 200, resBody: '{"a":2}' }), l),
    observeExchange(exchange({ status: 200, resBody: '{"a":3,"b":null}' }), l),
  ], l);
  const body = toJsonSchema(s.responses['200']!.content['application/json']!);
  assert.deepEqual(body.required, ['a']);
  assert.deepEqual((body.properties as Record<string, unknown>).b, { type: ['string', 'null'] });
});

test('objects with many rarely repeated names are maps', () => {
  const l = DEFAULT_LIMITS;
  const docs = Array.from({ length: 6 }, (_, i) => {
    const users: Record<string, unknown> = {};
    for (let k = 0; k < 5; k++) users[`user_${String.fromCharCode(97 + i)}${k}x`] = { age: k };
    return observeExchange(exchange({ status: 200, resBody: JSON.stringify({ users }) }), l);
  });
  const users = (toJsonSchema(fold(docs, l).responses['200']!.content['application/json']!)
    .properties as Record<string, Record<string, unknown>>).users!;
  assert.equal(users.properties, undefined);
  assert.deepEqual(users.additionalProperties, { type: 'object',
    properties: { age: { type: 'integer', format: 'int32' } }, required: ['age'] });
});

test('caps: depth, array items sampled, fields (a whole tree is kept), truncation flagged', () => {
  const deep = observeJson({ a: { b: { c: { d: 1 } } } }, limitsWith({ maxSchemaDepth: 2 }));
  assert.deepEqual(Object.keys(deep.fields), ['', '/a', '/a/b']);
  const arr = observeJson([1, 2, 3, 4, 5], limitsWith({ maxSchemaArrayItems: 2 }));
  assert.equal(arr.fields['/~i']!.n, 2);
  const wide: Record<string, number> = {};
  for (let i = 0; i < 40; i++) wide['field' + String.fromCharCode(65 + (i % 26)) + i] = i;
  const capped = observeJson({ x: wide, y: { z: 1 } }, limitsWith({ maxSchemaFields: 10 }));
  assert.equal(Object.keys(capped.fields).length, 10);
  assert.equal(capped.truncated, true);
  for (const p of Object.keys(capped.fields)) {
    if (p === '') continue;
    assert.ok(p.slice(0, p.lastIndexOf('/')) in capped.fields, `parent of ${p} kept`);
  }
});

// Random exchanges over a small vocabulary, so that caps are hit.
function randomExchanges(n: number, seed: number): Exchange[] {
  let x = seed;
  const r = (k: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
  const value = (depth: number): unknown => {
    switch (depth === 0 ? 7 : r(depth > 2 ? 5 : 8)) {
      case 0: return r(100);
      case 1: return ['a@example.com', '2024-01-05', 'text', '192.0.2.1'][r(4)];
      case 2: return null;
      case 3: return r(2) === 0;
      case 4: return 1.5;
      case 5: return Array.from({ length: r(4) }, () => value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        const keys = ['a', 'b', 'c', String(r(3000)), 'k' + r(40)];
        for (let i = r(5) + (depth === 0 ? 4 : 0); i > 0; i--) o[keys[r(5)]!] = value(depth + 1);
        return o;
      }
    }
  };
  return Array.from({ length: n }, () => exchange({
    query: ['page=1', 'page=2&q=x', 'tag=a&tag=b', ''][r(4)]!,
    headers: ([['x-tenant', 'acme'], ['x-trace', String(r(9))]] as Array<[string, string]>)
      .slice(0, r(3)),
    reqType: ['application/json', 'application/x-www-form-urlencoded', 'text/plain', ''][r(4)]!,
    reqBody: r(2) === 0 ? JSON.stringify(value(0)) : 'a=1&b=two',
    status: [200, 201, 404, 500][r(4)]!,
    resType: ['application/json', 'application/problem+json', 'text/html'][r(3)]!,
    resBody: JSON.stringify(value(0)),
  }));
}

test('merge is associative and commutative, under caps, and round-trips through JSON', () => {
  const l = limitsWith({ maxSchemaFields: 12, maxSchemaMediaTypes: 2, maxSchemaStatuses: 3,
    maxSchemaArrayItems: 3, maxSchemaDepth: 4 });
  const parts = randomExchanges(40, 7).map((e) => observeExchange(e, l));
  const reference = JSON.stringify(fold(parts, l));
  let x = 99;
  const r = (k: number): number => (x = (Math.imul(x, 48271) + 1) >>> 0) % k;
  for (let trial = 0; trial < 25; trial++) {
    const shuffled = [...parts];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = r(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    // Workers: random chunks, each folded, then the chunk results merged in random order.
    const chunks: EndpointSchema[] = [];
    for (let i = 0; i < shuffled.length;) {
      const size = 1 + r(8);
      chunks.push(fold(shuffled.slice(i, i + size), l));
      i += size;
    }
    while (chunks.length > 1) {
      const a = chunks.splice(r(chunks.length), 1)[0]!;
      const b = chunks.splice(r(chunks.length), 1)[0]!;
      chunks.push(r(2) === 0 ? mergeSchemas(a, b, l) : mergeSchemas(b, a, l));
    }
    assert.equal(JSON.stringify(chunks[0]), reference, `trial ${trial}`);
  }
  const merged = JSON.parse(reference) as EndpointSchema;
  assert.deepEqual(merged, fold(parts, l));
  assert.equal(merged.truncated, true, 'the status and media type caps were hit');
  const maps = [merged.query, merged.headers, ...Object.values(merged.request),
    ...Object.values(merged.responses).flatMap((r) => [r.headers, ...Object.values(r.content)])];
  assert.ok(maps.some((m) => m.truncated === true), 'a field cap was hit');
  assert.ok(Object.keys(merged.responses).length <= 3);
});

test('building in place gives what merging one exchange at a time gives, caps included', () => {
  for (const fields of [4, 12, 500]) {
    const l = limitsWith({ maxSchemaFields: fields, maxSchemaMediaTypes: 1, maxSchemaStatuses: 2,
      maxSchemaArrayItems: 3, maxSchemaDepth: 4 });
    const xs = randomExchanges(120, 11);
    const b = new SchemaBuilder(l);
    for (const e of xs) b.observe(e);
    const built = b.done();
    assert.equal(built.n, 120);
    const merged = fold(xs.map((e) => observeExchange(e, l)), l);
    assert.equal(JSON.stringify(built), JSON.stringify(merged), `maxSchemaFields ${fields}`);
  }
});

test('no value is kept: only types, formats and counts', () => {
  const l = DEFAULT_LIMITS;
  const secret = 'zq-4111111111111111-jane@example.com-HUNTER2';
  const s = observeExchange(exchange({
    query: `token=${encodeURIComponent(secret)}&page=7&jim%40example.org=1`,
    headers: [['x-user-phone', secret]],
    reqType: 'application/x-www-form-urlencoded', reqBody: `password=${encodeURIComponent(secret)}`,
    status: 200, resBody: JSON.stringify({ status: 'ACTIVE', note: secret, n: 424242,
      byEmail: { 'bob@example.net': { plan: 'pro' } }, byPhone: { '+12025550143': 1 } }),
  }), l);
  const text = JSON.stringify(s);
  for (const v of [secret, 'HUNTER2', 'ACTIVE', '424242', 'jane', 'jim', 'bob', '2025550143']) {
    assert.ok(!text.includes(v), v);
  }
  // Keys that are personal data are map keys, like ids.
  assert.ok('/byEmail/~k/plan' in s.responses['200']!.content['application/json']!.fields);
});

test('form, multipart and query fields; notable headers only', () => {
  const l = DEFAULT_LIMITS;
  const b = 'B0und';
  const mp = [`--${b}`, 'Content-Disposition: form-data; name="title"', '', 'hello', `--${b}`,
    'Content-Disposition: form-data; name="file"; filename="a.png"', 'Content-Type: image/png',
    '', '\x89PNG', `--${b}--`, ''].join('\r\n');
  const s = observeExchange(exchange({ query: 'ids=1&ids=2&since=2024-01-05',
    headers: [['accept', '*/*'], ['x-tenant', 'acme'], ['user-agent', 'curl'],
      ['x-api-key', 'k-123'], ['authorization', 'Basic Zm9vOmJhcg==']],
    reqType: `multipart/form-data; boundary=${b}`, reqBody: mp }), l);
  const op = toOpenApiOperation(s);
  assert.deepEqual(op.parameters, [
    { name: 'ids', in: 'query', required: true,
      schema: { type: 'array', items: { type: 'integer', format: 'int32' } } },
    { name: 'since', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
    { name: 'x-tenant', in: 'header', required: true, schema: { type: 'string' } },
  ]);
  assert.deepEqual(op.requestBody, { required: true, content: { 'multipart/form-data': { schema: {
    type: 'object', properties: {
      file: { type: 'string', contentMediaType: 'application/octet-stream' },
      title: { type: 'string' } }, required: ['file', 'title'] } } } });
});

test('the exported operation is valid OpenAPI 3.1', async () => {
  const l = DEFAULT_LIMITS;
  const s = fold(randomExchanges(30, 3).map((e) => observeExchange(e, l)), l);
  const doc = {
    openapi: '3.1.0',
    info: { title: 'observed', version: '0' },
    paths: { '/x/{id}': { post: toOpenApiOperation(s, { pathParams: ['id'] }) } },
  };
  await SwaggerParser.validate(structuredClone(doc) as never);
});
