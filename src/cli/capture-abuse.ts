/**
 * `capture`'s abuse options: scoring against a trained model (--model), training
 * first (--train-for, the model saved where --model says or under models/), or,
 * with neither, the detectors that need no training only. Everything is checked
 * before the capture opens, so a bad model file or an unwritable model folder is
 * one line and no capture.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FEATURE_NAMES } from '../abuse/features.js';
import type { Model } from '../abuse/forest.js';
import { parseTrustedProxies } from '../abuse/identity.js';
import { assertFeatures, loadModelFile, saveModelFile } from '../abuse/model-file.js';
import type { Limits } from '../config/limits.js';
import { ShadowtapError } from '../errors.js';
import { log } from '../log.js';
import type { LiveAbuseOptions } from '../pipeline/abuse-live.js';

/** The command-line values these options come from. */
export interface CaptureAbuseValues {
  abuse: boolean;
  model?: string;
  trainFor?: number;
  seed?: number;
  trustedProxy: string[];
  abuseTimeout: number;
}

/** Help text of the abuse options. */
export const CAPTURE_ABUSE_HELP = {
  model: 'score abuse against this model (made by `shadowtap train`); with --train-for, ' +
    'where the trained model is saved',
  trainFor: 'fit an abuse model on the first stretch of capture time this long (e.g. 6h), ' +
    'save it (default models/live-<time>.json), then score with it',
  none: 'without --model or --train-for, only the detectors that need no training\n' +
    'run (injection probes, id enumeration, credential stuffing, rate limiting);\n' +
    'no isolation forest',
} as const;

/** Where a model trained at capture time `end` is saved when --model does not say. */
export function defaultModelPath(end: number | null): string {
  const at = new Date((end ?? Date.now() / 1000) * 1000).toISOString();
  return join('models', `live-${at.slice(0, 19).replace(/:/g, '')}Z.json`);
}

/**
 * Fails unless a model can be written at `path`: its folder, or the nearest one
 * above it that exists (the rest is made when the model is saved), is writable.
 */
function assertWritable(path: string): void {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new ShadowtapError('usage',
      `--model ${path}: the trained model cannot be written there (${(e as Error).message})`);
  }
}

/**
 * The live abuse options, or null with --no-abuse. A given model is loaded and
 * checked now; with --train-for, the folder the model goes to must be writable.
 */
export function captureAbuseOptions(v: CaptureAbuseValues, limits: Limits):
  LiveAbuseOptions | null {
  if (!v.abuse) return null;
  if (v.seed !== undefined && v.trainFor === undefined) {
    throw new ShadowtapError('usage', '--seed is the seed of --train-for; give both or neither');
  }
  const trustedProxies = parseTrustedProxies(v.trustedProxy);
  let model: Model | null = null;
  const trainForSec = v.trainFor === undefined ? null : v.trainFor / 1000;
  if (trainForSec === null && v.model !== undefined) {
    model = loadModelFile(v.model, limits);
    assertFeatures(model, FEATURE_NAMES, v.model);
  }
  if (trainForSec !== null) assertWritable(v.model ?? defaultModelPath(null));
  return {
    limits,
    trusted: trustedProxies,
    model,
    trainForSec,
    ...(v.seed !== undefined ? { seed: v.seed } : {}),
    timeoutSec: v.abuseTimeout,
    onModel: (fitted) => saveTrained(fitted, v.model),
  };
}

/** Saves the model training ended with; a failure is said, and scoring goes on. */
function saveTrained(model: Model, path: string | undefined): void {
  const to = path ?? defaultModelPath(model.training.end);
  const what = `${model.training.rows.toLocaleString('en-US')} client-windows of ` +
    `${model.training.windowSec} s, threshold ${model.threshold.toFixed(4)}, seed ${model.seed}`;
  try {
    mkdirSync(dirname(to), { recursive: true });
    saveModelFile(to, model);
    log.info(`abuse: trained ${to} (${what}); scoring from now on`);
  } catch (e) {
    log.warn(`abuse: trained (${what}) but could not save it: ${(e as Error).message}; ` +
      'scoring with it goes on');
  }
}

/** What the run summary says about abuse detection in a live capture. */
export function captureAbuseLine(s: { alerts: number; dropped: number; phase: string }): string {
  const how = s.phase === 'scoring' ? 'scored with a model'
    : s.phase === 'training' ? 'still training (detectors only)' : 'detectors only';
  return `abuse: ${s.alerts.toLocaleString('en-US')} alert(s), ${how}; ` +
    `${s.dropped.toLocaleString('en-US')} exchange(s) dropped (scorer's queue full)`;
}
