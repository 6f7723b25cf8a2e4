// The isolation forest: seeded and reproducible, sub-sampled, saved as trees only,
// loaded back to identical scores, validated on load; and checked against the
// ml-isolation-forest package on the same data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { limitsWith, DEFAULT_LIMITS } from '../src/config/limits.js';
import { ShadowtapError } from '../src/errors.js';
import {
  averagePath, DEFAULT_THRESHOLD, load, quantile, save, score, train, type TreeNode,
} from '../src/abuse/forest.js';
import { loadModelFile, saveModelFile } from '../src/abuse/model-file.js';
import { mulberry32 } from '../src/abuse/random.js';

const NAMES = ['a', 'b', 'c'];

/** n ordinary rows around (10, 100, 0.5) from a seeded source, plus given extra rows. */
function data(n: number, seed: number): number[][] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => [10 + r() * 4, 100 + r() * 20, 0.4 + r() * 0.2]);
}

function leaves(node: TreeNode): number[] {
  return typeof node === 'number' ? [node] : [...leaves(node[3]), ...leaves(node[4])];
}

test('c(n), the average path length correction, matches its definition', () => {
  assert.equal(averagePath(1), 0);
  assert.equal(averagePath(2), 1);
  const h = (k: number): number => Array.from({ length: k }, (_, i) => 1 / (i + 1))
    .reduce((a, b) => a + b, 0);
  // c(n) = 2 H(n-1) - 2 (n-1) / n, with H(i) close to ln(i) + Euler's constant.
  assert.ok(Math.abs(averagePath(256) - (2 * h(255) - (2 * 255) / 256)) < 0.01);
});

test('training twice with the same seed gives the same model JSON; another seed does not', () => {
  const rows = data(600, 1);
  const one = save(train(rows, NAMES, { seed: 42 }));
  const two = save(train(rows, NAMES, { seed: 42 }));
  assert.equal(one, two);
  assert.notEqual(save(train(rows, NAMES, { seed: 43 })), one);
});

test('regression: the model does not depend on the order of the rows', () => {
  // `shadowtap train` tokenises principals under a fresh key every run, and rows
  // of one window are ordered by that token: with more rows than psi, the same
  // capture and seed gave a different model each time.
  const rows = data(600, 11);
  const r = mulberry32(5);
  const shuffled = rows.map((row) => ({ row, k: r() })).sort((a, b) => a.k - b.k)
    .map((x) => x.row);
  assert.equal(save(train(shuffled, NAMES, { seed: 42 })), save(train(rows, NAMES, { seed: 42 })));
});

test('each tree is grown on a sub-sample of psi rows and keeps only leaf sizes', () => {
  const rows = data(600, 2);
  const m = train(rows, NAMES, { trees: 20, sampleSize: 64, seed: 1 });
  assert.equal(m.sampleSize, 64);
  assert.equal(m.trees.length, 20);
  for (const t of m.trees) {
    const sizes = leaves(t);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 64);
    assert.ok(sizes.every((s) => Number.isInteger(s)));
  }
  // Fewer rows than psi: every row is used once.
  assert.equal(train(data(40, 3), NAMES, { sampleSize: 256 }).sampleSize, 40);
  // The file grows with trees, not with training rows.
  const small = save(train(data(300, 4), NAMES, { trees: 10, sampleSize: 32 })).length;
  const big = save(train(data(3000, 4), NAMES, { trees: 10, sampleSize: 32 })).length;
  assert.ok(big < small * 1.5, `${big} vs ${small}`);
});

test('save then load gives identical scores', () => {
  const rows = data(500, 5);
  const m = train(rows, NAMES, { seed: 9 });
  const back = load(save(m));
  assert.deepEqual(back, m);
  const probe = [...data(200, 6), [50, 100, 0.5], [10, 1000, 0.5], [10, 100, 7]];
  for (const row of probe) assert.equal(score(back, row), score(m, row));
});

test('outliers score above every ordinary row, and the threshold sits between', () => {
  const rows = data(800, 7);
  const m = train(rows, NAMES, { seed: 3 });
  const normal = data(300, 8).map((r) => score(m, r));
  const outliers = [[40, 100, 0.5], [11, 300, 0.5], [11, 110, 3], [40, 300, 3]]
    .map((r) => score(m, r));
  const worstNormal = Math.max(...normal);
  for (const s of outliers) assert.ok(s > worstNormal, `${s} <= ${worstNormal}`);
  assert.ok(m.threshold > quantile([...normal].sort((a, b) => a - b), 0.99));
  assert.ok(outliers.every((s) => s >= m.threshold));
  // The stored threshold is the training scores' quantile plus the margin.
  const own = rows.map((r) => score(m, r)).sort((a, b) => a - b);
  assert.equal(m.threshold, Math.max(DEFAULT_THRESHOLD.floor,
    quantile(own, DEFAULT_THRESHOLD.quantile) + DEFAULT_THRESHOLD.margin));
  // The floor holds when training scores are all low.
  const floored = train(rows, NAMES, { threshold: { quantile: 0.5, margin: 0, floor: 0.9 } });
  assert.equal(floored.threshold, 0.9);
});

test('log1p transforms are applied at scoring as at training', () => {
  const rows = data(300, 10).map(([a, b, c]) => [(a as number) * 1000, b as number, c as number]);
  const m = train(rows, NAMES, { seed: 5, transforms: ['log1p', 'none', 'none'] });
  assert.deepEqual(m.transforms, ['log1p', 'none', 'none']);
  assert.equal(load(save(m)).transforms[0], 'log1p');
  assert.ok(score(m, [1e7, 110, 0.5]) > score(m, [12_000, 110, 0.5]));
});

interface PackageForest {
  train(rows: number[][]): void;
  predict(rows: number[][]): number[];
}

test('cross-check: ml-isolation-forest ranks the same obvious outlier top', () => {
  const require = createRequire(import.meta.url);
  const { IsolationForest } = require('ml-isolation-forest') as {
    IsolationForest: new (o: { nEstimators: number }) => PackageForest;
  };
  const rows = data(200, 11);
  const test = [...data(30, 12), [60, 400, 3]];
  const theirs = new IsolationForest({ nEstimators: 50 });
  theirs.train(rows);
  const theirScores = theirs.predict(test);
  const ours = train(rows, NAMES, { trees: 50, seed: 1 });
  const ourScores = test.map((r) => score(ours, r));
  const top = (xs: number[]): number => xs.indexOf(Math.max(...xs));
  assert.equal(top(theirScores), test.length - 1);
  assert.equal(top(ourScores), test.length - 1);
});

function rejects(json: string, fragment: string): void {
  assert.throws(() => load(json, 'models/x.json'), (e: unknown) => {
    assert.ok(e instanceof ShadowtapError);
    assert.equal(e.code, 'model-invalid');
    assert.ok(e.message.startsWith('model models/x.json: '), e.message);
    assert.ok(e.message.includes(fragment), e.message);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
}

test('a bad model file is a one-line error naming the file and the fault', () => {
  const good = JSON.parse(save(train(data(100, 13), NAMES, { trees: 3, sampleSize: 16 })));
  const bad = (patch: (m: Record<string, unknown>) => void): string => {
    const m = structuredClone(good);
    patch(m);
    return JSON.stringify(m);
  };
  rejects('{"format":', 'not JSON');
  rejects('[]', 'not a JSON object');
  rejects(bad((m) => { m.format = 'other'; }), 'not a shadowtap');
  rejects(bad((m) => { m.version = 2; }), 'version 2');
  rejects(bad((m) => { m.features = []; }), 'features');
  rejects(bad((m) => { m.transforms = ['none']; }), 'transforms');
  rejects(bad((m) => { m.threshold = 'high'; }), 'threshold');
  rejects(bad((m) => { m.trees = [[7, 0.5, 1, 1, 1]]; }), 'feature 7');
  rejects(bad((m) => { m.trees = [[0, 5, 1, 1, 1]]; }), 'above its range');
  rejects(bad((m) => { m.trees = [999]; }), 'leaf size 999');
  let deep: unknown = 1;
  for (let i = 0; i < 10; i++) deep = [0, 0.5, 1, deep, 1];
  rejects(bad((m) => { m.trees = [deep]; }), 'deeper than 4');
});

test('model files: saved and loaded by path, missing and oversized ones refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shadowtap-model-'));
  const m = train(data(100, 14), NAMES, { trees: 5 });
  const path = join(dir, 'm.json');
  saveModelFile(path, m);
  assert.deepEqual(loadModelFile(path, DEFAULT_LIMITS), m);
  assert.throws(() => loadModelFile(join(dir, 'none.json'), DEFAULT_LIMITS),
    (e: unknown) => e instanceof ShadowtapError && e.code === 'file-not-found');
  writeFileSync(join(dir, 'big.json'), 'x'.repeat(100));
  assert.throws(() => loadModelFile(join(dir, 'big.json'), limitsWith({ abuseMaxModelBytes: 50 })),
    (e: unknown) => e instanceof ShadowtapError && e.message.includes('over the 50-byte limit'));
});

test('training refuses too few rows and ragged rows with a usage error', () => {
  assert.throws(() => train([[1, 2, 3]], NAMES), (e: unknown) =>
    e instanceof ShadowtapError && e.code === 'usage');
  assert.throws(() => train([[1, 2, 3], [1, 2]], NAMES), ShadowtapError);
  assert.throws(() => train([[1, 2, 3], [1, 2, NaN]], NAMES), ShadowtapError);
});
