// Reviewers' decisions: one per endpoint, replaced by the next, cleared on request,
// every change in the trail, and untouched by new replays into the same database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { emptyEndpointSchema } from '../src/infer/schema.js';
import { Store } from '../src/store/db.js';
import { readAlerts } from '../src/store/alerts-view.js';

const KEY = { host: 'api.example.test', method: 'POST', template: '/internal/v2/users' };

function replayInto(store: Store, sha: string): void {
  const id = store.beginRun('replay', 1);
  store.commitRun({
    id, finishedAt: 2, captureFirst: 10, captureLast: 20, packets: 1, bytes: 1, flows: 1,
    exchanges: 1, anomalies: {}, gapBytes: 0, hostLoss: [], catalog: null,
    files: [{ sha256: sha, path: sha, size: 1, packets: 1, truncated: false }],
    endpoints: [{ ...KEY, params: [], requests: 1, statusCodes: { '201': 1 }, auth: [],
      requestTypes: [], responseTypes: [], queryNames: [], firstSeen: 10, lastSeen: 20,
      gapBytes: 0, schema: emptyEndpointSchema(), pii: {} }],
  });
}

test('a decision replaces the previous one and both stay in the trail', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'shadowtap-triage-')), 't.db');
  const store = Store.open(file);
  replayInto(store, 'a');
  store.setTriage({ ...KEY, verdict: 'needs-owner', note: 'whose?', who: 'ana', at: 100 });
  store.setTriage({ ...KEY, verdict: 'accepted', note: 'CRM team', who: 'bo', at: 200 });
  assert.deepEqual(store.triage(), [{ ...KEY, verdict: 'accepted', note: 'CRM team', who: 'bo',
    at: 200 }]);
  assert.deepEqual(store.triageHistory(10).map((e) => [e.verdict, e.who]),
    [['accepted', 'bo'], ['needs-owner', 'ana']]);
  replayInto(store, 'b');
  store.close();
  const again = Store.open(file, { readonly: true });
  assert.equal(again.triage()[0]?.verdict, 'accepted', 'kept across replays and reopening');
  again.close();
});

test('clearing removes the decision and is logged; clearing nothing is a no-op', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'shadowtap-triage-')), 't.db');
  const store = Store.open(file);
  store.setTriage({ ...KEY, verdict: 'false-positive', note: '', who: 'ana', at: 1 });
  assert.equal(store.clearTriage(KEY, 'bo', 2), true);
  assert.equal(store.clearTriage(KEY, 'bo', 3), false);
  assert.deepEqual(store.triage(), []);
  assert.deepEqual(store.triageHistory(10).map((e) => e.verdict), [null, 'false-positive']);
  store.close();
});

test('alerts are read when the database has an alerts table, null when it has none', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'shadowtap-triage-')), 't.db');
  const raw = new Database(file);
  assert.equal(readAlerts(raw, 10), null, 'no alerts table: nothing to show');
  raw.exec('CREATE TABLE alerts (id INTEGER PRIMARY KEY, detector TEXT, endpoints TEXT)');
  raw.prepare('INSERT INTO alerts (detector, endpoints) VALUES (?, ?)').run('enumeration',
    JSON.stringify([{ host: 'h', method: 'GET', path: '/u/{id}' }]));
  raw.prepare('INSERT INTO alerts (detector, endpoints) VALUES (?, ?)').run('injection', '[]');
  assert.deepEqual(readAlerts(raw, 10), [
    { id: 2, detector: 'injection', endpoints: [] },
    { id: 1, detector: 'enumeration', endpoints: [{ host: 'h', method: 'GET', path: '/u/{id}' }] },
  ], 'newest first, JSON columns parsed');
  assert.equal(readAlerts(raw, 1)?.length, 1);
  raw.close();
});
