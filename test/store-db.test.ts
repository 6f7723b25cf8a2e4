// The SQLite store: schema versioning, merging of runs, file digests, read-only use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../src/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/store/schema.js';
import { ShadowtapError } from '../src/errors.js';
import { emptyEndpointSchema } from '../src/infer/schema.js';
import type { HostLoss } from '../src/pipeline/loss.js';

function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'shadowtap-store-')), 'test.db');
}

function endpoint(requests: number, first: number, last: number, codes: Record<string, number>) {
  return {
    host: 'api.example.test',
    method: 'GET',
    template: '/users/{userId}',
    params: [{ name: 'userId', position: 1, kind: 'integer' as const }],
    requests,
    statusCodes: codes,
    auth: ['bearer'],
    requestTypes: [],
    responseTypes: ['application/json'],
    queryNames: ['page'],
    firstSeen: first,
    lastSeen: last,
    gapBytes: 0,
    schema: emptyEndpointSchema(),
    pii: {},
  };
}

function commit(
  store: Store, sha: string, ep: ReturnType<typeof endpoint>, hostLoss: HostLoss[] = [],
): number {
  const id = store.beginRun('replay x.pcap', 1000);
  store.commitRun({
    id, finishedAt: 1001, captureFirst: ep.firstSeen, captureLast: ep.lastSeen, packets: 10,
    bytes: 1000, flows: 1, exchanges: ep.requests, anomalies: { 'tcp-gap': 1 },
    gapBytes: ep.gapBytes + hostLoss.reduce((n, h) => n + h.gapBytes, 0), hostLoss,
    files: [{ sha256: sha, path: `${sha}.pcap`, size: 1000, packets: 10, truncated: false }],
    endpoints: [ep], catalog: null,
  });
  return id;
}

test('a new database is created in WAL mode at the current schema version', () => {
  const file = tempDb();
  Store.open(file).close();
  const db = new Database(file, { readonly: true });
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
});

test('a second run merges: counts add up, first and last seen widen, sets union', () => {
  const store = Store.open(tempDb());
  const run1 = commit(store, 'aa', endpoint(3, 100, 200, { '200': 2, '404': 1 }));
  const second = endpoint(2, 50, 150, { '200': 1, '500': 1 });
  second.auth = ['basic'];
  second.queryNames = ['limit'];
  const run2 = commit(store, 'bb', second);
  const [e] = store.endpoints();
  assert.ok(e);
  assert.equal(e.requests, 5);
  assert.deepEqual(e.statusCodes, { '200': 3, '404': 1, '500': 1 });
  assert.equal(e.firstSeen, 50);
  assert.equal(e.lastSeen, 200);
  assert.deepEqual(e.auth, ['basic', 'bearer']);
  assert.deepEqual(e.queryNames, ['limit', 'page']);
  assert.equal(e.firstRun, run1);
  assert.equal(e.lastRun, run2);
  assert.deepEqual(store.findFile('aa'), { path: 'aa.pcap', runId: run1 });
  assert.equal(store.findFile('cc'), null);
  assert.equal(store.latestRun()?.id, run2);
  assert.deepEqual(store.latestRun()?.anomalies, { 'tcp-gap': 1 });
  store.close();
});

test('capture loss adds up across runs, per endpoint and per host; prune drops old hosts', () => {
  const store = Store.open(tempDb());
  const first = endpoint(3, 100, 200, { '200': 3 });
  first.gapBytes = 14;
  commit(store, 'aa', first, [{ host: 'api.example.test', gapBytes: 40, lastSeen: 150 }]);
  const second = endpoint(1, 300, 400, { '200': 1 });
  second.gapBytes = 6;
  commit(store, 'bb', second, [
    { host: 'api.example.test', gapBytes: 2, lastSeen: 390 },
    { host: '10.0.0.9', gapBytes: 9, lastSeen: 120 },
  ]);
  assert.equal(store.endpoints()[0]!.gapBytes, 20);
  assert.equal(store.latestRun()!.gapBytes, 6 + 2 + 9);
  assert.deepEqual(store.hostLoss(), [
    { host: '10.0.0.9', gapBytes: 9, lastSeen: 120 },
    { host: 'api.example.test', gapBytes: 42, lastSeen: 390 },
  ]);
  assert.equal(store.pruneEndpoints(130), 0); // the endpoint was last seen at 400
  assert.deepEqual(store.hostLoss().map((h) => h.host), ['api.example.test']);
  store.close();
});

test('a file that is not a database gives a one-line db-error naming it', () => {
  const file = tempDb();
  writeFileSync(file, 'this is not sqlite, just text that is long enough to be a header......');
  assert.throws(
    () => Store.open(file),
    (e: unknown) =>
      e instanceof ShadowtapError && e.code === 'db-error' && e.message.startsWith(file) &&
      !e.message.includes('\n'),
  );
});

test('read-only open of a missing database fails without creating it', () => {
  const file = tempDb();
  assert.throws(() => Store.open(file, { readonly: true }), ShadowtapError);
});

test('the stored catalog round-trips as plain JSON', () => {
  const store = Store.open(tempDb());
  const id = store.beginRun('replay', 1);
  const catalog = { files: ['spec.yaml'], operations: [] };
  store.commitRun({
    id, finishedAt: 2, captureFirst: null, captureLast: null, packets: 0, bytes: 0, flows: 0,
    exchanges: 0, anomalies: {}, gapBytes: 0, hostLoss: [], files: [], endpoints: [], catalog,
  });
  assert.deepEqual(store.catalog(), catalog);
  store.close();
});

test('regression: read-only commands upgrade a database of an earlier schema first', () => {
  const file = tempDb();
  // A database as the first shadowtap left it: schema 1 only.
  const raw = new Database(file);
  raw.exec(MIGRATIONS[0]!);
  raw.pragma('user_version = 1');
  raw.close();
  const store = Store.open(file, { readonly: true });
  assert.deepEqual(store.endpoints(), []);
  store.close();
  const check = new Database(file, { readonly: true });
  assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  check.close();
});
