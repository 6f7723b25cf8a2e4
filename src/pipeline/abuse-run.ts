/**
 * The abuse stage's part in a replay, kept out of replay.ts: what the options
 * are, and the end of the run (templates and shadow set from the inventory, the
 * wait with its time limit, what is reported when it runs out).
 */
import type { Model } from '../abuse/forest.js';
import type { TrustedProxies } from '../abuse/identity.js';
import type { AnomalyCounter } from '../anomalies.js';
import type { Catalog } from '../catalog/types.js';
import type { Limits } from '../config/limits.js';
import type { PathStats } from '../infer/inventory.js';
import type { PathTemplates } from '../infer/endpoints.js';
import { log } from '../log.js';
import { pathTemplates, shadowShapes } from './abuse-paths.js';
import { AbuseStage, type AbuseOutcome } from './abuse-stage.js';

/** Abuse detection in a replay; absent, the replay runs no abuse stage. */
export interface ReplayAbuseOptions {
  /** A trained model (--model); null fits one on the capture itself. */
  model: Model | null;
  /** Proxies whose X-Forwarded-For is believed (--trusted-proxy). */
  trustedProxies: TrustedProxies;
  /** Wall-clock seconds the end of the replay waits for scoring (--abuse-timeout). */
  timeoutSec: number;
  /** Set by `shadowtap train`: fit a model instead of scoring (seed, preferred window). */
  train?: { seed?: number; windowSec?: number };
}

/** The stage of a replay: records are queued as rounds come; replay mode waits when full. */
export function startAbuse(opts: ReplayAbuseOptions, limits: Limits): AbuseStage {
  return new AbuseStage({ limits, mode: 'replay', trusted: opts.trustedProxies });
}

/** What the end of a replay hands over: the inventory's inputs and result. */
export interface AbuseEndInput {
  paths: readonly PathStats[];
  catalog: Catalog | null;
  /** The inventory's templates of those paths (templatePaths). */
  templates: PathTemplates;
}

/**
 * Scores (or trains on) the replay's exchanges, merges the stage's anomalies into
 * the run's, reports on stderr what was not scored, and ends the worker.
 */
export async function finishAbuse(
  stage: AbuseStage,
  input: AbuseEndInput,
  opts: ReplayAbuseOptions,
  anomalies: AnomalyCounter,
): Promise<AbuseOutcome> {
  try {
    const templates = pathTemplates(input.paths, input.templates);
    const outcome = await stage.finish({
      templates,
      shadow: shadowShapes(input.paths, templates, input.catalog),
      model: opts.model,
      train: opts.train ?? null,
    }, opts.timeoutSec * 1000);
    if (!outcome.scored) {
      log.warn(`abuse: not scored: ${outcome.records.toLocaleString('en-US')} exchange(s) ` +
        `of this run have no alerts: ${outcome.notScored}`);
    }
    return outcome;
  } finally {
    anomalies.merge(stage.anomalies.counts);
    await stage.close();
  }
}
