/**
 * Our isolation forest (Liu, Ting and Zhou, 2008): seeded, sub-sampled, and
 * saved as trees only. ml-isolation-forest 0.1.0 cannot be wrapped to do this
 * (it calls Math.random directly, fits every tree on every row, and keeps the
 * rows in its leaves; see docs/abuse.md), so the algorithm is written here and
 * the package is kept as a cross-check in test/abuse-forest.test.ts.
 *
 * A tree isolates rows by splitting on a random feature at a random value
 * between that feature's min and max. Outliers are isolated near the root, so
 * a short mean path over the forest means an unusual row.
 *
 * Two range checks are added to the standard algorithm, because a forest trained
 * on ordinary traffic never saw the attack: split values are drawn inside the
 * training range, so a value far beyond it would follow the most extreme training
 * rows down and look no stranger than they do. (1) At a split, a row above the
 * largest value the node's rows had on that feature is isolated there (the range
 * check of SCiForest, Liu, Ting and Zhou 2010). (2) A row above the whole training
 * range on any feature, plus a tolerance, is isolated at the root of every tree:
 * with many features, an attack extreme on one of them (login failures) is
 * otherwise diluted by trees that never split on it. Both checks look up only:
 * every feature here is a count or share where more is the suspicious direction,
 * and a quiet client is not an abusive one.
 */
import { ShadowtapError } from '../errors.js';
import { mulberry32 } from './random.js';

/**
 * A leaf (how many sample rows reached it) or a split:
 * [feature, value, high, left (< value), right (>= value)], where high is the
 * largest value of the feature among the rows that reached the node.
 */
export type TreeNode = number | [number, number, number, TreeNode, TreeNode];

/**
 * How a feature is fed to the trees. Split points are drawn uniformly between a
 * node's min and max, so a heavy-tailed count (bytes, requests) on its raw scale
 * gets nearly every split up in its tail; log1p spreads splits where rows are.
 */
export type Transform = 'none' | 'log1p';

/**
 * How far above the training range a value may go before check (2) isolates it,
 * in transformed units: log1p counts may roughly double (ln 2), shares rise 0.25.
 */
export const RANGE_TOLERANCE: Readonly<Record<Transform, number>> = Object.freeze({
  log1p: Math.LN2,
  none: 0.25,
});

/** How the alert threshold is derived from the training rows' own scores. */
export interface ThresholdRule {
  /** Quantile of training scores the threshold starts from. */
  quantile: number;
  /** Added to that quantile, so the ordinary tail of training does not alert. */
  margin: number;
  /**
   * Lowest threshold whatever the quantile: when every score is near 0.5 the rows
   * hold no distinct outlier (Liu, Ting and Zhou 2008, section 2), and the top
   * quantile of a clean capture must not alert just for being the top.
   */
  floor: number;
}

/** The capture-time span the training rows came from. */
export interface TrainingWindow {
  start: number | null;
  end: number | null;
  windowSec: number | null;
}

/** A trained forest with what scoring and alert reasons need; serialisable as is. */
export interface Model {
  format: 'shadowtap-iforest';
  version: 1;
  features: string[];
  /** Per feature, how values are transformed before the trees see them. */
  transforms: Transform[];
  /** Per feature: the largest transformed training value plus RANGE_TOLERANCE. */
  ceiling: number[];
  /** Rows per tree actually drawn (min of the requested size and the rows given). */
  sampleSize: number;
  seed: number;
  training: TrainingWindow & { rows: number };
  threshold: number;
  thresholdRule: ThresholdRule;
  /** Per-feature quantiles of the training rows, for the reasons of an alert. */
  baseline: { quantiles: number[]; values: number[][] };
  trees: TreeNode[];
}

/** Options of train(). */
export interface TrainOptions {
  /** Per feature; all 'none' when absent. */
  transforms?: readonly Transform[];
  trees: number;
  sampleSize: number;
  seed: number;
  threshold?: ThresholdRule;
  window?: TrainingWindow;
}

/** Defaults of the standard algorithm: 100 trees of 256 rows (psi in the paper). */
export const DEFAULT_TRAIN: Readonly<TrainOptions> = Object.freeze({
  trees: 100,
  sampleSize: 256,
  seed: 0x5eed,
});

/**
 * The default threshold: the training scores' 99.9th percentile plus 0.03. Scores
 * are on a 0..1 scale where 0.5 is an ordinary row; the training rows are taken
 * as ordinary, so the bar sits just past nearly all of them, and a rare but
 * recurring ordinary mode (a batch job's heavy minute) stays under it. Chosen on
 * bench/abuse-synth.ts over 14 seeded runs: 99.5th + 0.05 flagged 0.30% of benign
 * windows (1.25% in the worst run), this 0.06% (0.71%), at the same recall.
 */
export const DEFAULT_THRESHOLD: Readonly<ThresholdRule> = Object.freeze({
  quantile: 0.999,
  margin: 0.03,
  floor: 0.6,
});

/** Quantiles stored per feature in a model's baseline. */
export const BASELINE_QUANTILES = [0.5, 0.9, 0.99] as const;

/** Fewest rows a forest can be trained on. */
export const MIN_TRAINING_ROWS = 2;

const EULER = 0.5772156649015329;

/** Mean path length of an unsuccessful search in a binary search tree of n keys: c(n). */
export function averagePath(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER) - (2 * (n - 1)) / n;
}

/** Value at quantile q of ascending `sorted` (nearest rank), 0 when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

function buildTree(
  rows: readonly number[][],
  idx: number[],
  depth: number,
  limit: number,
  rand: () => number,
): TreeNode {
  if (depth >= limit || idx.length <= 1) return idx.length;
  const width = (rows[idx[0] as number] as number[]).length;
  // Split only on features that vary here; a constant one cannot separate rows.
  const varying: Array<[number, number, number]> = []; // feature, low, high
  for (let f = 0; f < width; f++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const i of idx) {
      const v = (rows[i] as number[])[f] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi > lo) varying.push([f, lo, hi]);
  }
  if (varying.length === 0) return idx.length;
  const [f, lo, hi] = varying[Math.floor(rand() * varying.length)] as [number, number, number];
  const split = lo + rand() * (hi - lo);
  const left: number[] = [];
  const right: number[] = [];
  for (const i of idx) ((rows[i] as number[])[f] as number) < split ? left.push(i) : right.push(i);
  return [f, split, hi, buildTree(rows, left, depth + 1, limit, rand),
    buildTree(rows, right, depth + 1, limit, rand)];
}

/** Path length of a row in one tree, with range check (1) of the file comment. */
function pathLength(tree: TreeNode, row: readonly number[]): number {
  let node = tree;
  let depth = 0;
  while (typeof node !== 'number') {
    const v = row[node[0]] as number;
    if (v > node[2]) return depth + 1;
    node = v < node[1] ? node[3] : node[4];
    depth++;
  }
  return depth + averagePath(node);
}

function transformRow(row: readonly number[], transforms: readonly Transform[]): number[] {
  return row.map((v, i) => (transforms[i] === 'log1p' ? Math.log1p(Math.max(0, v)) : v));
}

function scoreTrees(
  trees: readonly TreeNode[],
  sampleSize: number,
  ceiling: readonly number[],
  row: readonly number[],
): number {
  let mean = 1; // range check (2): isolated at the root of every tree
  if (row.every((v, f) => v <= (ceiling[f] as number))) {
    let sum = 0;
    for (const t of trees) sum += pathLength(t, row);
    mean = sum / trees.length;
  }
  return 2 ** (-mean / averagePath(sampleSize));
}

/** Orders rows by their values, feature by feature: one order for any arrangement. */
export function byValues(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Trains a forest: each tree on `sampleSize` rows drawn without replacement with a
 * PRNG seeded by `seed`, grown to height ceil(log2 sampleSize). The same rows, in
 * any order, and options give the same model, byte for byte once saved: the rows
 * are sorted by value first, since callers order them by client names (tokens,
 * keyed afresh by `shadowtap train`) that must not change the model.
 */
export function train(
  rows: readonly number[][],
  featureNames: readonly string[],
  options: Partial<TrainOptions> = {},
): Model {
  const o = { ...DEFAULT_TRAIN, ...options };
  if (rows.length < MIN_TRAINING_ROWS) {
    throw new ShadowtapError('usage', `training needs at least ${MIN_TRAINING_ROWS} windows, ` +
      `got ${rows.length}`);
  }
  for (const r of rows) {
    if (r.length !== featureNames.length || !r.every(Number.isFinite)) {
      throw new ShadowtapError('usage', `training row [${r.join(',')}] does not have ` +
        `${featureNames.length} finite features`);
    }
  }
  if (!Number.isInteger(o.trees) || o.trees < 1 || !Number.isInteger(o.sampleSize) ||
    o.sampleSize < 2) {
    throw new ShadowtapError('usage', 'trees must be >= 1 and sample size >= 2 (integers)');
  }
  const transforms: Transform[] = featureNames.map((_, i) => o.transforms?.[i] ?? 'none');
  const input = [...rows].sort(byValues).map((r) => transformRow(r, transforms));
  const rand = mulberry32(o.seed);
  const psi = Math.min(o.sampleSize, rows.length);
  const limit = Math.ceil(Math.log2(psi));
  const all = rows.map((_, i) => i);
  const trees: TreeNode[] = [];
  for (let t = 0; t < o.trees; t++) {
    // Partial Fisher-Yates: the first psi slots become the sample.
    for (let i = 0; i < psi; i++) {
      const j = i + Math.floor(rand() * (all.length - i));
      const tmp = all[i] as number;
      all[i] = all[j] as number;
      all[j] = tmp;
    }
    trees.push(buildTree(input, all.slice(0, psi), 0, limit, rand));
  }
  const ceiling = transforms.map((t, f) => {
    let hi = -Infinity;
    for (const r of input) hi = Math.max(hi, r[f] as number);
    return hi + RANGE_TOLERANCE[t];
  });
  const rule = o.threshold ?? DEFAULT_THRESHOLD;
  const scores = input.map((r) => scoreTrees(trees, psi, ceiling, r)).sort((a, b) => a - b);
  const values = featureNames.map((_, f) => {
    const col = rows.map((r) => r[f] as number).sort((a, b) => a - b);
    return BASELINE_QUANTILES.map((q) => quantile(col, q));
  });
  const window = o.window ?? { start: null, end: null, windowSec: null };
  return {
    format: 'shadowtap-iforest',
    version: 1,
    features: [...featureNames],
    transforms,
    ceiling,
    sampleSize: psi,
    seed: o.seed,
    training: { rows: rows.length, start: window.start, end: window.end,
      windowSec: window.windowSec },
    threshold: Math.max(quantile(scores, rule.quantile) + rule.margin, rule.floor),
    thresholdRule: { quantile: rule.quantile, margin: rule.margin, floor: rule.floor },
    baseline: { quantiles: [...BASELINE_QUANTILES], values },
    trees,
  };
}

/** Anomaly score of one row, 0..1: about 0.5 for ordinary rows, near 1 for clear outliers. */
export function score(model: Model, row: readonly number[]): number {
  return scoreTrees(model.trees, model.sampleSize, model.ceiling,
    transformRow(row, model.transforms));
}

/** Saving and validated loading live in model-file.ts; re-exported as part of the forest API. */
export { load, save } from './model-file.js';
