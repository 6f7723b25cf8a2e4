/**
 * The abuse stage's part in a live capture, kept out of capture.ts: exchanges go
 * to the scoring worker as rounds come back (dropped and counted when its queue
 * is full: the packet path never waits), each checkpoint sends that interval's
 * templates so the worker can score what it holds, and alerts come back
 * asynchronously, to be stored with the run and handed to `onAlerts`.
 */
import type { Alert } from '../abuse/alerts.js';
import type { Model } from '../abuse/forest.js';
import type { TrustedProxies } from '../abuse/identity.js';
import type { CaptureClock, LivePhase } from '../abuse/live.js';
import type { AnomalyCode } from '../anomalies.js';
import type { Catalog } from '../catalog/types.js';
import type { Limits } from '../config/limits.js';
import type { PathTemplates } from '../infer/endpoints.js';
import type { PathStats } from '../infer/inventory.js';
import { log } from '../log.js';
import type { Store } from '../store/db.js';
import type { CheckpointResult, CheckpointTask } from './abuse-messages.js';
import { pathTemplates, shadowShapes, type AbuseTemplates } from './abuse-paths.js';
import { AbuseStage } from './abuse-stage.js';
import type { ExchangeSummary } from './messages.js';

/** How a live capture looks for abuse (see src/abuse/live.ts for the three ways). */
export interface LiveAbuseOptions {
  limits: Limits;
  trusted: TrustedProxies;
  /** A trained model (`--model`); null trains (trainForSec) or runs the detectors only. */
  model: Model | null;
  trainForSec: number | null;
  seed?: number;
  /** Wall-clock seconds the end of the capture waits for the scorer (--abuse-timeout). */
  timeoutSec: number;
  /** Gets each checkpoint's alerts once they are stored (the --alerts-jsonl file). */
  onAlerts?: (alerts: readonly Alert[], runId: number) => void;
  /** Gets the model fitted when training ends (saved by the caller). */
  onModel?: (model: Model) => void;
}

/** Counters of the stage for the stats line. */
export interface LiveAbuseStats {
  alerts: number;
  /** Exchanges dropped because the scorer's queue was full. */
  dropped: number;
  phase: LivePhase;
}

/** What a checkpoint hands over: the interval's paths and their templates. */
export interface LiveCheckpointInput {
  paths: readonly PathStats[];
  catalog: Catalog | null;
  /** templatePaths(paths); null when there were no paths. */
  templates: PathTemplates | null;
}

/** The abuse stage of one live capture: construct, start(), add() and checkpoint(), finish(). */
export class LiveAbuse {
  private readonly stage: AbuseStage;
  private readonly opts: LiveAbuseOptions;
  private store: Store | null = null;
  private runId = 0;
  private alerts = 0;
  private phase: LivePhase;
  /** Templates of checkpoints the full queue refused, sent with the next one. */
  private pending: AbuseTemplates = { templates: [], shadow: [] };
  /** The final checkpoint, when the full queue refused it: finish() runs it. */
  private last: CheckpointTask | null = null;

  constructor(opts: LiveAbuseOptions) {
    this.opts = opts;
    this.phase = opts.model !== null ? 'scoring' : opts.trainForSec !== null ? 'training'
      : 'detectors';
    this.stage = new AbuseStage({
      limits: opts.limits,
      mode: 'live',
      trusted: opts.trusted,
      live: {
        model: opts.model, trainForSec: opts.trainForSec,
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      },
      onCheckpoint: (r) => this.take(r),
    });
  }

  /** Where alerts are stored: the run's database row. */
  start(store: Store, runId: number): void {
    this.store = store;
    this.runId = runId;
  }

  /** Takes one round of exchanges; never waits (a full queue drops and counts them). */
  add(round: readonly ExchangeSummary[]): Promise<void> {
    return this.stage.add(round);
  }

  /** Asks the worker to score what it holds and the windows the clock closed. */
  checkpoint(input: LiveCheckpointInput, clock: CaptureClock, final: boolean): void {
    if (input.templates !== null) {
      const templates = pathTemplates(input.paths, input.templates);
      this.pending.templates.push(...templates);
      this.pending.shadow.push(...shadowShapes(input.paths, templates, input.catalog));
    }
    const task: CheckpointTask = { op: 'checkpoint', ...this.pending, clock, final };
    if (this.stage.checkpoint(task)) this.pending = { templates: [], shadow: [] };
    else if (final) this.last = task;
  }

  /** Counters for the stats line. */
  get stats(): LiveAbuseStats {
    return { alerts: this.alerts, dropped: this.stage.droppedRecords, phase: this.phase };
  }

  /** The stage's anomalies (queue overflow, bad X-Forwarded-For, the worker's limits). */
  get anomalies(): Partial<Record<AnomalyCode, number>> {
    return this.stage.anomalies.counts;
  }

  /** After the final checkpoint: waits for the scorer within the time limit, then ends it. */
  async finish(): Promise<void> {
    try {
      const { timedOut, unscored } = await this.stage.drain(this.opts.timeoutSec * 1000,
        this.last);
      if (timedOut) {
        log.warn(`abuse: the time limit of ${this.opts.timeoutSec} s ran out with ` +
          `${unscored} task(s) of the scorer not done; their alerts are missing`);
      }
    } finally {
      await this.stage.close();
    }
  }

  /** Ends the worker without waiting (on errors). */
  close(): Promise<void> {
    return this.stage.close();
  }

  private take(r: CheckpointResult): void {
    this.stage.anomalies.merge(r.anomalies);
    this.phase = r.phase;
    if (r.fitted !== null) this.opts.onModel?.(r.fitted);
    if (r.alerts.length === 0) return;
    this.alerts += r.alerts.length;
    this.store?.addAlerts(this.runId, r.alerts);
    this.opts.onAlerts?.(r.alerts, this.runId);
  }
}
