/**
 * The abuse worker's state: it holds the records of a replay as they come (and
 * does nothing else with them then, so appending stays cheap), and at the end
 * turns them into events and runs the abuse stage over the whole capture.
 */
import { analyseEvents, trainOnEvents } from '../abuse/analyse.js';
import { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type {
  AnalyseResult, AnalyseTask, AppendResult, AppendTask,
} from './abuse-messages.js';
import { toClientEvents, type AbuseRecord, type PathTemplate } from './abuse-records.js';

/** Records held for one replay, and their analysis. */
export class AbuseCollector {
  private records: AbuseRecord[] = [];
  private overLimit = 0;

  constructor(private readonly limits: Limits) {}

  /** Keeps the records, up to limits.abuseMaxReplayEvents; the rest are counted. */
  append(task: AppendTask): AppendResult {
    const room = this.limits.abuseMaxReplayEvents - this.records.length;
    const take = Math.max(0, Math.min(room, task.records.length));
    for (let i = 0; i < take; i++) this.records.push(task.records[i]!);
    this.overLimit += task.records.length - take;
    return { held: this.records.length };
  }

  /** Builds the events and scores them (or trains on them); the records are let go. */
  analyse(task: AnalyseTask): AnalyseResult {
    const anomalies = new AnomalyCounter();
    if (this.overLimit > 0) anomalies.add('abuse-event-limit', this.overLimit);
    const templates = new Map<string, PathTemplate>();
    for (const [key, template, params] of task.templates) templates.set(key, { template, params });
    const records = this.records;
    this.records = [];
    const { events } = toClientEvents(records, { templates, shadow: new Set(task.shadow) });
    const first = events[0]?.ts ?? null;
    const last = events[events.length - 1]?.ts ?? null;
    const base = {
      records: records.length, events: events.length, overLimit: this.overLimit,
      captureFirst: first, captureLast: last,
    };
    if (task.train !== null) {
      const fitted = trainOnEvents(events, {
        limits: this.limits, anomalies,
        ...(task.train.windowSec !== undefined ? { windowSec: task.train.windowSec } : {}),
        ...(task.train.seed !== undefined ? { train: { seed: task.train.seed } } : {}),
      });
      return {
        ...base, windowSec: fitted.training.windowSec ?? 0, rows: fitted.training.rows,
        alerts: [], fitted, selfFitted: false, anomalies: anomalies.counts,
      };
    }
    const a = analyseEvents(events, { limits: this.limits, model: task.model, anomalies });
    return {
      ...base, windowSec: a.windowSec, rows: a.rows.length, alerts: a.alerts,
      fitted: a.selfFitted ? a.model : null, selfFitted: a.selfFitted,
      anomalies: anomalies.counts,
    };
  }
}
