// Alerts: forest, injection and enumeration combined; reasons against the training
// baseline; one alert per client and window; never a raw value or credential.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../src/config/limits.js';
import { ShadowtapError } from '../src/errors.js';
import { analyseEvents, trainOnEvents } from '../src/abuse/analyse.js';
import { reasonsFor, scoreWindows } from '../src/abuse/alerts.js';
import { detectProbes, windowDetections } from '../src/abuse/detectors.js';
import type { ClientEvent } from '../src/abuse/events.js';
import { FEATURE_NAMES } from '../src/abuse/features.js';
import { train } from '../src/abuse/forest.js';
import { principalOf } from '../src/abuse/identity.js';
import { mulberry32 } from '../src/abuse/random.js';
import { ev, testTokenize } from './helpers/abuse-events.js';

const L = DEFAULT_LIMITS;
const T0 = 1_700_000_000;

/** An hour of eight ordinary clients, 5-15 requests a minute over a few endpoints. */
function ordinary(seed: number, from: number, minutes: number): ClientEvent[] {
  const r = mulberry32(seed);
  const out: ClientEvent[] = [];
  for (let c = 0; c < 8; c++) {
    for (let m = 0; m < minutes; m++) {
      const n = 5 + Math.floor(r() * 11);
      for (let k = 0; k < n; k++) {
        const x = r();
        const template = x < 0.5 ? '/products/{id}' : x < 0.8 ? '/products' : '/cart';
        out.push(ev(from + m * 60 + r() * 60, {
          clientAddress: `10.0.0.${c + 1}`, principal: `apikey:${c}`, template,
          params: template.endsWith('{id}') ? { id: String(1 + Math.floor(r() * 90000)) } : {},
          status: r() < 0.03 ? 404 : 200, responseBytes: 500 + Math.floor(r() * 1500),
          userAgent: `app/${c}`,
        }));
      }
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

test('a flood alerts with the features that stand out against training', () => {
  const model = trainOnEvents(ordinary(1, T0, 60), { limits: L });
  const attack = ordinary(2, T0 + 3600, 10);
  // 900 requests in 30 s, inside the third window of the scored hour.
  for (let i = 0; i < 900; i++) {
    attack.push(ev(T0 + 3600 + 125 + i / 30, { clientAddress: '10.9.9.9', template: '/search' }));
  }
  attack.sort((a, b) => a.ts - b.ts);
  const { alerts } = analyseEvents(attack, { limits: L, model });
  const forest = alerts.filter((a) => a.detector === 'isolation-forest');
  assert.equal(forest.length, 1, JSON.stringify(forest));
  assert.ok(forest.every((a) => a.clientAddress === '10.9.9.9'), JSON.stringify(forest));
  const a = forest[0];
  assert.ok(a !== undefined && a.score >= a.threshold);
  assert.equal(a?.threshold, model.threshold);
  assert.equal(a?.client, null);
  assert.deepEqual(a?.endpoints, [{ host: 'api.example.test', method: 'GET', path: '/search' }]);
  assert.deepEqual(a?.examples, ['GET /search']);
  const named = a?.reasons.map((x) => x.feature) ?? [];
  assert.ok(named.includes('requests') && named.includes('maxPerSecond'),
    JSON.stringify(a?.reasons));
  const req = a?.reasons.find((x) => x.feature === 'requests');
  assert.ok(req !== undefined && req.value > req.baseline);
});

test('reasons rank features by how far past the training p99 they are', () => {
  const rows = Array.from({ length: 100 }, (_, i) => FEATURE_NAMES.map((_, f) => (i % 10) + f));
  const model = train(rows, FEATURE_NAMES, { trees: 10 });
  const row = FEATURE_NAMES.map((_, f) => (f === 2 ? 1000 : f === 5 ? 30 : 1));
  const reasons = reasonsFor(model, row, 5);
  assert.deepEqual(reasons.map((r) => r.feature), [FEATURE_NAMES[2], FEATURE_NAMES[5]]);
  assert.equal(reasons[0]?.baseline, 11); // p99 of 2..11
  // Nothing past p99: the features furthest above their median, against the median.
  const mild = reasonsFor(model, FEATURE_NAMES.map((_, f) => f + 8), 2);
  assert.equal(mild.length, 2);
  assert.ok(mild.every((r) => r.value > r.baseline));
});

test('alerts carry no raw parameter value and no credential', () => {
  const secrets = ['s3cr3t-token-value', 'hunter2', 'alice@example.test', '../../etc/passwd',
    "' OR 1=1--", '424242'];
  const basic = 'Basic ' + Buffer.from('alice@example.test:hunter2').toString('base64');
  const principal = principalOf([['authorization', basic]], testTokenize);
  const events: ClientEvent[] = [];
  for (let i = 0; i < 12; i++) {
    // Enumeration of ids ending at 424242, one carrying a traversal payload in its path.
    const id = String(424231 + i);
    const path = `/files/${id}`;
    events.push(ev(T0 + i * 0.1, { clientAddress: '10.6.6.6', principal,
      template: '/files/{id}', params: { id },
      probes: detectProbes({ path, query: i === 3 ? "q=' OR 1=1--" : '', body: '' }, L) }));
  }
  events.push(ev(T0 + 2, { clientAddress: '10.6.6.6', principal, template: '/files/{id}',
    params: { id: '../../etc/passwd' },
    probes: detectProbes({ path: '/files/../../etc/passwd', query: '', body: '' }, L) }));
  const { alerts } = analyseEvents(events, { limits: L });
  const detectors = [...new Set(alerts.map((a) => a.detector))].sort();
  assert.deepEqual(detectors, ['enumeration', 'injection']);
  const text = JSON.stringify(alerts);
  for (const s of secrets) assert.ok(!text.includes(s), `alert carries ${s}`);
  assert.ok(text.includes(principal ?? 'none'));
});

test('a client rotating credentials gets one injection alert per window, not one each', () => {
  const events = Array.from({ length: 6 }, (_, i) => ev(T0 + i * 0.8, {
    clientAddress: '10.7.7.7', principal: `apikey:${i}`, template: '/search', probes: ['sql'] }));
  const { alerts } = analyseEvents(events, { limits: L });
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.detector, 'injection');
  assert.deepEqual(alerts[0]?.reasons, [{ feature: 'probe:sql', value: 6, baseline: 0 }]);
  assert.equal(alerts[0]?.score, 6);
});

test('the principal and address rows of one client merge into one alert', () => {
  const model = trainOnEvents(ordinary(3, T0, 60), { limits: L });
  const events = ordinary(4, T0 + 3600, 5);
  for (let i = 0; i < 60; i++) {
    events.push(ev(T0 + 3600 + 65 + i / 3, { clientAddress: '10.8.8.8', principal: 'jwt:mallory',
      method: 'POST', template: '/login', status: 401, loginAttempt: 'failure' }));
  }
  events.sort((a, b) => a.ts - b.ts);
  // (An ordinary client may cross the threshold now and then: about 0.2-0.5% of
  // windows in this small world, so only the attacker's alerts are looked at.)
  const forest = analyseEvents(events, { limits: L, model }).alerts
    .filter((a) => a.detector === 'isolation-forest' && a.clientAddress === '10.8.8.8');
  assert.equal(forest.length, 1, JSON.stringify(forest));
  assert.equal(forest[0]?.clientAddress, '10.8.8.8');
  assert.equal(forest[0]?.client, 'jwt:mallory');
  assert.ok(forest[0]?.reasons.some((r) => r.feature === 'loginFailures'));
});

test('refused logins and 429 answers alert with no model, once per address and window', () => {
  const events: ClientEvent[] = [];
  for (let i = 0; i < 12; i++) {
    // Within four seconds: a capture this short has windows of 5 s.
    events.push(ev(T0 + i * 0.3, { clientAddress: '10.3.3.3', principal: `basic:user${i}`,
      method: 'POST', template: '/login', status: 401, loginAttempt: 'failure' }));
    events.push(ev(T0 + i * 0.3 + 0.1, { clientAddress: '10.4.4.4', template: '/search',
      status: 429 }));
  }
  const { alerts, model } = analyseEvents(events, { limits: L });
  assert.equal(model, null); // too few rows for a forest: the detectors alone
  assert.deepEqual(alerts.map((a) => [a.detector, a.clientAddress, a.score, a.threshold,
    a.reasons, a.examples]), [
    ['credential-stuffing', '10.3.3.3', 12, 10,
      [{ feature: 'loginFailures', value: 12, baseline: 10 }], ['POST /login']],
    ['rate-limited', '10.4.4.4', 12, 10,
      [{ feature: 'throttled', value: 12, baseline: 10 }], ['GET /search']],
  ]);
});

test('fitted on its own capture, the forest leaves out the rows a detector explains', () => {
  // An hour of ordinary traffic, three addresses stuffing credentials for most of it
  // (about 8% of the windows), and one client reading 400 items in one minute.
  const events = ordinary(6, T0, 60);
  for (let m = 5; m < 55; m++) {
    for (let k = 0; k < 30; k++) {
      events.push(ev(T0 + m * 60 + k * 2, { clientAddress: `10.3.3.${m % 3}`, method: 'POST',
        template: '/login', status: 401, loginAttempt: 'failure' }));
    }
  }
  for (let i = 0; i < 400; i++) {
    events.push(ev(T0 + 30 * 60 + i * 0.15, { clientAddress: '10.9.9.9',
      template: '/products/{id}', params: { id: String(1 + ((i * 7919) % 90000)) } }));
  }
  events.sort((a, b) => a.ts - b.ts);
  const a = analyseEvents(events, { limits: L });
  assert.ok(a.selfFitted && a.model !== null);
  // Minutes straddle windows: the stuffing rows with ten refusals or more are flagged.
  const stuffing = a.rows.filter((r) => windowDetections(r).length > 0);
  assert.ok(stuffing.length >= 40 && stuffing.every((r) => r.key.startsWith('10.3.3.')));
  assert.equal(a.model.training.rows, a.rows.length - stuffing.length);
  assert.ok(a.alerts.some((x) => x.detector === 'isolation-forest' &&
    x.clientAddress === '10.9.9.9'), JSON.stringify(a.alerts.map((x) => x.clientAddress)));
  assert.equal(a.alerts.filter((x) => x.detector === 'credential-stuffing').length,
    stuffing.length);
});

test('a model trained on other features is refused', () => {
  const model = train([[1, 2], [2, 3], [3, 1]], ['x', 'y'], { trees: 2 });
  assert.throws(() => scoreWindows({ rows: [], model, enumerations: [],
    enumerationMinDistinct: 8 }, L), (e: unknown) => e instanceof ShadowtapError &&
    e.code === 'model-invalid');
});

test('the same events give the same alerts', () => {
  const events = ordinary(5, T0, 40);
  for (let i = 0; i < 400; i++) {
    events.push(ev(T0 + 600 + i / 10, { clientAddress: '10.5.5.5', template: '/search' }));
  }
  events.sort((a, b) => a.ts - b.ts);
  const one = analyseEvents(events, { limits: L });
  const two = analyseEvents(events, { limits: L });
  assert.ok(one.selfFitted);
  assert.deepEqual(one.alerts, two.alerts);
  assert.ok(one.alerts.some((a) => a.clientAddress === '10.5.5.5'));
});
