/**
 * The tasks between the main thread and the abuse worker, and their answers. One
 * module owns them (STYLE 10) so both sides agree by construction.
 */
import type { Alert } from '../abuse/alerts.js';
import type { Model } from '../abuse/forest.js';
import type { AnomalyCode } from '../anomalies.js';
import type { CaptureClock, LivePhase } from '../abuse/live.js';
import type { Limits } from '../config/limits.js';
import type { AbuseTemplates } from './abuse-paths.js';
import type { AbuseRecord } from './abuse-records.js';

/** Set once per worker thread. */
export interface AbuseWorkerData {
  limits: Limits;
  /** Set for a live capture: how it scores (see src/abuse/live.ts). */
  live?: LiveWorkerOptions;
}

/** A live capture's abuse settings, as the worker takes them. */
export interface LiveWorkerOptions {
  model: Model | null;
  trainForSec: number | null;
  seed?: number;
}

/** Records of one round, appended in order; cheap, so the queue in front stays short. */
export interface AppendTask {
  op: 'append';
  records: AbuseRecord[];
}

/** What to do with the records once the packet pipeline is done. */
export interface AnalyseTask extends AbuseTemplates {
  op: 'analyse';
  /** A trained model to score with; null fits one on this capture (or trains, below). */
  model: Model | null;
  /** Set by `shadowtap train`: fit a model on the records and return it, no scoring. */
  train: { seed?: number; windowSec?: number } | null;
}

/**
 * Live capture, at each checkpoint: the templates of the paths seen since the last
 * one (so every record held has its template) and the capture clock; the worker
 * scores the records held and the windows the clock closed.
 */
export interface CheckpointTask extends AbuseTemplates {
  op: 'checkpoint';
  clock: CaptureClock;
  /** The capture has stopped: close every window. */
  final: boolean;
}

/** The worker's answer to a checkpoint. */
export interface CheckpointResult {
  /** Records turned into events (those with a template), and records past the limit. */
  events: number;
  overLimit: number;
  rows: number;
  alerts: Alert[];
  /** The model fitted when training ended in this checkpoint, else null. */
  fitted: Model | null;
  phase: LivePhase;
  anomalies: Partial<Record<AnomalyCode, number>>;
}

/** The worker's answer to an append. */
export interface AppendResult {
  held: number;
}

/** The worker's answer to an analysis. */
export interface AnalyseResult {
  /** Records received, and records scored (those with a template). */
  records: number;
  events: number;
  /** Records past limits.abuseMaxReplayEvents, never held. */
  overLimit: number;
  windowSec: number;
  /** Client-window rows the features made. */
  rows: number;
  alerts: Alert[];
  /** The model fitted on this capture (self-fit or train), null when given or too few rows. */
  fitted: Model | null;
  selfFitted: boolean;
  captureFirst: number | null;
  captureLast: number | null;
  anomalies: Partial<Record<AnomalyCode, number>>;
}

/** Any task of the abuse worker. */
export type AbuseTask = AppendTask | AnalyseTask | CheckpointTask;
