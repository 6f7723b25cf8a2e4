// Requests over capture time: the bounded histogram merges the same in any order
// (so any worker count and any split into runs gives the same chart), and the store
// adds each run's histogram to what it holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addActivity, mergeActivity, type Activity } from '../src/infer/inventory.js';
import { emptyEndpointSchema } from '../src/infer/schema.js';
import { Store } from '../src/store/db.js';

function histogram(times: number[], width: number, cap: number): Activity {
  let a: Activity = { width, buckets: {} };
  for (const t of times) a = addActivity(a, t, 1, cap);
  return a;
}

function total(a: Activity): number {
  return Object.values(a.buckets).reduce((x, y) => x + y, 0);
}

// A seeded linear congruential generator: the same times on every run.
function times(n: number, seed: number, span: number): number[] {
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out.push(1_700_000_000 + (s / 2 ** 31) * span);
  }
  return out;
}

test('buckets start at multiples of the width and count every request', () => {
  const a = histogram([1000.5, 1019.9, 1020, 1079.999], 20, 100);
  assert.equal(a.width, 20);
  assert.deepEqual(a.buckets, { '1000': 2, '1020': 1, '1060': 1 });
});

test('past the cap the width doubles until the buckets fit', () => {
  const ts = times(500, 7, 86_400);
  const a = histogram(ts, 60, 16);
  assert.ok(Object.keys(a.buckets).length <= 16);
  assert.equal(total(a), 500);
  // The smallest doubling of 60 s that fits: no narrower width would have.
  const distinct = (w: number) => new Set(ts.map((t) => Math.floor(t / w))).size;
  assert.ok(distinct(a.width) <= 16);
  assert.ok(distinct(a.width / 2) > 16);
});

test('merging parts in any order gives the histogram of the whole', () => {
  const ts = times(3000, 11, 40_000);
  const whole = histogram(ts, 60, 64);
  for (const cut of [1, 700, 1500, 2999]) {
    const a = histogram(ts.slice(0, cut), 60, 64);
    const b = histogram(ts.slice(cut), 60, 64);
    assert.deepEqual(mergeActivity(a, b, 64), whole, `split at ${cut}`);
    assert.deepEqual(mergeActivity(b, a, 64), whole, `split at ${cut}, reversed`);
  }
  const before = JSON.stringify(histogram(ts.slice(0, 10), 60, 64));
  const part = histogram(ts.slice(0, 10), 60, 64);
  mergeActivity(part, whole, 64);
  assert.equal(JSON.stringify(part), before, 'merging changes neither input');
});

test('the store adds each run to the endpoint and keeps the cap', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'shadowtap-activity-')), 'a.db');
  const store = Store.open(file);
  const ts = times(400, 3, 20_000);
  const ep = (activity: Activity, requests: number) => ({
    host: 'api.example.test', method: 'GET', template: '/items', params: [], requests,
    statusCodes: { '200': requests }, auth: [], requestTypes: [], responseTypes: [],
    queryNames: [], firstSeen: 1_700_000_000, lastSeen: 1_700_020_000, gapBytes: 0,
    schema: emptyEndpointSchema(), pii: {}, activity,
  });
  const cap = 512;
  for (const [i, part] of [ts.slice(0, 150), ts.slice(150)].entries()) {
    const id = store.beginRun('replay', 1);
    store.commitRun({
      id, finishedAt: 2, captureFirst: null, captureLast: null, packets: 0, bytes: 0, flows: 0,
      exchanges: part.length, anomalies: {}, gapBytes: 0, hostLoss: [], catalog: null,
      files: [{ sha256: 'f' + i, path: 'f' + i, size: 1, packets: 1, truncated: false }],
      endpoints: [ep(histogram(part, 60, cap), part.length)],
    });
  }
  const stored = store.activity();
  assert.equal(stored.length, 1);
  assert.deepEqual(stored[0]!.activity, histogram(ts, 60, cap));
  store.close();
});
