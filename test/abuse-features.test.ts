// Per-client window features on hand-made event streams: credential stuffing,
// enumeration, scraping, floods, probes; window rules, user-agent history and caps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../src/anomalies.js';
import { DEFAULT_LIMITS, limitsWith } from '../src/config/limits.js';
import {
  chooseWindowSec, extractWindows, FEATURE_NAMES, SHARE_PRIOR, WindowAggregator,
  type FeatureName, type WindowRow,
} from '../src/abuse/features.js';
import { ev } from './helpers/abuse-events.js';

const T0 = 1_700_000_000;

function f(row: WindowRow, name: FeatureName): number {
  return row.features[FEATURE_NAMES.indexOf(name)] as number;
}

function rowsOf(events: ReturnType<typeof ev>[], windowSec = 60) {
  return extractWindows(events, { windowSec, limits: DEFAULT_LIMITS });
}

function addressRow(rows: WindowRow[], address: string, start?: number): WindowRow {
  const r = rows.find((x) => x.kind === 'address' && x.key === address &&
    (start === undefined || x.window.start === start));
  assert.ok(r, `no address row for ${address}`);
  return r;
}

test('credential stuffing: many 401s on /login, then a 200', () => {
  const events = [];
  for (let i = 0; i < 40; i++) {
    events.push(ev(T0 + i * 0.5, { method: 'POST', template: '/login', status: 401,
      loginAttempt: 'failure', responseBytes: 60 }));
  }
  events.push(ev(T0 + 21, { method: 'POST', template: '/login', status: 200,
    loginAttempt: 'success', responseBytes: 180 }));
  const { rows } = rowsOf(events);
  assert.equal(rows.length, 1); // no principal: only the address row
  const r = addressRow(rows, '10.0.0.1');
  assert.equal(f(r, 'requests'), 41);
  assert.equal(f(r, 'distinctEndpoints'), 1);
  assert.equal(f(r, 'loginFailures'), 40);
  assert.equal(f(r, 'loginFailuresThenSuccess'), 40);
  assert.equal(f(r, 'shareAuthFailed'), 40 / (41 + SHARE_PRIOR));
  assert.equal(f(r, 'responseBytes'), 40 * 60 + 180);
  assert.equal(f(r, 'maxPerSecond'), 2);
});

test('failures not followed by a success are failures only', () => {
  const events = [0, 1, 2].map((i) => ev(T0 + i, { method: 'POST', template: '/login',
    status: 401, loginAttempt: 'failure' }));
  const r = addressRow(rowsOf(events).rows, '10.0.0.1');
  assert.equal(f(r, 'loginFailures'), 3);
  assert.equal(f(r, 'loginFailuresThenSuccess'), 0);
});

test('enumeration: distinct values of one templated parameter', () => {
  const events = [];
  for (let id = 1; id <= 30; id++) {
    events.push(ev(T0 + id * 0.2, { template: '/users/{id}', params: { id: String(id) },
      principal: 'jwt:abc' }));
  }
  events.push(ev(T0 + 7, { template: '/users/{id}', params: { id: '5' }, principal: 'jwt:abc' }));
  const { rows } = rowsOf(events);
  assert.equal(rows.length, 2);
  for (const r of rows) assert.equal(f(r, 'maxDistinctParamValues'), 30);
  const p = rows.find((r) => r.kind === 'principal');
  assert.equal(p?.key, 'jwt:abc');
  assert.equal(p?.clientAddress, '10.0.0.1');
  assert.equal(addressRow(rows, '10.0.0.1').client, 'jwt:abc');
});

test('scraping: many endpoints and bytes; shares of 404 and 5xx; shadow requests', () => {
  const events = [];
  for (let i = 0; i < 50; i++) {
    const status = i % 10 === 0 ? 404 : i % 25 === 1 ? 503 : 200;
    events.push(ev(T0 + i, { template: `/catalog/section${i % 12}`, status,
      responseBytes: 10_000, shadow: i % 5 === 0 }));
  }
  const r = addressRow(rowsOf(events).rows, '10.0.0.1');
  assert.equal(f(r, 'distinctEndpoints'), 12);
  assert.equal(f(r, 'responseBytes'), 500_000);
  assert.equal(f(r, 'shareNotFound'), 5 / (50 + SHARE_PRIOR));
  assert.equal(f(r, 'shareServerError'), 2 / (50 + SHARE_PRIOR));
  assert.equal(f(r, 'shadowRequests'), 10);
  assert.equal(r.endpoints.length, DEFAULT_LIMITS.abuseMaxAlertEndpoints);
  assert.ok(r.endpoints.every((e) => e.path.startsWith('/catalog/section')));
});

test('flood: a burst inside one second of capture time', () => {
  const events = [];
  for (let i = 0; i < 300; i++) events.push(ev(T0 + 10 + i / 400, { template: '/search' }));
  events.push(ev(T0 + 30, { template: '/search' }));
  const r = addressRow(rowsOf(events).rows, '10.0.0.1');
  assert.equal(f(r, 'requests'), 301);
  assert.equal(f(r, 'maxPerSecond'), 300);
});

test('injection: probes counted per kind with redacted examples', () => {
  const events = [
    ev(T0, { template: '/search', probes: ['sql'] }),
    ev(T0 + 1, { template: '/files/{name}', params: { name: '../../etc/passwd' },
      probes: ['traversal'] }),
    ev(T0 + 2, { template: '/search', probes: ['sql', 'command'] }),
    ev(T0 + 3, { template: '/products' }),
  ];
  const r = addressRow(rowsOf(events).rows, '10.0.0.1');
  assert.deepEqual(r.probes, { sql: 2, traversal: 1, command: 1 });
  assert.deepEqual(r.probeExamples, ['GET /search', 'GET /files/{name}']);
  assert.ok(!JSON.stringify(r).includes('passwd'));
});

test('windows follow capture time; new user agents are new to the client, not the window', () => {
  // The first agent of a client is not new; b and c are, once each.
  const events = [
    ev(T0, { userAgent: 'a' }), ev(T0 + 10, { userAgent: 'a' }),
    ev(T0 + 65, { userAgent: 'a' }),
    ev(T0 + 125, { userAgent: 'a' }), ev(T0 + 126, { userAgent: 'b' }),
    ev(T0 + 127, { userAgent: 'c' }), ev(T0 + 128, { userAgent: 'b' }),
  ];
  const { rows } = rowsOf(events);
  assert.deepEqual(rows.map((r) => r.window.start), [T0, T0 + 60, T0 + 120]);
  assert.deepEqual(rows.map((r) => f(r, 'newUserAgents')), [0, 0, 2]);
  assert.deepEqual(rows.map((r) => f(r, 'requests')), [2, 1, 4]);
});

test('push() hands back closed windows as capture time passes; late events are counted', () => {
  const agg = new WindowAggregator({ windowSec: 10, limits: DEFAULT_LIMITS });
  assert.deepEqual(agg.push(ev(T0)), []);
  assert.deepEqual(agg.push(ev(T0 + 5)), []);
  const closed = agg.push(ev(T0 + 31));
  assert.equal(closed.length, 1);
  assert.deepEqual(closed[0]?.window, { start: T0, end: T0 + 10 });
  assert.deepEqual(agg.push(ev(T0 + 2)), []); // late: counted in the open window
  assert.equal(agg.stats.lateEvents, 1);
  const last = agg.flush();
  assert.equal(last[0]?.window.start, T0 + 30);
  assert.equal(f(last[0] as WindowRow, 'requests'), 2);
});

test('clients over the per-window cap are counted as anomalies, not tracked', () => {
  const anomalies = new AnomalyCounter();
  const limits = limitsWith({ abuseMaxClientsPerWindow: 2 });
  const events = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.3'].map((a, i) =>
    ev(T0 + i, { clientAddress: a }));
  const { rows, stats } = extractWindows(events, { windowSec: 60, limits, anomalies });
  assert.deepEqual(rows.map((r) => r.key), ['10.0.0.1', '10.0.0.2']);
  assert.equal(stats.clientsOverLimit, 2);
  assert.equal(anomalies.counts['abuse-client-limit'], 2);
});

test('distinct values saturate at their cap and say so', () => {
  const limits = limitsWith({ abuseMaxValuesPerParam: 10 });
  const events = Array.from({ length: 25 }, (_, i) =>
    ev(T0 + i, { template: '/users/{id}', params: { id: String(i) } }));
  const { rows, stats } = extractWindows(events, { windowSec: 60, limits });
  assert.equal(f(rows[0] as WindowRow, 'maxDistinctParamValues'), 10);
  assert.equal(stats.saturated, 15);
});

test('the same events give the same rows', () => {
  const events = Array.from({ length: 200 }, (_, i) => ev(T0 + i * 0.7, {
    clientAddress: `10.0.0.${i % 7}`, principal: i % 3 === 0 ? `apikey:${i % 4}` : null,
    template: i % 2 ? '/a/{id}' : '/b', params: i % 2 ? { id: String(i * 13 % 17) } : {},
    status: [200, 404, 401, 500][i % 4] as number,
  }));
  assert.deepEqual(rowsOf(events).rows, rowsOf(events).rows);
});

test('window length: 60 s by default, shorter for short captures, never under 5 s', () => {
  assert.equal(chooseWindowSec(null), 60);
  assert.equal(chooseWindowSec(6 * 3600), 60);
  assert.equal(chooseWindowSec(600), 30);
  assert.equal(chooseWindowSec(3.3), 5);
  assert.equal(chooseWindowSec(600, 20), 20);
});
