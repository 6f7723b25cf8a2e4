// Risk ranking: the order of the levels (personal data where undocumented or open to
// callers without credentials, then shadow/zombie, then drift, scanner noise last), the
// score inside a level, and how the report orders its JSON, table and Markdown by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DriftEntry } from '../src/catalog/drift-types.js';
import { extractOperations } from '../src/catalog/extract.js';
import type { Catalog } from '../src/catalog/types.js';
import { DEFAULT_LIMITS } from '../src/config/limits.js';
import { emptyEndpointSchema, type EndpointSchema } from '../src/infer/schema.js';
import { observeJson } from '../src/infer/schema-observe.js';
import type { PiiKind } from '../src/pii/types.js';
import { buildReport } from '../src/report/model.js';
import { renderMarkdown, renderTable } from '../src/report/render.js';
import { assessRisk, type RiskInput, type RiskLevel } from '../src/report/risk.js';
import type { EndpointRecord, StoredPii } from '../src/store/db.js';

type Pii = RiskInput['pii'][number];
const pii = (kind: PiiKind, side: 'request' | 'response', location: string): Pii =>
  ({ kind, in: side, location });
const drift = (kind: DriftEntry['kind'], location: string, kinds?: PiiKind[]): DriftEntry => {
  const d: DriftEntry = { kind, in: 'request', location, detail: 'x' };
  if (kinds !== undefined) d.pii = kinds;
  return d;
};

interface Row {
  name: string;
  input: RiskInput;
  level: RiskLevel;
  reason: RegExp;
}

const ROWS: Row[] = [
  { name: 'shadow endpoint carrying personal data',
    input: { status: 'shadow', auth: ['bearer'], pii: [pii('email', 'response', 'body:/email')],
      drift: [] },
    level: 'critical', reason: /^shadow endpoint carries personal data: email$/ },
  { name: 'undocumented field carrying personal data on a documented endpoint',
    input: { status: 'documented', auth: ['basic'], pii: [pii('ssn', 'request', 'body:/ssn')],
      drift: [drift('undocumented-field', 'body:/ssn', ['ssn'])] },
    level: 'critical', reason: /undocumented fields carry personal data: request body:\/ssn/ },
  { name: 'personal data answered to requests without credentials',
    input: { status: 'documented', auth: ['none'], pii: [pii('phone', 'response', 'body:/p')],
      drift: [] },
    level: 'critical', reason: /without credentials reach responses carrying .*phone/ },
  { name: 'shadow endpoint without personal data',
    input: { status: 'shadow', auth: ['bearer'], pii: [], drift: [] },
    level: 'high', reason: /^shadow endpoint, no personal data seen$/ },
  { name: 'zombie endpoint without personal data',
    input: { status: 'zombie', auth: ['bearer'], pii: [], drift: [] },
    level: 'high', reason: /^zombie endpoint/ },
  { name: 'unknown host without personal data',
    input: { status: 'unknown-host', auth: ['none'], pii: [], drift: [] },
    level: 'high', reason: /host no catalog covers/ },
  { name: 'documented, security required, requests without credentials',
    input: { status: 'documented', auth: ['none'], pii: [],
      drift: [{ kind: 'missing-auth', in: 'request', location: 'security',
        detail: 'spec requires b (http bearer); some requests carried no credentials' }] },
    level: 'medium', reason: /^spec requires b/ },
  { name: 'documented with an undocumented parameter',
    input: { status: 'documented', auth: ['bearer'], pii: [],
      drift: [drift('undocumented-param', 'query:debug')] },
    level: 'medium', reason: /1 undocumented field\(s\) or parameter\(s\): request query:debug/ },
  { name: 'documented with a type mismatch',
    input: { status: 'documented', auth: ['bearer'], pii: [],
      drift: [drift('type-mismatch', 'body:/qty')] },
    level: 'medium', reason: /type or format mismatch/ },
  { name: 'documented with an undocumented status only',
    input: { status: 'documented', auth: ['bearer'], pii: [],
      drift: [{ kind: 'undocumented-status', in: 'response', location: 'status:500',
        detail: 'x' }] },
    level: 'low', reason: /^undocumented status code\(s\): 500$/ },
  { name: 'documented personal data behind credentials',
    input: { status: 'documented', auth: ['bearer'], pii: [pii('email', 'request', 'body:/e')],
      drift: [] },
    level: 'low', reason: /where documented: email/ },
  { name: 'documented and clean', input: { status: 'documented', auth: ['bearer'], pii: [],
    drift: [] }, level: 'info', reason: /^$/ },
  { name: 'scanner noise', input: { status: 'not-found', auth: ['none'],
    pii: [pii('email', 'request', 'query:e')], drift: [] },
  level: 'info', reason: /^scanner noise/ },
];

const ORDER: RiskLevel[] = ['critical', 'high', 'medium', 'low', 'info'];

for (const row of ROWS) {
  test(`risk: ${row.name} is ${row.level}`, () => {
    const r = assessRisk(row.input);
    assert.equal(r.level, row.level);
    assert.match(r.reasons[0] ?? '', row.reason);
    assert.ok(r.reasons.length <= 6);
  });
}

test('every level outranks the next: scores never overlap across levels', () => {
  const scored = ROWS.map((r) => ({ level: r.level, score: assessRisk(r.input).score }));
  for (const a of scored) {
    for (const b of scored) {
      if (ORDER.indexOf(a.level) < ORDER.indexOf(b.level)) {
        assert.ok(a.score > b.score, `${a.level} ${a.score} vs ${b.level} ${b.score}`);
      }
    }
  }
  const noise = scored[scored.length - 1]!;
  assert.equal(noise.score, Math.min(...scored.map((s) => s.score)));
});

test('inside a level, more reasons and more sensitive kinds score higher, up to 100', () => {
  const base: RiskInput = { status: 'shadow', auth: ['bearer'],
    pii: [pii('email', 'response', 'body:/e')], drift: [] };
  const card: RiskInput = { ...base,
    pii: [...base.pii, pii('credit_card', 'response', 'body:/c')] };
  const open: RiskInput = { ...card, auth: ['bearer', 'none'] };
  const a = assessRisk(base).score;
  const b = assessRisk(card).score;
  const c = assessRisk(open).score;
  assert.ok(a < b && b < c, `${a} ${b} ${c}`);
  const all: RiskInput = { ...open, pii: (['credit_card', 'iban', 'ssn', 'password', 'jwt',
    'private_key', 'api_key'] as PiiKind[]).map((k) => pii(k, 'response', 'body:/' + k)) };
  assert.equal(assessRisk(all).score, 100);
});

// A small inventory: one catalog host, documented, zombie and missing operations.
const HOST = 'api.example.test';

function catalog(): Catalog {
  const doc = {
    openapi: '3.1.0', info: { title: 't', version: '1' }, servers: [{ url: `http://${HOST}` }],
    paths: {
      '/users': {
        get: { responses: { 200: { description: 'ok' } } },
        post: { requestBody: { content: { 'application/json': { schema: { type: 'object',
          properties: { name: { type: 'string' } } } } } },
        responses: { 201: { description: 'ok' } } },
      },
      '/old': { get: { deprecated: true, responses: { 200: { description: 'ok' } } } },
    },
  };
  return { files: ['t.json'], operations: extractOperations(doc, { specFile: 't.json',
    boundHosts: [], maxServerExpansions: 4 }) };
}

function record(method: string, template: string, extra: {
  status?: string; pii?: StoredPii[]; body?: unknown; auth?: string[];
} = {}): EndpointRecord {
  const schema: EndpointSchema = emptyEndpointSchema();
  schema.n = 3;
  if (extra.body !== undefined) {
    schema.request = { 'application/json': observeJson(extra.body, DEFAULT_LIMITS) };
  }
  return {
    host: HOST, method, template, params: [], requests: 3,
    statusCodes: { [extra.status ?? '200']: 3 }, auth: extra.auth ?? ['bearer'],
    requestTypes: [], responseTypes: [], queryNames: [], firstSeen: 1.7e9, lastSeen: 1.7e9 + 1,
    firstRun: 1, lastRun: 1, gapBytes: 0, schema, pii: extra.pii ?? [],
  } as EndpointRecord;
}

const stored = (kind: PiiKind, side: 'request' | 'response', location: string): StoredPii =>
  ({ kind, in: side, location, count: 1, confidence: 0.99, preview: 'j***@e***.com',
    distinct: 1 });

function inventory(): EndpointRecord[] {
  return [
    record('GET', '/users'),
    record('POST', '/users', { status: '201', body: { name: 'x', ssn: 'y' },
      pii: [stored('ssn', 'request', 'body:/ssn')] }),
    record('GET', '/admin/export', { pii: [stored('email', 'response', 'body:/*/email')] }),
    record('GET', '/debug'),
    record('GET', '/old'),
    record('GET', '/.env', { status: '404', auth: [] }),
  ];
}

test('the JSON lists endpoints by risk; the table and Markdown keep status groups', () => {
  const report = buildReport(inventory(), catalog(), null, 0);
  const key = (e: { method: string; path: string }) => `${e.method} ${e.path}`;
  const json = report.endpoints.map((e) => `${key(e)} ${e.status} ${e.risk.level}`);
  // The two critical ones by their own scores (an SSN outweighs an email), then the rest.
  assert.deepEqual(json.slice(0, 2).sort(), [
    'GET /admin/export shadow critical',
    'POST /users documented critical',
  ]);
  assert.deepEqual(json.slice(2), [
    'GET /debug shadow high',
    'GET /old zombie high',
    'GET /users documented info',
    'GET /.env not-found info',
  ]);
  const scores = report.endpoints.map((e) => e.risk.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  const post = report.endpoints.find((e) => key(e) === 'POST /users')!;
  assert.deepEqual(post.drift.map((d) => [d.kind, d.location, d.pii]),
    [['undocumented-field', 'body:/ssn', ['ssn']]]);
  // Table rows: shadow group first (by risk inside), then zombie, documented, not-found.
  const table = renderTable(report);
  const at = (s: string): number => table.indexOf(s);
  assert.ok(at('/admin/export') < at('/debug') && at('/debug') < at('/old'));
  assert.ok(at('GET    │ /users') > at('POST'), 'documented: critical before info');
  assert.ok(at('/old') < at('POST') && at('POST') < at('/.env'));
  assert.match(table, /critical 9\d|critical 8\d/);
  const md = renderMarkdown(report);
  assert.match(md, /\| critical \d+ \| api\.example\.test \| POST \| `\/users`/);
  assert.match(md, /undocumented fields carry personal data: request body:\/ssn \(ssn\)/);
  assert.ok(!md.includes('j***@'), 'previews stay in the pii list, not in reasons');
});
