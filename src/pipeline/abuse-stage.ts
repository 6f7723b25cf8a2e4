/**
 * The abuse stage beside the packet path (issue 5). It owns one piscina pool of
 * one thread (workers/abuse-worker.ts) and a bounded queue in front of it: as
 * rounds of exchanges come back, their slim records are queued and appended in
 * the worker, which is cheap. A replay scores once the packet pipeline is done
 * and paths are templated; a live capture at each checkpoint, with the templates
 * of that interval. So a slow or broken model never slows packets: it only
 * lengthens (up to a time limit) the wait at the end of a run.
 *
 * Replay mode waits for room in the queue (everything is scored, so a replay
 * gives the same alerts every time); live mode drops a full queue's overflow and
 * counts it (the `abuse-queue-full` anomaly).
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Alert } from '../abuse/alerts.js';
import type { Model } from '../abuse/forest.js';
import type { TrustedProxies } from '../abuse/identity.js';
import { BoundedQueue, type QueueMode } from '../abuse/queue.js';
import { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import { ShadowtapError } from '../errors.js';
import { log } from '../log.js';
import type {
  AbuseTask, AbuseWorkerData, AnalyseResult, AnalyseTask, CheckpointResult, CheckpointTask,
  LiveWorkerOptions,
} from './abuse-messages.js';
import type { AbuseTemplates } from './abuse-paths.js';
import { toRecord, type AbuseRecord } from './abuse-records.js';
import type { ExchangeSummary } from './messages.js';

// Under tsx (tests run from source) the worker is the .ts file beside the sources.
const WORKER_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER_FILE = fileURLToPath(
  new URL(`../../workers/abuse-worker${WORKER_EXT}`, import.meta.url),
);

/** How the stage is run. */
export interface AbuseStageOptions {
  limits: Limits;
  mode: QueueMode;
  trusted: TrustedProxies;
  /** A live capture's scoring; set with mode 'live'. */
  live?: LiveWorkerOptions;
  /** Gets each checkpoint's result, in order, on this thread. */
  onCheckpoint?: (result: CheckpointResult) => void;
}

/** What the end of a replay asks of the stage. */
export interface AbuseRequest extends AbuseTemplates {
  model: Model | null;
  train: AnalyseTask['train'];
}

/** What the stage did, for the run summary, the store and `shadowtap train`. */
export interface AbuseOutcome {
  /** True when the analysis finished within the time limit. */
  scored: boolean;
  /** Why not, in one line for stderr; null when scored. */
  notScored: string | null;
  /** Exchanges handed to the stage; those dropped by a full live queue. */
  records: number;
  dropped: number;
  /** Events scored (records whose path has a template) and client-window rows. */
  events: number;
  rows: number;
  windowSec: number;
  alerts: Alert[];
  /** 'given' (--model), 'self-fit', 'trained' (shadowtap train) or 'none' (too few rows). */
  model: 'given' | 'self-fit' | 'trained' | 'none';
  /** The model fitted here (self-fit or trained), null otherwise. */
  fitted: Model | null;
  captureFirst: number | null;
  captureLast: number | null;
  /** Wall-clock seconds spent waiting for the stage after the packet pipeline. */
  waitSeconds: number;
}

/** The abuse stage of one run. Construct, add() each round, then finish() and close(). */
export class AbuseStage {
  /** Bad X-Forwarded-For hops and the worker's limits; the run merges them in. */
  readonly anomalies = new AnomalyCounter();
  private readonly pool: Piscina;
  private readonly queue: BoundedQueue<AbuseTask>;
  private seq = 0;
  private dropped = 0;
  private appendFailures = 0;

  constructor(private readonly opts: AbuseStageOptions) {
    const workerData: AbuseWorkerData = {
      limits: opts.limits, ...(opts.live !== undefined ? { live: opts.live } : {}),
    };
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      workerData,
    });
    this.queue = new BoundedQueue<AbuseTask>({
      capacity: opts.limits.abuseQueueCapacity,
      mode: opts.mode,
      consume: async (task) => {
        const result: unknown = await this.pool.run(task);
        if (task.op === 'checkpoint') this.opts.onCheckpoint?.(result as CheckpointResult);
      },
      onError: (err, task) => {
        const why = err instanceof Error ? err.message : String(err);
        if (task.op === 'checkpoint') log.warn(`abuse: a checkpoint was not scored: ${why}`);
        else this.appendFailures++;
        log.debug(`abuse: ${task.op} failed: ${why}`);
      },
    });
  }

  /**
   * Takes one round of exchanges, in round order. Replay mode resolves once the
   * round is queued (waiting only when the queue is full); live mode never waits.
   */
  async add(round: readonly ExchangeSummary[]): Promise<void> {
    const records: AbuseRecord[] = [];
    for (const ex of round) {
      const r = toRecord(ex, this.seq, this.opts.trusted, this.anomalies);
      if (r === null) continue;
      this.seq++;
      records.push(r);
    }
    if (records.length === 0) return;
    const task: AbuseTask = { op: 'append', records };
    const queued = this.opts.mode === 'live' ? this.queue.offer(task) : await this.queue.push(task);
    if (!queued) {
      this.dropped += records.length;
      if (this.opts.mode === 'live') this.anomalies.add('abuse-queue-full', records.length);
    }
  }

  /** Exchanges dropped so far because the queue was full (live mode). */
  get droppedRecords(): number {
    return this.dropped;
  }

  /**
   * Live mode: queues a checkpoint behind the records added before it; false when
   * the queue is full (the records stay held in the worker for the next one).
   */
  checkpoint(task: CheckpointTask): boolean {
    return this.queue.offer(task);
  }

  /**
   * Live mode, at the end: waits (within `timeoutMs`, wall clock) for the queued
   * records and checkpoints to be scored, their results reaching onCheckpoint;
   * then runs `last`, the final checkpoint when the full queue refused it.
   */
  async drain(
    timeoutMs: number,
    last: CheckpointTask | null,
  ): Promise<{ timedOut: boolean; unscored: number }> {
    const started = performance.now();
    const report = await this.queue.drain(timeoutMs);
    if (this.appendFailures > 0) {
      log.warn(`abuse: ${this.appendFailures} round(s) of exchanges could not be handed to ` +
        'the scorer; the alerts leave them out');
    }
    if (report.timedOut || last === null) {
      return { timedOut: report.timedOut, unscored: report.unscored + (last === null ? 0 : 1) };
    }
    const left = timeoutMs - (performance.now() - started);
    try {
      const result = await withTimeout(this.pool.run(last) as Promise<CheckpointResult>, left);
      if (result === null) return { timedOut: true, unscored: 1 };
      this.opts.onCheckpoint?.(result);
    } catch (e) {
      log.warn(`abuse: the last checkpoint was not scored: ${e instanceof Error ? e.message : e}`);
      return { timedOut: false, unscored: 1 };
    }
    return { timedOut: false, unscored: 0 };
  }

  /**
   * Waits for the queue to drain and for the analysis, both within `timeoutMs`
   * (wall clock: it bounds how long a run may take to end). Out of time, nothing
   * is scored and the outcome says what was left. A failed analysis is reported
   * the same way, except in training, where it is the run's error.
   */
  async finish(request: AbuseRequest, timeoutMs: number): Promise<AbuseOutcome> {
    const started = performance.now();
    const drained = await this.queue.drain(timeoutMs);
    const waited = (): number => (performance.now() - started) / 1000;
    if (drained.timedOut) {
      return this.unscored(`the time limit of ${timeoutMs / 1000} s ran out while ` +
        `${drained.unscored} round(s) were still queued`, waited());
    }
    const task: AnalyseTask = { op: 'analyse', ...request };
    let result: AnalyseResult | null;
    try {
      result = await withTimeout(this.pool.run(task) as Promise<AnalyseResult>,
        timeoutMs - waited() * 1000);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (request.train !== null) throw new ShadowtapError('usage', `train: ${why}`);
      return this.unscored(`the analysis failed: ${why}`, waited());
    }
    if (result === null) {
      return this.unscored(`the time limit of ${timeoutMs / 1000} s ran out during the analysis`,
        waited());
    }
    this.anomalies.merge(result.anomalies);
    if (this.appendFailures > 0) {
      log.warn(`abuse: ${this.appendFailures} round(s) of exchanges could not be handed to ` +
        'the scorer; the alerts leave them out');
    }
    const model = request.train !== null ? 'trained'
      : request.model !== null ? 'given' : result.selfFitted ? 'self-fit' : 'none';
    return {
      scored: true, notScored: null, records: this.seq, dropped: this.dropped,
      events: result.events, rows: result.rows, windowSec: result.windowSec,
      alerts: result.alerts, model, fitted: result.fitted,
      captureFirst: result.captureFirst, captureLast: result.captureLast,
      waitSeconds: waited(),
    };
  }

  /** Ends the worker, also one still busy with a task that ran out of time. */
  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }

  private unscored(why: string, waitSeconds: number): AbuseOutcome {
    return {
      scored: false, notScored: why, records: this.seq, dropped: this.dropped, events: 0,
      rows: 0, windowSec: 0, alerts: [], model: 'none', fitted: null, captureFirst: null,
      captureLast: null, waitSeconds,
    };
  }
}

/** The promise's value, or null when `ms` (wall clock) passes first; a rejection is thrown. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), Math.max(0, ms));
  });
  p.catch(() => undefined); // out of time, close() ends the thread and this rejects unheard
  try {
    return await Promise.race([p, expired]);
  } finally {
    clearTimeout(timer);
  }
}
