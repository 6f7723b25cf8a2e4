// Abuse detection over a capture that never ends (src/abuse/live.ts): slices of
// events, one per checkpoint, give the alerts a replay of the same events gives;
// --train-for keeps the first stretch as the baseline and scores after it; with
// neither a model nor training only the detectors run; the clock closes windows
// in a quiet period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, limitsWith } from '../src/config/limits.js';
import { analyseEvents, baselineRows, trainOnEvents } from '../src/abuse/analyse.js';
import { EnumerationDetector } from '../src/abuse/detectors.js';
import type { Alert } from '../src/abuse/alerts.js';
import type { ClientEvent } from '../src/abuse/events.js';
import { extractWindows, FEATURE_NAMES, FEATURE_TRANSFORMS } from '../src/abuse/features.js';
import { train } from '../src/abuse/forest.js';
import { LiveAnalysis, type LiveStep } from '../src/abuse/live.js';
import { mulberry32 } from '../src/abuse/random.js';
import { ev } from './helpers/abuse-events.js';

const L = DEFAULT_LIMITS;
const T0 = 1_700_000_000;

/** Six ordinary clients for `minutes`, then from minute 20 a flood, an id walk and probes. */
function capture(seed: number, minutes: number): ClientEvent[] {
  const r = mulberry32(seed);
  const out: ClientEvent[] = [];
  for (let c = 0; c < 6; c++) {
    for (let m = 0; m < minutes; m++) {
      for (let k = 5 + Math.floor(r() * 10); k > 0; k--) {
        out.push(ev(T0 + m * 60 + r() * 60, {
          clientAddress: `10.0.0.${c + 1}`, principal: `apikey:${c}`, template: '/items/{id}',
          params: { id: String(1 + Math.floor(r() * 90000)) },
          responseBytes: 400 + Math.floor(r() * 800),
        }));
      }
    }
  }
  for (let i = 0; i < 900; i++) {
    out.push(ev(T0 + 20 * 60 + 5 + i / 30, { clientAddress: '10.6.6.6', template: '/search' }));
  }
  for (let i = 0; i < 12; i++) {
    out.push(ev(T0 + 22 * 60 + i, { clientAddress: '10.7.7.7', template: '/items/{id}',
      params: { id: String(500 + i) } }));
  }
  out.push(ev(T0 + 23 * 60, { clientAddress: '10.8.8.8', probes: ['sql'] }));
  return out.sort((a, b) => a.ts - b.ts);
}

/** Feeds the events in slices of `sliceSec` capture seconds, as checkpoints would. */
function feed(live: LiveAnalysis, events: ClientEvent[], sliceSec: number): LiveStep[] {
  const steps: LiveStep[] = [];
  const first = events[0]!.ts;
  const end = events[events.length - 1]!.ts;
  let i = 0;
  for (let clock = first + sliceSec; ; clock += sliceSec) {
    const slice: ClientEvent[] = [];
    while (i < events.length && events[i]!.ts < clock) slice.push(events[i++]!);
    const final = clock > end;
    steps.push(live.advance(slice, { first, last: Math.min(clock, end) }, final));
    if (final) return steps;
  }
}

const key = (a: Alert): string => JSON.stringify(a);
const sorted = (as: Alert[]): string[] => as.map(key).sort();

test('with a model, slices give the alerts a replay of the same events gives', () => {
  const events = capture(1, 30);
  const model = trainOnEvents(capture(2, 15).filter((e) => e.ts < T0 + 15 * 60), {
    limits: L, windowSec: 60,
  });
  const replayed = analyseEvents(events, { limits: L, model }).alerts;
  for (const sliceSec of [7, 60, 200]) {
    const live = new LiveAnalysis({ limits: L, model, trainForSec: null });
    assert.equal(live.phase, 'scoring');
    const steps = feed(live, events, sliceSec);
    assert.deepEqual(sorted(steps.flatMap((s) => s.alerts)), sorted(replayed), `${sliceSec} s`);
  }
  const detectors = new Set(replayed.map((a) => `${a.detector} ${a.clientAddress}`));
  for (const want of ['isolation-forest 10.6.6.6', 'enumeration 10.7.7.7', 'injection 10.8.8.8']) {
    assert.ok(detectors.has(want), `${want} in ${[...detectors].join(', ')}`);
  }
});

test('--train-for: windows before the end of training are the baseline, scored after it', () => {
  const events = capture(3, 30);
  const trainForSec = 15 * 60;
  const live = new LiveAnalysis({ limits: L, model: null, trainForSec, seed: 9 });
  assert.equal(live.phase, 'training');
  assert.equal(live.windowSec, 45); // a quarter-hour of training: windows of span / 20
  const steps = feed(live, events, 10);
  const fitted = steps.map((s) => s.fitted).filter((m) => m !== null);
  assert.equal(fitted.length, 1);
  // The same model as fitting the rows of the windows that start before the end
  // (windows count from the capture's start, here its first request).
  const start = events[0]!.ts;
  const { rows } = extractWindows(events, { windowSec: 45, origin: start, limits: L });
  const baseline = rows.filter((r) => r.window.start < start + trainForSec);
  const want = train(baseline.map((r) => r.features), FEATURE_NAMES, {
    transforms: FEATURE_TRANSFORMS, seed: 9,
    window: { start, end: baseline[baseline.length - 1]!.window.end, windowSec: 45 },
  });
  assert.deepEqual(fitted[0], want);
  // It came with the first checkpoint whose clock is in the window after training.
  const at = steps.findIndex((s) => s.fitted !== null);
  const clock = start + (at + 1) * 10;
  assert.ok(clock >= start + trainForSec && clock < start + trainForSec + 10, `${at}`);
  assert.equal(steps[at]!.phase, 'scoring');
  // Detectors all along; the forest only on windows after training.
  const alerts = steps.flatMap((s) => s.alerts);
  const replayed = analyseEvents(events, { limits: L, model: want, windowSec: 45 }).alerts
    .filter((a) => a.detector !== 'isolation-forest' || a.window.start >= start + trainForSec);
  assert.deepEqual(sorted(alerts), sorted(replayed));
  assert.ok(alerts.some((a) => a.detector === 'isolation-forest' &&
    a.clientAddress === '10.6.6.6'));
});

test('--train-for leaves out of the baseline the rows a detector flags', () => {
  const events = capture(6, 30);
  const trainForSec = 25 * 60; // the id walk (minute 22) and the probe (23) fall in it
  const live = new LiveAnalysis({ limits: L, model: null, trainForSec, windowSec: 60 });
  // Checkpoints ten minutes apart: the walk and its finding come in one slice (a run
  // that completes only after a window has closed cannot take that window back).
  const fitted = feed(live, events, 600).map((s) => s.fitted).find((m) => m !== null);
  const start = events[0]!.ts;
  const windowSec = live.windowSec;
  const { rows } = extractWindows(events, { windowSec, origin: start, limits: L });
  const before = rows.filter((r) => r.window.start < start + trainForSec);
  const detector = new EnumerationDetector(L);
  const kept = baselineRows(before, events.flatMap((e) => detector.observe(e)));
  assert.deepEqual([...new Set(before.filter((r) => !kept.includes(r)).map((r) => r.key))].sort(),
    ['10.7.7.7', '10.8.8.8']);
  assert.equal(fitted?.training.rows, kept.length);
  assert.deepEqual(fitted, train(kept.map((r) => r.features), FEATURE_NAMES, {
    transforms: FEATURE_TRANSFORMS,
    window: { start, end: before[before.length - 1]!.window.end, windowSec },
  }));
});

test('--train-for with too few windows by its end: training goes on until there are enough',
  () => {
    const one = [ev(T0 + 1), ev(T0 + 2), ev(T0 + 40), ev(T0 + 70)];
    const live = new LiveAnalysis({ limits: L, model: null, trainForSec: 20 });
    assert.equal(live.windowSec, 5);
    const a = live.advance(one.slice(0, 2), { first: T0, last: T0 + 30 }, false);
    assert.equal(a.fitted, null); // one client-window so far: not enough
    assert.equal(a.phase, 'training');
    // The window at 40 s is the second row: fitted on both, the window at 70 s is scored.
    const b = live.advance(one.slice(2), { first: T0, last: T0 + 80 }, false);
    assert.ok(b.fitted !== null);
    assert.deepEqual(b.fitted.training, { rows: 2, start: T0, end: T0 + 45, windowSec: 5 });
    assert.equal(b.phase, 'scoring');
  });

test('with neither a model nor training: the detectors only, and the clock closes windows', () => {
  const events = capture(4, 30);
  const live = new LiveAnalysis({ limits: L, model: null, trainForSec: null });
  assert.equal(live.phase, 'detectors');
  const alerts = feed(live, events, 30).flatMap((s) => s.alerts);
  assert.ok(alerts.length > 0);
  assert.ok(alerts.every((a) => a.detector !== 'isolation-forest'));
  const want = analyseEvents(events, { limits: L, model: null })
    .alerts.filter((a) => a.detector !== 'isolation-forest');
  assert.deepEqual(sorted(alerts), sorted(want));
  // A probe, then nothing: the next checkpoint's clock alone closes its window.
  const quiet = new LiveAnalysis({ limits: L, model: null, trainForSec: null });
  const first = quiet.advance([ev(T0 + 1, { probes: ['traversal'] })], { first: T0, last: T0 + 1 },
    false);
  assert.deepEqual(first.alerts, []);
  const later = quiet.advance([], { first: T0, last: T0 + 61 }, false);
  assert.deepEqual(later.alerts.map((a) => [a.detector, a.window.start]), [['injection', T0]]);
});

test('training rows past the limit are sampled, the same way every time', () => {
  const limits = limitsWith({ abuseMaxTrainingRows: 10 });
  const events = capture(5, 20);
  const fit = () => {
    const live = new LiveAnalysis({ limits, model: null, trainForSec: 10 * 60 });
    return feed(live, events, 60).map((s) => s.fitted).find((m) => m !== null);
  };
  const a = fit();
  assert.ok(a);
  assert.equal(a.training.rows, 10);
  assert.deepEqual(fit(), a);
});
