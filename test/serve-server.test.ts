// serve end to end over HTTP on 127.0.0.1: the same rows as `report --format json`,
// triage stored and honoured, the guards (Host, same origin, JSON only, token,
// read-only, body size), decisions kept across a new replay, and no planted value in
// any answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { limitsWith } from '../src/config/limits.js';
import { startServer, type RunningServer } from '../src/serve/server.js';
import { Store } from '../src/store/db.js';
import { shadowtap } from './helpers/cli.js';
import {
  corpusCaptures, jsonReport, leaked, plantedSecrets, replayCapture, TRAFFIC, type JsonEndpoint,
} from './helpers/review.js';

interface Answer { status: number; headers: Record<string, unknown>; body: string }

function call(base: string, path: string, opts: { method?: string; headers?: Record<string,
  string>; body?: string } = {}): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    // A fresh connection per call: a kept-alive one may have timed out during a replay.
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {},
      agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers,
          body: Buffer.concat(parts).toString('utf8') }));
      });
    req.on('error', (e) => reject(new Error(`${opts.method ?? 'GET'} ${path}: ${e.message}`)));
    req.end(opts.body);
  });
}

function post(s: RunningServer, body: unknown, headers: Record<string, string> = {}) {
  const origin = s.url.replace(/\/$/, '');
  return call(s.url, '/api/triage', { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Origin: origin, ...headers } });
}

const captures = corpusCaptures();
const NAME = captures.includes('vampi') ? 'vampi' : captures[0];
const limits = limitsWith();

test('serve shows the JSON report rows and keeps decisions across a new replay', async (t) => {
  if (NAME === undefined) {
    t.skip('no corpus traffic captures in ../shared/corpus/traffic');
    return;
  }
  const { db } = replayCapture(NAME);
  const json = jsonReport(db);
  const store = Store.open(db);
  const s = await startServer({ store, catalog: null, limits, host: '127.0.0.1', port: 0,
    token: null, readOnly: false });
  const bodies: string[] = [];
  try {
    const page = await call(s.url, '/');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    bodies.push(page.body);
    const first = await call(s.url, '/api/report');
    assert.equal(first.status, 200);
    bodies.push(first.body);
    const data = JSON.parse(first.body) as { canTriage: boolean; report: { endpoints:
      JsonEndpoint[] } };
    assert.equal(data.canTriage, true);
    const shadow = (rows: JsonEndpoint[]) => rows.filter((e) => e.status === 'shadow');
    assert.deepEqual(shadow(data.report.endpoints), shadow(json.endpoints));
    assert.ok(shadow(json.endpoints).length > 0);

    const target = shadow(json.endpoints)[0]!;
    const key = { host: target.host, method: target.method, template: target.template };
    // Guards: each refusal leaves the database untouched.
    const evilHost = await call(s.url, '/api/report', { headers: { Host: 'attacker.test:80' } });
    assert.equal(evilHost.status, 421);
    assert.equal((await post(s, { ...key, verdict: 'accepted' }, { Origin: 'http://evil.test' }))
      .status, 403);
    assert.equal((await post(s, { ...key, verdict: 'accepted' },
      { 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    const noOrigin = await call(s.url, '/api/triage', { method: 'POST', body: JSON.stringify(
      { ...key, verdict: 'accepted' }), headers: { 'Content-Type': 'application/json' } });
    assert.equal(noOrigin.status, 403, 'no Origin and no Fetch Metadata: refused');
    assert.equal((await post(s, { ...key, verdict: 'accepted' }, { 'Content-Type': 'text/plain' }))
      .status, 415);
    assert.equal((await post(s, { ...key, verdict: 'maybe' })).status, 400);
    assert.equal((await post(s, { ...key, template: '/nowhere', verdict: 'accepted' })).status,
      404);
    assert.equal((await post(s, { ...key, verdict: 'accepted',
      note: 'x'.repeat(limits.serveMaxBodyBytes) })).status, 413);
    assert.deepEqual(store.triage(), []);

    const ok = await post(s, { ...key, verdict: 'accepted', note: 'owned by CRM' },
      { 'X-Shadowtap-User': 'ana' });
    assert.equal(ok.status, 200, ok.body);
    const after = JSON.parse((await call(s.url, '/api/report')).body) as typeof data;
    const row = after.report.endpoints.find((e) => e.host === key.host &&
      e.method === key.method && e.template === key.template)!;
    assert.equal(row.status, 'accepted');
    assert.deepEqual([row.triage?.verdict, row.triage?.was, row.triage?.who, row.triage?.note],
      ['accepted', 'shadow', 'ana', 'owned by CRM']);
    const trail = JSON.parse((await call(s.url, '/api/triage')).body) as { history: unknown[] };
    assert.equal(trail.history.length, 1);
    const overlay = await call(s.url, '/api/overlay');
    assert.ok(JSON.parse(overlay.body).paths[target.path], 'the accepted endpoint is exported');
    bodies.push(after.report.endpoints.length > 0 ? JSON.stringify(after) : '', overlay.body);

    // Another capture of the same traffic into the same database: counts grow, the
    // decision stays, and the live view sees it without a restart.
    const again = shadowtap(['replay', join(TRAFFIC, NAME, 'capture.pcapng'), '--db', db,
      '--no-report']);
    assert.equal(again.status, 0, again.stderr);
    const later = JSON.parse((await call(s.url, '/api/report')).body) as typeof data;
    const row2 = later.report.endpoints.find((e) => e.template === key.template &&
      e.host === key.host && e.method === key.method)!;
    assert.equal(row2.requests, row.requests * 2);
    assert.equal(row2.status, 'accepted');
    assert.equal(jsonReport(db).endpoints.find((e) => e.template === key.template &&
      e.host === key.host && e.method === key.method)?.status, 'accepted');
    bodies.push(JSON.stringify(later));
  } finally {
    await s.close();
    store.close();
  }
  assert.deepEqual(leaked(bodies.join('\n'), plantedSecrets(NAME)), []);
});

test('read-only refuses triage; a token guards every API call; off loopback needs one',
  async (t) => {
    if (NAME === undefined) {
      t.skip('no corpus traffic captures in ../shared/corpus/traffic');
      return;
    }
    const { db } = replayCapture(NAME);
    const ro = Store.open(db, { readonly: true });
    const s = await startServer({ store: ro, catalog: null, limits, host: '127.0.0.1', port: 0,
      token: null, readOnly: true });
    try {
      const data = JSON.parse((await call(s.url, '/api/report')).body) as { canTriage: boolean;
        report: { endpoints: JsonEndpoint[] } };
      assert.equal(data.canTriage, false);
      const e = data.report.endpoints[0]!;
      const r = await post(s, { host: e.host, method: e.method, template: e.template,
        verdict: 'accepted' });
      assert.equal(r.status, 403);
    } finally {
      await s.close();
      ro.close();
    }
    const store = Store.open(db);
    const guarded = await startServer({ store, catalog: null, limits, host: '127.0.0.1',
      port: 0, token: 's3cret-token', readOnly: false });
    try {
      assert.equal((await call(guarded.url, '/api/report')).status, 401);
      assert.equal((await call(guarded.url, '/api/report',
        { headers: { 'X-Shadowtap-Token': 'wrong' } })).status, 401);
      assert.equal((await call(guarded.url, '/api/report',
        { headers: { 'X-Shadowtap-Token': 's3cret-token' } })).status, 200);
      assert.equal((await call(guarded.url, '/api/health',
        { headers: { Authorization: 'Bearer s3cret-token' } })).status, 200);
      assert.equal((await call(guarded.url, '/')).status, 200, 'the page itself holds no data');
    } finally {
      await guarded.close();
    }
    // Refused before anything listens: no socket is opened on another address.
    await assert.rejects(startServer({ store, catalog: null, limits, host: '0.0.0.0', port: 0,
      token: null, readOnly: false }), /give --token/);
    store.close();
  });
