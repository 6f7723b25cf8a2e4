// Drift of observed traffic against a catalog operation, one row per rule: undocumented
// parameters and fields, type and format mismatches, undocumented status codes, missing
// credentials; then ordering, bounds and determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointDrift, type DriftEntry, type DriftInput } from '../src/catalog/drift.js';
import { extractOperations } from '../src/catalog/extract.js';
import type { CatalogOperation } from '../src/catalog/types.js';
import { DEFAULT_LIMITS } from '../src/config/limits.js';
import { emptyEndpointSchema, type EndpointSchema } from '../src/infer/schema.js';
import { parseForm } from '../src/infer/schema-body.js';
import { emptyFieldMap, mergeFieldMaps, type FieldMap } from '../src/infer/schema-model.js';
import { observeJson, observePairs } from '../src/infer/schema-observe.js';
import type { PiiKind } from '../src/pii/types.js';

type Obj = Record<string, unknown>;

/** The one operation of a small OpenAPI 3.1 (or Swagger 2.0) document. */
function operation(op: Obj, extra: Obj = {}, method = 'post', path = '/things'): CatalogOperation {
  const doc: Obj = extra.swagger !== undefined
    ? { info: { title: 't', version: '1' }, ...extra, paths: { [path]: { [method]: op } } }
    : { openapi: '3.1.0', info: { title: 't', version: '1' }, ...extra,
      paths: { [path]: { [method]: op } } };
  const ops = extractOperations(doc, { specFile: 't.json', boundHosts: [],
    maxServerExpansions: 4 });
  assert.equal(ops.length, 1);
  return ops[0]!;
}

function many(docs: unknown[], one: (d: unknown) => FieldMap): FieldMap {
  return docs.map(one).reduce((a, b) => mergeFieldMaps(a, b, DEFAULT_LIMITS.maxSchemaFields),
    emptyFieldMap());
}

const json = (docs: unknown[]): FieldMap => many(docs, (d) => observeJson(d, DEFAULT_LIMITS));
const pairs = (queries: string[]): FieldMap =>
  many(queries, (q) => observePairs(parseForm(q as string), DEFAULT_LIMITS));

/** What the traffic showed, written as bodies and query strings. */
interface Seen {
  query?: string[];
  headers?: string[];
  request?: Record<string, FieldMap>;
  responses?: Record<string, Record<string, FieldMap>>;
  statusCodes?: Record<string, number>;
  auth?: string[];
  pii?: Array<{ kind: PiiKind; in: 'request' | 'response'; location: string }>;
}

function input(op: CatalogOperation, seen: Seen): DriftInput {
  const schema: EndpointSchema = emptyEndpointSchema();
  schema.n = 10;
  if (seen.query !== undefined) schema.query = pairs(seen.query);
  if (seen.headers !== undefined) schema.headers = pairs(seen.headers);
  schema.request = seen.request ?? {};
  for (const [status, content] of Object.entries(seen.responses ?? {})) {
    schema.responses[status] = { n: 1, headers: emptyFieldMap(), content };
  }
  const statusCodes = seen.statusCodes ??
    Object.fromEntries(Object.keys(seen.responses ?? { 200: {} }).map((s) => [s, 1]));
  return { operation: op, schema, statusCodes, auth: seen.auth ?? ['bearer'], pii: seen.pii };
}

const brief = (d: DriftEntry[]) => d.map((e) => `${e.kind} ${e.in} ${e.location}` +
  (e.pii === undefined ? '' : ` [${e.pii.join(',')}]`));

const OK_200 = { responses: { 200: { description: 'ok' } } };
const BODY = (schema: Obj, required = true): Obj =>
  ({ requestBody: { required, content: { 'application/json': { schema } } }, ...OK_200 });

interface Row {
  name: string;
  op: CatalogOperation;
  seen: Seen;
  want: string[];
  /** Substrings the details must hold, in entry order. */
  details?: string[];
}

const ROWS: Row[] = [
  {
    name: 'query parameters the spec does not list, the one carrying an email first',
    op: operation({ parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }],
      ...OK_200 }, {}, 'get'),
    seen: { query: ['page=1&debug=1', 'page=2&email=a%40example.com'],
      pii: [{ kind: 'email', in: 'request', location: 'query:email' }] },
    want: ['undocumented-param request query:email [email]',
      'undocumented-param request query:debug'],
    details: ['seen 1× in 2 requests', 'seen 1× in 2 requests'],
  },
  {
    name: 'deepObject query names (filter[name]) belong to their documented parameter',
    op: operation({ parameters: [{ name: 'filter', in: 'query', style: 'deepObject',
      schema: { type: 'object' } }], ...OK_200 }, {}, 'get'),
    seen: { query: ['filter%5Bname%5D=x&filter%5Bage%5D=3'] },
    want: [],
  },
  {
    name: 'header names compare case-insensitively; an apiKey scheme documents its header',
    op: operation({ parameters: [{ name: 'X-Request-ID', in: 'header', schema: {
      type: 'string' } }], security: [{ key: [] }], ...OK_200 },
    { components: { securitySchemes: { key: { type: 'apiKey', in: 'header',
      name: 'X-Tenant' } } } }, 'get'),
    seen: { headers: ['x-request-id=a&x-tenant=t&x-debug=1'] },
    want: ['undocumented-param request header:x-debug'],
  },
  {
    name: 'an undocumented subtree is one entry at its root; array items are *',
    op: operation(BODY({ type: 'object', properties: {
      user: { type: 'object', properties: { name: { type: 'string' } } },
      items: { type: 'array', items: { type: 'object', properties: { id: {
        type: 'integer' } } } } } })),
    seen: { request: { 'application/json': json([
      { user: { name: 'a', extra: { deep: { x: 1 } } }, items: [{ id: 1, sku: 'x' }] },
    ]) } },
    want: ['undocumented-field request body:/items/*/sku',
      'undocumented-field request body:/user/extra'],
  },
  {
    name: 'types: a string where an integer is documented; an integer is a number',
    op: operation(BODY({ type: 'object', properties: { qty: { type: 'integer' },
      price: { type: 'number' }, note: { type: ['string', 'null'] } } })),
    seen: { request: { 'application/json': json([
      { qty: '3', price: 2, note: null }, { qty: 4, price: 2.5, note: 'x' }]) } },
    want: ['type-mismatch request body:/qty'],
    details: ['spec integer, seen string in 1 of 2'],
  },
  {
    name: 'text is text: "123" fits a string query parameter, "abc" does not fit an integer',
    op: operation({ parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } },
      { name: 'n', in: 'query', schema: { type: 'integer' } }], ...OK_200 }, {}, 'get'),
    seen: { query: ['q=123&n=abc', 'q=x&n=2'] },
    want: ['type-mismatch request query:n'],
    details: ['spec integer, seen string in 1 of 2'],
  },
  {
    name: 'formats: date-time documented, dates seen; uuid documented, other ids seen',
    op: operation(BODY({ type: 'object', properties: {
      at: { type: 'string', format: 'date-time' },
      id: { type: 'string', format: 'uuid' },
      n: { type: 'integer', format: 'int32' } } })),
    seen: { request: { 'application/json': json([
      { at: '2024-05-01', id: '6f1c8a4e-2b7d-4c1e-9a3f-0d2e5b7c9a11', n: 5 },
      { at: '2024-05-02', id: 'ord-1042', n: 9_000_000_000 }]) } },
    want: ['type-mismatch request body:/at', 'type-mismatch request body:/id',
      'type-mismatch request body:/n'],
    details: ['spec format date-time, seen date in 2 of 2',
      'spec format uuid, seen strings without it in 1 of 2', 'spec format int32, seen int64'],
  },
  {
    name: 'free-form objects and maps document whatever is under them; false closes',
    op: operation(BODY({ type: 'object', properties: {
      meta: { type: 'object' },
      tags: { type: 'object', additionalProperties: { type: 'string' } },
      closed: { type: 'object', additionalProperties: false } } })),
    seen: { request: { 'application/json': json([
      { meta: { any: { thing: 1 } }, tags: { colour: 'red', size: 'L' }, closed: { x: 1 } }]) } },
    want: ['undocumented-field request body:/closed/x'],
  },
  {
    name: 'allOf and oneOf: a property any branch names is documented',
    op: operation(BODY({ allOf: [
      { type: 'object', properties: { id: { type: 'integer' } } },
      { oneOf: [{ properties: { card: { type: 'string' } } },
        { properties: { iban: { type: 'string' } } }] }] })),
    seen: { request: { 'application/json': json([{ id: 1, card: 'x' }, { id: 2, iban: 'y',
      other: 1 }]) } },
    want: ['undocumented-field request body:/other'],
  },
  {
    name: 'an operation documenting no body: each top-level field sent is undocumented',
    op: operation(OK_200),
    seen: { request: { 'application/json': json([{ ssn: 'x', n: 1 }]) },
      pii: [{ kind: 'ssn', in: 'request', location: 'body:/ssn' }] },
    want: ['undocumented-field request body:/ssn [ssn]', 'undocumented-field request body:/n'],
    details: ['the spec documents no body'],
  },
  {
    name: 'form fields compare as text under form:',
    op: operation({ requestBody: { content: { 'application/x-www-form-urlencoded': {
      schema: { type: 'object', properties: { user: { type: 'string' } } } } } }, ...OK_200 }),
    seen: { request: { 'application/x-www-form-urlencoded': pairs(['user=42&card=4111']) },
      pii: [{ kind: 'credit_card', in: 'request', location: 'form:card' }] },
    want: ['undocumented-field request form:card [credit_card]'],
  },
  {
    name: 'status codes: exact, NXX range and default document; others are drift',
    op: operation({ responses: { 200: { description: 'ok' }, '4XX': { description: 'e' } } }),
    seen: { statusCodes: { 200: 5, 404: 2, 500: 1, none: 3 } },
    want: ['undocumented-status response status:500'],
    details: ['answered 1×; documented: 200, 4XX'],
  },
  {
    name: 'a default response documents every status',
    op: operation({ responses: { default: { description: 'any' } } }),
    seen: { statusCodes: { 200: 1, 503: 1 } },
    want: [],
  },
  {
    name: 'response fields: one entry across statuses; problem+json read as JSON',
    op: operation({ responses: {
      200: { description: 'ok', content: { 'application/json': { schema: { type: 'object',
        properties: { id: { type: 'integer' } } } } } },
      400: { description: 'bad', content: { 'application/json': { schema: { type: 'object',
        properties: { title: { type: 'string' } } } } } } } }),
    seen: { responses: {
      200: { 'application/json': json([{ id: 1, trace: 'x' }]) },
      400: { 'application/problem+json': json([{ title: 't', trace: 'y' }]) } } },
    want: ['undocumented-field response body:/trace'],
    details: ['not in the spec; seen 1× in 1 responses 200 (application/json); ' +
      'seen 1× in 1 responses 400 (application/problem+json)'],
  },
  {
    name: 'missing auth: security required and some requests carried none',
    op: operation({ security: [{ basic: [] }], ...OK_200 },
      { components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' } } } }),
    seen: { auth: ['basic', 'none'] },
    want: ['missing-auth request security'],
    details: ['spec requires basic (http basic); some requests carried no credentials'],
  },
  {
    name: 'no missing auth when security is optional ({}) or every request had credentials',
    op: operation({ security: [{ basic: [] }, {}], ...OK_200 },
      { components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' } } } }),
    seen: { auth: ['none'] },
    want: [],
  },
  {
    name: 'root security applies; all requests without credentials',
    op: operation(OK_200, { security: [{ key: [] }], components: { securitySchemes: {
      key: { type: 'apiKey', in: 'query', name: 'api_key' } } } }),
    seen: { auth: ['none'], query: ['api_key=x'] },
    want: ['missing-auth request security'],
    details: ['no request carried credentials'],
  },
  {
    name: 'Swagger 2.0: body parameter with consumes, responses with produces',
    op: operation({ parameters: [{ name: 'b', in: 'body', schema: { type: 'object',
      properties: { a: { type: 'string' } } } }],
    responses: { 200: { description: 'ok', schema: { type: 'object', properties: {
      id: { type: 'integer' } } } } } }, { swagger: '2.0', produces: ['application/json'] }),
    seen: { request: { 'application/json': json([{ a: 'x', b: 1 }]) },
      responses: { 200: { 'application/json': json([{ id: 'x' }]) } } },
    want: ['undocumented-field request body:/b', 'type-mismatch response body:/id'],
  },
  {
    name: 'Swagger 2.0: formData parameters are the fields of a form body',
    op: operation({ consumes: ['multipart/form-data'], parameters: [
      { name: 'file', in: 'formData', type: 'file' },
      { name: 'title', in: 'formData', type: 'string' }], ...OK_200 }, { swagger: '2.0' }),
    seen: { request: { 'multipart/form-data': pairs(['title=x&owner=y']) } },
    want: ['undocumented-field request multipart:owner'],
  },
];

for (const row of ROWS) {
  test(`drift: ${row.name}`, () => {
    const drift = endpointDrift(input(row.op, row.seen));
    assert.deepEqual(brief(drift), row.want);
    for (const [i, part] of (row.details ?? []).entries()) {
      assert.ok(drift[i]!.detail.includes(part), `${drift[i]!.detail} lacks "${part}"`);
    }
  });
}

test('drift is bounded, keeps entries carrying personal data first, and never holds a value',
  () => {
    const props: Obj = {};
    const body: Obj = {};
    for (let i = 0; i < 80; i++) body[`f${String(i).padStart(2, '0')}`] = 'secret-value-' + i;
    body.zz_email = 'someone@example.com';
    const op = operation(BODY({ type: 'object', properties: props }));
    // `properties: {}` is free-form: close it so every field is undocumented.
    op.requestBody!.content['application/json']!.additionalProperties = false;
    const drift = endpointDrift(input(op, {
      request: { 'application/json': json([body]) },
      pii: [{ kind: 'email', in: 'request', location: 'body:/zz_email' }],
    }), 10);
    assert.equal(drift.length, 10);
    assert.deepEqual(brief(drift.slice(0, 2)), [
      'undocumented-field request body:/zz_email [email]',
      'undocumented-field request body:/f00',
    ]);
    const text = JSON.stringify(drift);
    assert.ok(!text.includes('secret-value') && !text.includes('someone@'), text);
  });

test('drift is the same whatever order the observations were merged in', () => {
  const op = operation(BODY({ type: 'object', properties: { a: { type: 'integer' } } }));
  const docs = [{ a: 1, b: 'x' }, { a: 'two', c: [1] }, { a: 3, b: null }];
  const one = endpointDrift(input(op, { request: { 'application/json': json(docs) } }));
  const two = endpointDrift(input(op, {
    request: { 'application/json': json([...docs].reverse()) } }));
  assert.deepEqual(two, one);
  assert.deepEqual(brief(one), ['undocumented-field request body:/b',
    'undocumented-field request body:/c', 'type-mismatch request body:/a']);
});

test('an operation from a catalog stored before bodies were kept compares what it can', () => {
  const op = operation({ security: [{ b: [] }], ...OK_200 },
    { components: { securitySchemes: { b: { type: 'http', scheme: 'bearer' } } } });
  delete op.requestBody;
  delete op.responses;
  const drift = endpointDrift(input(op, { auth: ['none'], query: ['x=1'],
    request: { 'application/json': json([{ a: 1 }]) }, statusCodes: { 500: 1 } }));
  assert.deepEqual(brief(drift), ['missing-auth request security',
    'undocumented-param request query:x']);
});
