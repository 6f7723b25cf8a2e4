/**
 * Options of abuse detection shared by `replay` and `train`, and the lines a run
 * writes about it to stderr.
 */
import { FEATURE_NAMES } from '../abuse/features.js';
import type { Model } from '../abuse/forest.js';
import { parseTrustedProxies } from '../abuse/identity.js';
import { assertFeatures, loadModelFile } from '../abuse/model-file.js';
import type { Limits } from '../config/limits.js';
import type { AbuseOutcome } from '../pipeline/abuse-stage.js';
import type { ReplayAbuseOptions } from '../pipeline/abuse-run.js';

/** The command-line values these options come from. */
export interface AbuseCliValues {
  model?: string;
  trustedProxy: string[];
  abuseTimeout: number;
}

/**
 * The replay's abuse options: the model loaded and checked before any packet is
 * read (a bad model file is an operator error naming the file), the trusted
 * proxies parsed (a bad entry names itself).
 */
export function abuseOptions(v: AbuseCliValues, limits: Limits): ReplayAbuseOptions {
  let model: Model | null = null;
  if (v.model !== undefined) {
    model = loadModelFile(v.model, limits);
    assertFeatures(model, FEATURE_NAMES, v.model);
  }
  return {
    model,
    trustedProxies: parseTrustedProxies(v.trustedProxy),
    timeoutSec: v.abuseTimeout,
  };
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

/** Run summary lines about the packet phase and abuse detection. */
export function abuseSummaryLines(
  packetSeconds: number | undefined,
  a: AbuseOutcome | null,
): string[] {
  const lines: string[] = [];
  if (packetSeconds !== undefined) lines.push(`packet pipeline: ${packetSeconds.toFixed(2)} s`);
  if (a === null) return lines;
  if (!a.scored) {
    lines.push(`abuse: not scored (${a.notScored}); waited ${a.waitSeconds.toFixed(2)} s`);
    return lines;
  }
  const by = new Map<string, number>();
  for (const al of a.alerts) by.set(al.detector, (by.get(al.detector) ?? 0) + 1);
  const detail = [...by].map(([d, k]) => `${d} ${n(k)}`).join(', ');
  const model = a.model === 'self-fit' ? 'model fitted on this capture'
    : a.model === 'given' ? 'the given model' : a.model === 'trained' ? 'trained'
      : 'detectors only (too few windows for a model)';
  lines.push(
    `abuse: ${n(a.alerts.length)} alert(s)${detail ? ` (${detail})` : ''}; ${n(a.events)} ` +
      `exchanges in ${n(a.rows)} client-windows of ${a.windowSec} s, ${model}; ` +
      `scored ${a.waitSeconds.toFixed(2)} s after the packets`,
  );
  if (a.dropped > 0) lines.push(`abuse: ${n(a.dropped)} exchange(s) dropped (queue full)`);
  return lines;
}
