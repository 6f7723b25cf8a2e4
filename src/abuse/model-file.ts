/**
 * Reading a saved model back, with validation: a model file is user input, so
 * every field is checked before it is trusted, and a bad file is one line naming
 * the file and what is wrong (STYLE 8). Scores of a loaded model equal those of
 * the saved one because JSON keeps every double exactly (shortest round-trip form).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Limits } from '../config/limits.js';
import { ShadowtapError } from '../errors.js';
import type { Model, Transform, TreeNode } from './forest.js';

type Obj = Record<string, unknown>;

function fail(source: string, what: string): never {
  throw new ShadowtapError('model-invalid', `model ${source}: ${what}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function nullableFinite(v: unknown): v is number | null {
  return v === null || finite(v);
}

/** Checks one tree recursively; depth is bounded by the height limit, so recursion is too. */
function checkTree(
  node: unknown,
  depth: number,
  ctx: { source: string; width: number; limit: number; psi: number; tree: number },
): void {
  if (typeof node === 'number') {
    if (!Number.isInteger(node) || node < 0 || node > ctx.psi) {
      fail(ctx.source, `tree ${ctx.tree} has a leaf size ${node} outside 0..${ctx.psi}`);
    }
    return;
  }
  if (!Array.isArray(node) || node.length !== 5) {
    fail(ctx.source, `tree ${ctx.tree} has a node that is neither a leaf nor a split`);
  }
  if (depth >= ctx.limit) fail(ctx.source, `tree ${ctx.tree} is deeper than ${ctx.limit}`);
  const [f, v, hi, l, r] = node as unknown[];
  if (!Number.isInteger(f) || (f as number) < 0 || (f as number) >= ctx.width) {
    fail(ctx.source, `tree ${ctx.tree} splits on feature ${String(f)} of ${ctx.width}`);
  }
  if (!finite(v) || !finite(hi) || v > hi) {
    fail(ctx.source, `tree ${ctx.tree} has a split above its range (or not a number)`);
  }
  checkTree(l, depth + 1, ctx);
  checkTree(r, depth + 1, ctx);
}

/** Parses and validates a saved model; `source` names it in errors (a path, usually). */
export function load(json: string, source = 'file'): Model {
  let m: unknown;
  try {
    m = JSON.parse(json);
  } catch (e) {
    fail(source, `not JSON (${(e as Error).message})`);
  }
  if (!isObj(m)) fail(source, 'not a JSON object');
  if (m.format !== 'shadowtap-iforest') fail(source, 'not a shadowtap isolation-forest model');
  if (m.version !== 1) fail(source, `version ${String(m.version)} is not supported (want 1)`);
  const features = m.features;
  if (!Array.isArray(features) || features.length === 0 ||
    !features.every((f) => typeof f === 'string')) {
    fail(source, 'features must be a non-empty list of names');
  }
  const transforms = m.transforms;
  if (!Array.isArray(transforms) || transforms.length !== features.length ||
    !transforms.every((t) => t === 'none' || t === 'log1p')) {
    fail(source, "transforms must give 'none' or 'log1p' for each feature");
  }
  const ceiling = m.ceiling;
  if (!Array.isArray(ceiling) || ceiling.length !== features.length || !ceiling.every(finite)) {
    fail(source, 'ceiling must give a number for each feature');
  }
  const psi = m.sampleSize;
  if (!Number.isInteger(psi) || (psi as number) < 2) fail(source, 'sampleSize must be >= 2');
  if (!Number.isInteger(m.seed)) fail(source, 'seed must be an integer');
  const t = m.training;
  if (!isObj(t) || !Number.isInteger(t.rows) || !nullableFinite(t.start) ||
    !nullableFinite(t.end) || !nullableFinite(t.windowSec)) {
    fail(source, 'training must have rows, start, end and windowSec');
  }
  if (!finite(m.threshold)) fail(source, 'threshold must be a number');
  const rule = m.thresholdRule;
  if (!isObj(rule) || !finite(rule.quantile) || !finite(rule.margin) || !finite(rule.floor)) {
    fail(source, 'thresholdRule must have a quantile, a margin and a floor');
  }
  const b = m.baseline;
  if (!isObj(b) || !Array.isArray(b.quantiles) || !b.quantiles.every(finite) ||
    !Array.isArray(b.values) || b.values.length !== features.length ||
    !b.values.every((v) => Array.isArray(v) && v.length === (b.quantiles as unknown[]).length &&
      v.every(finite))) {
    fail(source, 'baseline must hold one list of quantiles per feature');
  }
  const trees = m.trees;
  if (!Array.isArray(trees) || trees.length === 0) fail(source, 'trees must be a non-empty list');
  const limit = Math.ceil(Math.log2(psi as number));
  trees.forEach((tree, i) => checkTree(tree, 0, {
    source, width: features.length, limit, psi: psi as number, tree: i,
  }));
  return {
    format: 'shadowtap-iforest',
    version: 1,
    features: features as string[],
    transforms: transforms as Transform[],
    ceiling: ceiling as number[],
    sampleSize: psi as number,
    seed: m.seed as number,
    training: {
      rows: t.rows as number,
      start: t.start as number | null,
      end: t.end as number | null,
      windowSec: t.windowSec as number | null,
    },
    threshold: m.threshold as number,
    thresholdRule: {
      quantile: rule.quantile as number, margin: rule.margin as number, floor: rule.floor as number,
    },
    baseline: { quantiles: b.quantiles as number[], values: b.values as number[][] },
    trees: trees as TreeNode[],
  };
}

/** Reads and validates a model file no larger than limits.abuseMaxModelBytes. */
export function loadModelFile(path: string, limits: Limits): Model {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ShadowtapError('file-not-found', `model ${path}: no such file`);
  }
  if (size > limits.abuseMaxModelBytes) {
    fail(path, `${size} bytes is over the ${limits.abuseMaxModelBytes}-byte limit`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ShadowtapError('file-unreadable', `model ${path}: ${(e as Error).message}`);
  }
  return load(text, path);
}

/** The model as compact JSON: trees, names, window and baseline; no training rows. */
export function save(model: Model): string {
  return JSON.stringify(model);
}

/** Writes a model as compact JSON. */
export function saveModelFile(path: string, model: Model): void {
  try {
    writeFileSync(path, save(model) + '\n');
  } catch (e) {
    throw new ShadowtapError('file-unreadable', `model ${path}: ${(e as Error).message}`);
  }
}

/** Throws unless the model was trained on exactly these features, in this order. */
export function assertFeatures(model: Model, names: readonly string[], source = 'file'): void {
  if (model.features.length !== names.length || model.features.some((f, i) => f !== names[i])) {
    fail(source, `trained on features [${model.features.join(', ')}], ` +
      `this sensor computes [${names.join(', ')}]`);
  }
}
