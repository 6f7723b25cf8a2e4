/**
 * The abuse worker's state: it holds the records of a replay as they come (and
 * does nothing else with them then, so appending stays cheap), and at the end
 * turns them into events and runs the abuse stage over the whole capture. In a
 * live capture it holds the records of one checkpoint interval, and at each
 * checkpoint feeds them to the live analysis (src/abuse/live.ts).
 */
import { analyseEvents, trainOnEvents } from '../abuse/analyse.js';
import { LiveAnalysis } from '../abuse/live.js';
import { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type {
  AnalyseResult, AnalyseTask, AppendResult, AppendTask, CheckpointResult, CheckpointTask,
  LiveWorkerOptions,
} from './abuse-messages.js';
import type { AbuseTemplates } from './abuse-paths.js';
import {
  toClientEvents, type AbuseRecord, type EventContext, type PathTemplate,
} from './abuse-records.js';

// Records arrive copied from another thread, every string its own copy. Addresses,
// principals, hosts, methods and user agents repeat across a capture's records, so
// one copy of each is kept (a 400 MB replay held 900 MB of records before).
// LIMITATION: the table of shared strings is cleared only when the records are let go.
class Interned {
  private readonly seen = new Map<string, string>();

  of(s: string): string {
    const have = this.seen.get(s);
    if (have !== undefined) return have;
    this.seen.set(s, s);
    return s;
  }

  clear(): void {
    this.seen.clear();
  }
}

const NO_PROBES: AbuseRecord['probes'] = [];

/** Records held for one replay, and their analysis. */
export class AbuseCollector {
  private records: AbuseRecord[] = [];
  private readonly strings = new Interned();
  private overLimit = 0;
  private readonly live: LiveAnalysis | null;
  private readonly liveAnomalies = new AnomalyCounter();

  constructor(private readonly limits: Limits, live?: LiveWorkerOptions) {
    this.live = live === undefined ? null : new LiveAnalysis({
      limits, model: live.model, trainForSec: live.trainForSec, anomalies: this.liveAnomalies,
      ...(live.seed !== undefined ? { seed: live.seed } : {}),
    });
  }

  /** Keeps the records, up to limits.abuseMaxReplayEvents; the rest are counted. */
  append(task: AppendTask): AppendResult {
    const room = this.limits.abuseMaxReplayEvents - this.records.length;
    const take = Math.max(0, Math.min(room, task.records.length));
    const s = this.strings;
    for (let i = 0; i < take; i++) {
      const r = task.records[i]!;
      r.clientAddress = s.of(r.clientAddress);
      if (r.principal !== null) r.principal = s.of(r.principal);
      r.host = s.of(r.host);
      r.method = s.of(r.method);
      r.userAgent = s.of(r.userAgent);
      if (r.probes.length === 0) r.probes = NO_PROBES;
      this.records.push(r);
    }
    this.overLimit += task.records.length - take;
    return { held: this.records.length };
  }

  /**
   * Live capture: turns the records held into events with this checkpoint's
   * templates and advances the live analysis; the records are let go.
   */
  checkpoint(task: CheckpointTask): CheckpointResult {
    if (this.live === null) throw new Error('checkpoint task outside a live capture');
    const anomalies = this.liveAnomalies;
    const overLimit = this.overLimit;
    if (overLimit > 0) anomalies.add('abuse-event-limit', overLimit);
    this.overLimit = 0;
    const { events } = toClientEvents(this.takeRecords(), contextOf(task));
    const step = this.live.advance(events, task.clock, task.final);
    return {
      events: events.length, overLimit, rows: step.rows, alerts: step.alerts,
      fitted: step.fitted, phase: step.phase, anomalies: takeCounts(anomalies),
    };
  }

  private takeRecords(): AbuseRecord[] {
    const records = this.records;
    this.records = [];
    this.strings.clear();
    return records;
  }

  /** Builds the events and scores them (or trains on them); the records are let go. */
  analyse(task: AnalyseTask): AnalyseResult {
    const anomalies = new AnomalyCounter();
    if (this.overLimit > 0) anomalies.add('abuse-event-limit', this.overLimit);
    const records = this.takeRecords();
    const { events } = toClientEvents(records, contextOf(task));
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

/** The counts so far, and the counter emptied (the live analysis keeps the same counter). */
function takeCounts(c: AnomalyCounter): AnomalyCounter['counts'] {
  const counts = { ...c.counts };
  for (const k of Object.keys(counts)) delete c.counts[k as keyof typeof counts];
  return counts;
}

/** The templates and shadow shapes of a task, as toClientEvents takes them. */
function contextOf(task: AbuseTemplates): EventContext {
  const templates = new Map<string, PathTemplate>();
  for (const [key, template, params] of task.templates) templates.set(key, { template, params });
  return { templates, shadow: new Set(task.shadow) };
}
