/**
 * A long-running live capture: packets from a live source through the shared
 * Ingest, and every interval a checkpoint into the store (this interval's
 * endpoints merged in, cumulative totals overwritten), a retention pass and one
 * stats line. stop() ends it cleanly: capture stops, every flow is closed (so
 * pending requests are emitted), and a final checkpoint is written.
 *
 * Ingest is not re-entrant: pushes, checkpoints and the finish run one at a time
 * through a small queue, in the order they were asked for.
 */
import { AnomalyCounter } from '../anomalies.js';
import type { Catalog } from '../catalog/types.js';
import type { Limits } from '../config/limits.js';
import { buildEndpoints, templatePaths, type RunEndpoint } from '../infer/endpoints.js';
import { log } from '../log.js';
import type { CaptureCounters } from '../source/live.js';
import type { PacketSource } from '../source/types.js';
import type { Store } from '../store/db.js';
import type { LiveAbuse } from './abuse-live.js';
import type { IntervalStats } from './capture-stats.js';
import { Ingest } from './ingest.js';
import type { ReplaySummary } from './replay.js';

/** A live packet source: batches until stopped, and libpcap's counters. */
export interface LivePacketSource extends PacketSource {
  counters(): CaptureCounters;
  stop(): void;
}

/** What a live run reads, where it writes, and how often. */
export interface CaptureRunOptions {
  source: LivePacketSource;
  interface: string;
  store: Store;
  catalog: Catalog | null;
  limits: Limits;
  workers: number;
  exchangesPath: string | null;
  /** Keys the tokens of personal data (src/privacy/secret.ts). */
  secret: Uint8Array;
  /** The run's command line, as stored. */
  command: string;
  flushEveryMs: number;
  /** Prune endpoints last seen (capture time) longer ago than this; null keeps all. */
  retentionDays: number | null;
  /** Called after every checkpoint, the last one included. */
  onInterval?: (stats: IntervalStats) => void;
  /** Abuse detection (src/pipeline/abuse-live.ts); absent, none runs. */
  abuse?: LiveAbuse;
}

const DAY_SECONDS = 86_400;

/**
 * One live run. Construct (opens the exchanges file), then run(), then stop().
 * Loss is stored per run (libpcap's counters, gap bytes) and, through the shared
 * Ingest path, per endpoint and per host, as replay stores it.
 */
export class CaptureRun {
  private readonly ingest: Ingest;
  private readonly endpoints = new Map<string, RunEndpoint>();
  private queue: Promise<unknown> = Promise.resolve();
  private runId: number | null = null;
  private catalogStored = false;
  private failure: unknown = null;
  private last = { at: 0, packets: 0, exchanges: 0 };

  constructor(private readonly opts: CaptureRunOptions) {
    this.ingest = new Ingest({
      limits: opts.limits,
      workers: opts.workers,
      exchangesPath: opts.exchangesPath,
      secret: opts.secret,
      ...(opts.abuse !== undefined ? { onRound: (round) => opts.abuse!.add(round) } : {}),
    });
  }

  /** Captures until stop(); resolves once the final checkpoint is written. */
  async run(): Promise<ReplaySummary> {
    const { source, store } = this.opts;
    this.runId = store.beginRun(this.opts.command, Date.now() / 1000);
    this.opts.abuse?.start(store, this.runId);
    this.last.at = performance.now();
    const timer = setInterval(() => {
      this.serially(() => this.checkpoint(false)).catch((e: unknown) => this.fail(e));
    }, this.opts.flushEveryMs);
    try {
      for await (const batch of source.batches()) {
        await this.serially(() => this.ingest.push(batch));
      }
      clearInterval(timer);
      if (this.failure !== null) throw this.failure;
      await this.serially(async () => {
        await this.ingest.finish();
        await this.checkpoint(true);
      });
    } catch (e) {
      clearInterval(timer);
      source.stop();
      await this.ingest.abort();
      await this.opts.abuse?.close();
      throw e;
    }
    return this.summary();
  }

  /** Stops capturing; run() then finishes every flow and writes the last checkpoint. */
  stop(): void {
    this.opts.source.stop();
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    this.opts.source.stop();
  }

  private serially<T>(op: () => Promise<T> | T): Promise<T> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Writes what was gathered; finish() has already settled the final one, and the
   * final checkpoint waits (within its time limit) for the last alerts first.
   */
  private async checkpoint(final: boolean): Promise<void> {
    if (!final) await this.ingest.settle();
    const { store, limits, catalog } = this.opts;
    const paths = this.ingest.takePaths();
    const templates = paths.length === 0
      ? null
      : templatePaths(paths, { catalog, known: store.endpoints() });
    const t = this.ingest.totals;
    const abuse = this.opts.abuse;
    abuse?.checkpoint({ paths, catalog, templates },
      { first: t.captureFirst, last: t.captureLast }, final);
    if (final) await abuse?.finish();
    this.write(templates === null ? [] : buildEndpoints(paths, templates, limits), final);
  }

  private write(endpoints: RunEndpoint[], final: boolean): void {
    const { store, limits, catalog } = this.opts;
    for (const e of endpoints) this.endpoints.set(`${e.host}\0${e.method}\0${e.template}`, e);
    const t = this.ingest.totals;
    const counters = this.opts.source.counters();
    store.checkpointCapture(
      {
        id: this.runId!,
        finishedAt: Date.now() / 1000,
        captureFirst: t.captureFirst,
        captureLast: t.captureLast,
        packets: t.packets,
        bytes: t.bytes,
        flows: t.engine.flows,
        exchanges: t.exchanges,
        anomalies: this.anomalies().counts,
        gapBytes: t.engine.gapBytes,
        files: [],
        endpoints,
        hostLoss: this.ingest.lostOutside.take(),
        catalog: this.catalogStored ? null : catalog,
      },
      { interface: this.opts.interface, ...counters },
      final,
    );
    this.catalogStored = true;
    const tls = this.ingest.encrypted;
    store.addEncrypted(this.runId!, tls.take(), tls.totals, limits.tlsMaxAlpn);
    this.retain();
    this.report(counters);
  }

  private retain(): void {
    const days = this.opts.retentionDays;
    const latest = this.ingest.totals.captureLast;
    if (days === null || latest === null) return;
    const cutoff = latest - days * DAY_SECONDS;
    const pruned = this.opts.store.pruneEndpoints(cutoff);
    if (pruned > 0) {
      log.info(
        `retention: pruned ${pruned} endpoint(s) last seen before ` +
          `${new Date(cutoff * 1000).toISOString()} (${days} days of capture time)`,
      );
    }
  }

  private report(c: CaptureCounters): void {
    const now = performance.now();
    const t = this.ingest.totals;
    const packets = this.opts.source.summary.packets;
    this.opts.onInterval?.({
      interface: this.opts.interface,
      seconds: (now - this.last.at) / 1000,
      packets: packets - this.last.packets,
      flows: t.engine.flows,
      exchanges: t.exchanges,
      newExchanges: t.exchanges - this.last.exchanges,
      anomalies: this.anomalies().total(),
      received: c.received,
      dropped: c.dropped,
      ifDropped: c.ifDropped,
      gapBytes: t.engine.gapBytes,
      ...(this.opts.abuse !== undefined ? { abuse: this.opts.abuse.stats } : {}),
    });
    this.last = { at: now, packets, exchanges: t.exchanges };
  }

  /** The run's anomalies: the packet path's and the abuse stage's. */
  private anomalies(): AnomalyCounter {
    const all = new AnomalyCounter();
    all.merge(this.ingest.anomalies.counts);
    if (this.opts.abuse !== undefined) all.merge(this.opts.abuse.anomalies);
    return all;
  }

  private summary(): ReplaySummary {
    const t = this.ingest.totals;
    return {
      runId: this.runId,
      files: [this.opts.source.summary],
      skipped: [],
      packets: t.packets,
      bytes: t.bytes,
      decode: this.ingest.decoder.stats,
      flows: t.engine.flows,
      gaps: t.engine.gaps,
      gapBytes: t.engine.gapBytes,
      retransmissions: t.engine.retransmissions,
      retransmittedBytes: t.engine.retransmittedBytes,
      exchanges: t.exchanges,
      anomalies: this.anomalies().counts,
      endpoints: [...this.endpoints.values()],
      captureFirst: t.captureFirst,
      captureLast: t.captureLast,
      uninspected: { ...this.ingest.encrypted.totals },
    };
  }
}
