// The bounded scoring queue with a deliberately slow consumer: live mode drops and
// counts, replay mode waits and scores everything in order, drain reports leftovers
// after its time limit, a failing consumer is counted, never rethrown; and a slow
// scorer behind it neither holds up the producer nor changes the alerts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_LIMITS as L } from '../src/config/limits.js';
import { ShadowtapError } from '../src/errors.js';
import { analyseEvents, trainOnEvents } from '../src/abuse/analyse.js';
import { scoreWindows, type Alert } from '../src/abuse/alerts.js';
import {
  DEFAULT_ENUMERATION, EnumerationDetector, type EnumerationFinding,
} from '../src/abuse/detectors.js';
import type { ClientEvent } from '../src/abuse/events.js';
import { WindowAggregator, type WindowRow } from '../src/abuse/features.js';
import { BoundedQueue } from '../src/abuse/queue.js';
import { ev } from './helpers/abuse-events.js';

const T0 = 1_700_000_000;

/** A consumer taking `ms` per item, recording what it consumed. */
function slow(ms: number, seen: number[]): (n: number) => Promise<void> {
  return async (n) => {
    await sleep(ms);
    seen.push(n);
  };
}

test('live: a full queue drops and counts at once; push never waits on the consumer', async () => {
  const seen: number[] = [];
  const q = new BoundedQueue<number>({ capacity: 3, mode: 'live', consume: slow(50, seen) });
  const t0 = performance.now();
  const accepted = [];
  for (let i = 0; i < 10; i++) accepted.push(q.offer(i));
  const pushed = await q.push(10);
  const elapsed = performance.now() - t0;
  // Waiting on the consumer even once would take 50 ms.
  assert.ok(elapsed < 50, `pushing took ${elapsed} ms`);
  // Consumption starts on a later tick, so the first three fill the queue.
  assert.deepEqual(accepted, [true, true, true, false, false, false, false, false, false, false]);
  assert.equal(pushed, false);
  const report = await q.drain(5000);
  assert.equal(report.timedOut, false);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(report.done, 3);
  assert.equal(report.dropped, 8);
  assert.equal(report.unscored, 0);
});

test('replay: push waits for room, nothing is dropped, order is kept', async () => {
  const seen: number[] = [];
  const q = new BoundedQueue<number>({ capacity: 2, mode: 'replay', consume: slow(2, seen) });
  for (let i = 0; i < 12; i++) assert.equal(await q.push(i), true);
  assert.ok(q.length <= 2);
  const report = await q.drain(5000);
  assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => i));
  assert.deepEqual(
    { done: report.done, dropped: report.dropped, unscored: report.unscored },
    { done: 12, dropped: 0, unscored: 0 },
  );
});

test('replay without awaiting: queued waiters are served in push order', async () => {
  const seen: number[] = [];
  const q = new BoundedQueue<number>({ capacity: 1, mode: 'replay', consume: slow(1, seen) });
  const pending = Array.from({ length: 6 }, (_, i) => q.push(i));
  assert.deepEqual(await Promise.all(pending), [true, true, true, true, true, true]);
  await q.drain(5000);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
});

test('drain gives up after its time limit and reports what was not scored', async () => {
  const seen: number[] = [];
  const q = new BoundedQueue<number>({ capacity: 100, mode: 'replay', consume: slow(40, seen) });
  for (let i = 0; i < 10; i++) await q.push(i);
  const t0 = performance.now();
  const report = await q.drain(100);
  const elapsed = performance.now() - t0;
  assert.equal(report.timedOut, true);
  assert.ok(elapsed >= 95 && elapsed < 2000, `drain took ${elapsed} ms`);
  assert.equal(report.done + report.unscored, 10);
  assert.ok(report.unscored >= 6, JSON.stringify(report));
  // Pushing after drain is refused and counted.
  assert.equal(await q.push(99), false);
  assert.equal(q.stats().dropped, 1);
  await sleep(60); // the item in flight finishes; nothing more is started
  assert.ok(seen.length <= 4 && !seen.includes(99), JSON.stringify(seen));
});

test('a hung consumer cannot hold drain past its limit', async () => {
  const q = new BoundedQueue<number>({ capacity: 4, mode: 'live',
    consume: () => new Promise(() => {}) });
  q.offer(1);
  q.offer(2);
  const report = await q.drain(50);
  assert.equal(report.timedOut, true);
  assert.equal(report.busy, 1);
  assert.equal(report.unscored, 2);
});

test('a failing consumer is counted and the queue carries on', async () => {
  const errors: string[] = [];
  const q = new BoundedQueue<number>({
    capacity: 10, mode: 'replay',
    consume: (n) => {
      if (n % 2) throw new Error(`bad ${n}`);
      return Promise.resolve();
    },
    onError: (e) => errors.push((e as Error).message),
  });
  for (let i = 0; i < 6; i++) await q.push(i);
  const report = await q.drain(1000);
  assert.deepEqual({ done: report.done, failed: report.failed }, { done: 3, failed: 3 });
  assert.deepEqual(errors, ['bad 1', 'bad 3', 'bad 5']);
});

test('an empty queue drains at once', async () => {
  const q = new BoundedQueue<number>({ capacity: 1, mode: 'live', consume: () => undefined });
  const report = await q.drain(10_000);
  assert.deepEqual(report, { accepted: 0, done: 0, failed: 0, dropped: 0, waiting: 0, busy: 0,
    timedOut: false, unscored: 0 });
  assert.throws(() => new BoundedQueue({ capacity: 0, mode: 'live', consume: () => undefined }),
    (e: unknown) => e instanceof ShadowtapError && e.code === 'usage');
});

test('a slow scorer behind the queue: the producer does not wait, alerts are equal', async () => {
  // A capture of 20 windows: ordinary clients, a flood from one address and an id walk.
  const events: ClientEvent[] = [];
  for (let w = 0; w < 20; w++) {
    for (let c = 0; c < 6; c++) {
      for (let k = 0; k < 10; k++) {
        events.push(ev(T0 + w * 60 + c + k * 5, { clientAddress: `10.0.0.${c}`,
          principal: `apikey:${c}`, template: '/items/{id}',
          params: { id: String(c * 997 + k * 31 + w) } }));
      }
    }
  }
  for (let i = 0; i < 600; i++) events.push(ev(T0 + 600 + i / 20, { clientAddress: '10.6.6.6' }));
  for (let i = 0; i < 12; i++) {
    events.push(ev(T0 + 900 + i, { clientAddress: '10.7.7.7', template: '/items/{id}',
      params: { id: String(500 + i) } }));
  }
  events.sort((a, b) => a.ts - b.ts);
  const model = trainOnEvents(events.filter((e) => e.clientAddress < '10.0.0.9'), { limits: L });
  const direct = analyseEvents(events, { limits: L, model }).alerts;

  // The same through the queue: one item per closed window, scored 20 ms late each.
  const queued: Alert[] = [];
  const q = new BoundedQueue<{ rows: WindowRow[]; findings: EnumerationFinding[] }>({
    capacity: L.abuseQueueCapacity, mode: 'replay',
    consume: async (item) => {
      await sleep(20);
      queued.push(...scoreWindows({ rows: item.rows, model, enumerations: item.findings,
        enumerationMinDistinct: DEFAULT_ENUMERATION.minDistinct }, L));
    },
  });
  // Windows as long as the model's (analyseEvents does the same).
  const agg = new WindowAggregator({ windowSec: model.training.windowSec ?? 60, limits: L });
  const detector = new EnumerationDetector(L);
  let findings: EnumerationFinding[] = [];
  const t0 = performance.now();
  for (const e of events) {
    const closed = agg.push(e);
    if (closed.length > 0) {
      await q.push({ rows: closed, findings });
      findings = [];
    }
    findings.push(...detector.observe(e));
  }
  await q.push({ rows: agg.flush(), findings });
  const produced = performance.now() - t0;
  const report = await q.drain(10_000);
  assert.ok(produced < 100, `the producer took ${produced} ms for ${report.accepted} windows`);
  assert.equal(report.unscored, 0);
  const key = (a: Alert): string => JSON.stringify(a);
  assert.deepEqual(queued.map(key).sort(), direct.map(key).sort());
  assert.ok(direct.some((a) => a.clientAddress === '10.6.6.6'));
  assert.ok(direct.some((a) => a.detector === 'enumeration' && a.clientAddress === '10.7.7.7'));
});
