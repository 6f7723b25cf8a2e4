// Abuse detection in a live capture (src/pipeline/abuse-live.ts through
// src/pipeline/capture.ts), on loopback with a real server and client: alerts are
// raised while the capture runs and stored with it; a deliberately slow scorer
// behind a full queue drops and counts exchanges, and the packet path stores
// every one of them all the same. Every wait is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '../src/abuse/alerts.js';
import { trainOnEvents } from '../src/abuse/analyse.js';
import { parseTrustedProxies } from '../src/abuse/identity.js';
import { limitsWith, type Limits } from '../src/config/limits.js';
import { LiveAbuse, type LiveAbuseOptions } from '../src/pipeline/abuse-live.js';
import { CaptureRun } from '../src/pipeline/capture.js';
import type { IntervalStats } from '../src/pipeline/capture-stats.js';
import type { ReplaySummary } from '../src/pipeline/replay.js';
import { openLive } from '../src/source/live.js';
import { Store } from '../src/store/db.js';
import { ev } from './helpers/abuse-events.js';
import { portOf, runClient, startServer } from './helpers/http-load.js';
import { liveUnavailable } from './helpers/live.js';

const skipWhy = await liveUnavailable();
const T0 = 1_700_000_000;

/** One GET; resolves when the response has been read (or failed). */
function get(port: number, path: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { host: 'shop.test' } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      });
    req.on('error', () => resolve());
    req.setTimeout(10_000, () => req.destroy());
  });
}

interface LiveResult {
  summary: ReplaySummary;
  stats: IntervalStats[];
  stored: Alert[];
  jsonl: Alert[];
  anomalies: ReplaySummary['anomalies'];
  completed: number;
}

/**
 * Captures lo (this server's port only) while `traffic` runs, then stops: the
 * capture's summary, its stats lines, the alerts stored and those given to onAlerts.
 */
async function captureWhile(
  limits: Limits,
  abuse: Omit<LiveAbuseOptions, 'limits' | 'trusted' | 'timeoutSec' | 'onAlerts'>,
  traffic: (port: number) => Promise<number>,
): Promise<LiveResult> {
  const server = await startServer('127.0.0.1');
  const store = Store.open(':memory:');
  try {
    const port = portOf(server);
    const source = await openLive({
      interface: 'lo', filter: `tcp port ${port}`, snapLength: limits.liveSnapLength,
      bufferBytes: limits.liveBufferBytes, limits,
    });
    const jsonl: Alert[] = [];
    const live = new LiveAbuse({
      limits, trusted: parseTrustedProxies([]), timeoutSec: 30, ...abuse,
      onAlerts: (alerts) => jsonl.push(...alerts),
    });
    const stats: IntervalStats[] = [];
    const run = new CaptureRun({
      source, interface: 'lo', store, catalog: null, limits, workers: 1, exchangesPath: null,
      secret: randomBytes(32), command: 'test', flushEveryMs: 250, retentionDays: null,
      onInterval: (s) => stats.push(s), abuse: live,
    });
    const running = run.run();
    const completed = await traffic(port);
    await sleep(1_000); // the last packets reach the pipeline
    run.stop();
    const summary = await running;
    return {
      summary, stats, stored: store.alertsSince(0) as unknown as Alert[], jsonl,
      anomalies: store.latestRun()?.anomalies ?? {}, completed,
    };
  } finally {
    store.close();
    server.closeAllConnections();
    server.close();
  }
}

/** A walk over 40 ids one at a time, two injection probes, and some ordinary calls. */
async function attack(port: number): Promise<number> {
  const walk = await runClient({ host: '127.0.0.1', port, count: 40, concurrency: 1,
    prefix: '/users' });
  await get(port, "/search?q=%27%20OR%201%3D1--");
  await get(port, '/files/..%2f..%2fetc%2fpasswd');
  const rest = await runClient({ host: '127.0.0.1', port, count: 20, prefix: '/products' });
  return walk.length + 2 + rest.length;
}

test('capture --model: alerts while capturing, stored with the run and handed on', {
  timeout: 90_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const limits = limitsWith();
  const baseline = Array.from({ length: 200 }, (_, i) =>
    ev(T0 + i, { clientAddress: `10.0.0.${i % 5}`, template: '/products/{id}' }));
  const model = trainOnEvents(baseline, { limits, windowSec: 5 });
  const r = await captureWhile(limits, { model, trainForSec: null }, attack);
  assert.equal(r.summary.exchanges, r.completed);
  const kinds = new Set(r.stored.map((a) => `${a.detector} ${a.clientAddress}`));
  assert.ok(kinds.has('enumeration 127.0.0.1'), [...kinds].join(', '));
  assert.ok(kinds.has('injection 127.0.0.1'), [...kinds].join(', '));
  const injection = r.stored.find((a) => a.detector === 'injection')!;
  assert.deepEqual(injection.reasons.map((x) => x.feature), ['probe:sql', 'probe:traversal']);
  // What was stored is what --alerts-jsonl got, and no concrete path is in either.
  assert.equal(r.jsonl.length, r.stored.length);
  assert.doesNotMatch(JSON.stringify(r.stored), /passwd|OR%201|\/users\/\d/);
  const last = r.stats[r.stats.length - 1]!;
  assert.deepEqual(last.abuse, { alerts: r.stored.length, dropped: 0, phase: 'scoring' });
  assert.equal(r.anomalies['abuse-queue-full'], undefined);
});

test('a slow scorer behind a full queue: exchanges dropped and counted, none lost to storage', {
  timeout: 120_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const limits = limitsWith({ abuseQueueCapacity: 1 });
  process.env.SHADOWTAP_TEST_ABUSE_DELAY_MS = '400'; // every task of the worker, from its start
  let r: LiveResult;
  try {
    r = await captureWhile(limits, { model: null, trainForSec: null }, async (port) => {
      let n = 0;
      for (let round = 0; round < 8; round++) {
        n += (await runClient({ host: '127.0.0.1', port, count: 25, prefix: `/r${round}` }))
          .length;
        await sleep(150);
      }
      return n;
    });
  } finally {
    delete process.env.SHADOWTAP_TEST_ABUSE_DELAY_MS;
  }
  // The packet path did not wait: every exchange is in the run.
  assert.equal(r.summary.exchanges, r.completed);
  const last = r.stats[r.stats.length - 1]!;
  assert.ok(last.abuse !== undefined && last.abuse.dropped > 0, JSON.stringify(last.abuse));
  assert.equal(last.abuse.phase, 'detectors');
  assert.equal(r.anomalies['abuse-queue-full'], last.abuse.dropped);
  assert.equal(r.summary.anomalies['abuse-queue-full'], last.abuse.dropped);
});
