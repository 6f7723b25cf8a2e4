/**
 * The abuse stage over a capture that never ends (`shadowtap capture`): events
 * come in slices, one per checkpoint, and windows close as the capture clock
 * passes their end, so alerts are raised while the capture runs. The same parts
 * as analyse.ts (WindowAggregator, EnumerationDetector, scoreWindows), so a slice
 * fed here scores as a replay of the same events would.
 *
 * Three ways to run: with a trained model (`capture --model`); training first
 * (`capture --train-for`): the windows of the first stretch of capture time are
 * kept as the baseline, a model is fitted on them once that stretch has passed,
 * and the windows after it are scored; or, with neither, the detectors that need
 * no training only (a capture that never ends has no "whole capture" to fit on).
 */
import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import { scoreWindows, type Alert } from './alerts.js';
import {
  DEFAULT_ENUMERATION, EnumerationDetector, findingsByClient, flaggedByDetectors,
  type EnumerationFinding,
} from './detectors.js';
import type { ClientEvent } from './events.js';
import {
  chooseWindowSec, FEATURE_NAMES, FEATURE_TRANSFORMS, WindowAggregator, type WindowRow,
} from './features.js';
import { byValues, MIN_TRAINING_ROWS, train, type Model } from './forest.js';
import { mulberry32 } from './random.js';

/** How a live capture looks for abuse. */
export interface LiveAnalysisOptions {
  limits: Limits;
  /** A trained model to score with (`--model`); null trains or runs the detectors only. */
  model: Model | null;
  /** Capture seconds to train for, from the capture's first packet; null: no training. */
  trainForSec: number | null;
  /** Seed of the forest fitted after training. */
  seed?: number;
  /** Preferred window length (default 60 s); a short training period uses shorter ones. */
  windowSec?: number;
  anomalies?: AnomalyCounter;
}

/** The capture clock at a checkpoint: its first and latest packet times. */
export interface CaptureClock {
  first: number | null;
  last: number | null;
}

/** What one slice gave. */
export interface LiveStep {
  alerts: Alert[];
  /** The model fitted at the end of training, once; null otherwise. */
  fitted: Model | null;
  /** Client-window rows closed by this slice. */
  rows: number;
  /** 'training', 'scoring' (with a model) or 'detectors' (no model, no training). */
  phase: LivePhase;
}

/** What the live analysis is doing now. */
export type LivePhase = 'training' | 'scoring' | 'detectors';

/** Incremental abuse detection over the slices of a live capture; see the file comment. */
export class LiveAnalysis {
  readonly windowSec: number;
  private readonly opts: LiveAnalysisOptions;
  private model: Model | null;
  private aggregator: WindowAggregator | null = null;
  private readonly detector: EnumerationDetector;
  /** Capture time training ends; set at the first slice that knows the capture's start. */
  private trainUntil: number | null = null;
  private origin: number | null = null;
  /** Training rows: a seeded reservoir of at most limits.abuseMaxTrainingRows feature rows. */
  private readonly training: number[][] = [];
  private trainingSeen = 0;
  private readonly reservoirRand: () => number;
  private trainingLast: number | null = null;
  /** Enumeration findings that may still fall in a window not yet closed. */
  private recent: EnumerationFinding[] = [];

  constructor(opts: LiveAnalysisOptions) {
    this.opts = opts;
    this.model = opts.model;
    // A given model is scored on windows as long as those it learnt from.
    this.windowSec = opts.model?.training.windowSec ??
      chooseWindowSec(opts.trainForSec, opts.windowSec ?? 60);
    this.detector = new EnumerationDetector(opts.limits);
    this.reservoirRand = mulberry32((opts.seed ?? 0) ^ 0x7ea1);
  }

  /** What the analysis is doing now. */
  get phase(): LivePhase {
    if (this.model !== null) return 'scoring';
    return this.opts.trainForSec !== null ? 'training' : 'detectors';
  }

  /**
   * Feeds one slice of events (sorted by capture time), closes the windows that
   * end at or before the clock (all of them when `final`), and scores them.
   */
  advance(events: readonly ClientEvent[], clock: CaptureClock, final: boolean): LiveStep {
    const start = clock.first ?? events[0]?.ts ?? null;
    if (this.origin === null && start !== null) {
      this.origin = start;
      if (this.opts.trainForSec !== null && this.model === null) {
        this.trainUntil = start + this.opts.trainForSec;
      }
    }
    const agg = this.aggregatorFor(this.origin);
    const rows: WindowRow[] = [];
    const findings: EnumerationFinding[] = [];
    for (const ev of events) {
      if (agg !== null) rows.push(...agg.push(ev));
      findings.push(...this.detector.observe(ev));
    }
    // LIMITATION: the clock is the capture's latest packet time; one packet stamped
    // far ahead closes the open window early, and what follows in it counts as late.
    if (agg !== null && clock.last !== null) rows.push(...agg.advanceTo(clock.last));
    if (agg !== null && final) rows.push(...agg.flush());
    return this.score(rows, findings, clock, final);
  }

  private aggregatorFor(origin: number | null): WindowAggregator | null {
    if (this.aggregator === null && origin !== null) {
      this.aggregator = new WindowAggregator({
        windowSec: this.windowSec, origin, limits: this.opts.limits,
        ...(this.opts.anomalies ? { anomalies: this.opts.anomalies } : {}),
      });
    }
    return this.aggregator;
  }

  /** Rows of training windows go to the baseline, the rest are scored; detectors always run. */
  private score(
    rows: WindowRow[],
    findings: EnumerationFinding[],
    clock: CaptureClock,
    final: boolean,
  ): LiveStep {
    let fitted: Model | null = null;
    const scored: WindowRow[] = [];
    const detectorsOnly: WindowRow[] = [];
    this.recent.push(...findings);
    const byClient = findingsByClient(this.recent);
    const baseline: WindowRow[] = [];
    for (const row of rows) {
      if (this.trainUntil !== null && this.model === null && row.window.start >= this.trainUntil) {
        this.keep(baseline);
        fitted ??= this.fit();
      }
      if (this.trainUntil !== null && this.model === null) {
        // Rows a detector flags are not ordinary: not part of the baseline.
        // LIMITATION: an enumeration run completed in a later slice than the one that
        // closed a window it touches does not take that window out.
        if (!flaggedByDetectors(row, byClient)) baseline.push(row);
        this.trainingLast = row.window.end;
        detectorsOnly.push(row);
      } else scored.push(row);
    }
    this.keep(baseline);
    const open = clock.last === null ? null : this.windowStart(clock.last);
    if (open !== null) this.recent = this.recent.filter((f) => f.end >= open - this.windowSec);
    // Training ends once every window that starts before its end has closed, or
    // with the capture; too few rows by then, and it goes on.
    if (this.trainUntil !== null && this.model === null &&
      (final || (open !== null && open >= this.trainUntil))) {
      fitted ??= this.fit();
    }
    const enumeration = DEFAULT_ENUMERATION.minDistinct;
    const alerts = [
      ...scoreWindows({ rows: detectorsOnly, model: null, enumerations: findings,
        enumerationMinDistinct: enumeration }, this.opts.limits),
      ...scoreWindows({ rows: scored, model: this.model, enumerations: [],
        enumerationMinDistinct: enumeration }, this.opts.limits),
    ];
    return { alerts, fitted, rows: rows.length, phase: this.phase };
  }

  /** Start of the window holding capture time `ts` (the open window, for the clock). */
  private windowStart(ts: number): number | null {
    if (this.origin === null) return null;
    return this.origin + Math.floor((ts - this.origin) / this.windowSec) * this.windowSec;
  }

  /**
   * Keeps training rows (and empties `rows`): all of them up to the limit, then a
   * uniform seeded sample. Each batch is taken in order of value, so which rows the
   * sample keeps does not depend on client tokens (rows come ordered by them).
   */
  private keep(rows: WindowRow[]): void {
    const max = this.opts.limits.abuseMaxTrainingRows;
    const batch = rows.splice(0).map((r) => r.features).sort(byValues);
    for (const features of batch) {
      this.trainingSeen++;
      if (this.training.length < max) this.training.push(features);
      else {
        const j = Math.floor(this.reservoirRand() * this.trainingSeen);
        if (j < max) this.training[j] = features;
      }
    }
  }

  /** Fits the model on the training rows, or null (training goes on) when too few. */
  private fit(): Model | null {
    if (this.training.length < MIN_TRAINING_ROWS) return null;
    this.model = train(this.training, FEATURE_NAMES, {
      transforms: FEATURE_TRANSFORMS,
      ...(this.opts.seed !== undefined ? { seed: this.opts.seed } : {}),
      window: { start: this.origin, end: this.trainingLast, windowSec: this.windowSec },
    });
    this.training.length = 0;
    return this.model;
  }
}
