/**
 * The packet path shared by replay and live capture: decode on this thread, shard
 * segments to the flow workers in rounds, and gather the exchanges that come back
 * into the path inventory (and the opt-in exchanges file). Sources only push
 * batches; they never see workers, flows or HTTP.
 */
import { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import { PacketDecoder } from '../decode/packet.js';
import type { TcpSegment } from '../decode/types.js';
import { detailKey, PathInventory, type PathStats } from '../infer/inventory.js';
import { log } from '../log.js';
import { ExchangesFile } from '../report/exchanges-file.js';
import type { CapturedPacket } from '../source/types.js';
import { EncryptedHosts } from '../tls/hosts.js';
import type { ShapeDetail } from './analyse.js';
import { HostLossTally } from './loss.js';
import type { EngineStats, ExchangeSummary } from './messages.js';
import { createShardRunner, type RoundOutput, type ShardRunner } from './shards.js';
import { SettledFields, type LocationTally } from './settled.js';

export interface IngestOptions {
  limits: Limits;
  workers: number;
  exchangesPath: string | null;
  /** Keys the tokens of personal data (see src/privacy/secret.ts). */
  secret: Uint8Array;
  /**
   * Gets each round's exchanges in round order (the abuse stage). Ingest waits for
   * the promise, so a consumer in replay mode can hold the reader back when full.
   */
  onRound?: (round: readonly ExchangeSummary[]) => Promise<void> | void;
}

/** Running totals of one ingest. */
export interface IngestTotals {
  packets: number;
  bytes: number;
  exchanges: number;
  captureFirst: number | null;
  captureLast: number | null;
  engine: EngineStats;
  /** Exchanges scanned for personal data in full, and with settled locations skipped. */
  fullScans: number;
  sampledScans: number;
}

export class Ingest {
  readonly anomalies = new AnomalyCounter();
  readonly decoder: PacketDecoder;
  /** TLS flows per server name, and TLS and HTTP/2 volume not inspected. */
  readonly encrypted: EncryptedHosts;
  /** Gap bytes of HTTP connections that no exchange could be charged with, by host. */
  readonly lostOutside: HostLossTally;
  readonly totals: IngestTotals = {
    packets: 0,
    bytes: 0,
    exchanges: 0,
    captureFirst: null,
    captureLast: null,
    engine: {
      flows: 0, bytes: 0, gaps: 0, gapBytes: 0, retransmissions: 0, retransmittedBytes: 0,
    },
    fullScans: 0,
    sampledScans: 0,
  };
  private inventory: PathInventory;
  private readonly runner: ShardRunner;
  private readonly exchangesFile: ExchangesFile | null;
  private readonly inFlight: Array<{ round: number; out: Promise<RoundOutput> }> = [];
  private readonly settled: SettledFields;
  /** Rounds submitted so far. */
  private rounds = 0;
  private readonly shardStats: EngineStats[] = [];
  private clock = -Infinity;
  private finished = false;

  constructor(private readonly opts: IngestOptions) {
    this.decoder = new PacketDecoder(opts.limits, this.anomalies);
    this.encrypted = new EncryptedHosts(opts.limits, this.anomalies);
    this.lostOutside = new HostLossTally(opts.limits);
    this.inventory = new PathInventory(opts.limits, this.anomalies);
    this.settled = new SettledFields(opts.limits.maxPaths);
    this.exchangesFile = opts.exchangesPath === null ? null : new ExchangesFile(opts.exchangesPath);
    if (this.exchangesFile !== null) {
      log.warn(
        `${this.exchangesFile.path}: holds raw request lines (URIs may carry personal data); ` +
          'created with mode 0600.',
      );
    }
    this.runner = createShardRunner(opts.limits, opts.workers, opts.secret);
  }

  /**
   * Marks the start of another capture file. Its clock starts afresh: files given
   * together need not be in time order, and one file's later timestamps must not
   * make the next file's flows look idle (they would be closed between rounds).
   */
  startFile(): void {
    this.clock = -Infinity;
  }

  /**
   * Decodes a batch and hands its segments to the shards. Packet views are copied
   * before this returns, so the source may reuse its buffers afterwards.
   */
  async push(batch: readonly CapturedPacket[]): Promise<void> {
    const t = this.totals;
    const segs: TcpSegment[] = [];
    for (const p of batch) {
      t.packets++;
      t.bytes += p.origLen;
      if (t.captureFirst === null || p.ts < t.captureFirst) t.captureFirst = p.ts;
      if (t.captureLast === null || p.ts > t.captureLast) t.captureLast = p.ts;
      const seg = this.decoder.decode(p);
      if (seg !== null) segs.push(seg);
    }
    this.advance(batch);
    await this.submit(segs, false);
  }

  /**
   * Moves the capture clock that closes idle flows. It follows the batch's last
   * packet, not its largest time, so one packet stamped far in the future cannot
   * make every flow look idle; and when time runs backwards by more than the idle
   * timeout (clocks reset, captures joined), it starts again from there.
   */
  private advance(batch: readonly CapturedPacket[]): void {
    const last = batch[batch.length - 1];
    if (last === undefined) return;
    if (last.ts > this.clock) {
      this.clock = last.ts;
    } else if (last.ts < this.clock - this.opts.limits.flowIdleTimeoutSec) {
      this.anomalies.add('time-jump');
      this.clock = last.ts;
    }
  }

  /** Waits until every round submitted so far has come back. */
  async settle(): Promise<void> {
    while (this.inFlight.length > 0) await this.consumeNext();
  }

  /** The per-path statistics gathered since the last call, and a fresh inventory. */
  takePaths(): PathStats[] {
    const paths = this.inventory.paths();
    this.inventory = new PathInventory(this.opts.limits, this.anomalies);
    return paths;
  }

  /** Closes every flow, drains the shards and releases the workers. */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      this.decoder.finish();
      await this.submit([], true);
      await this.settle();
    } finally {
      await this.runner.close();
      this.exchangesFile?.close();
    }
  }

  /** Releases the workers without waiting for what is in flight (on errors). */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.runner.close().catch(() => undefined);
    this.exchangesFile?.close();
  }

  private async submit(segs: TcpSegment[], finish: boolean): Promise<void> {
    // A round learns what had settled `lag` rounds before it, no later: those rounds
    // are always back by now, whatever the worker count or the timing.
    const round = this.rounds++;
    const lag = this.opts.limits.roundsInFlight;
    while (this.inFlight.length > 0 && this.inFlight[0]!.round <= round - lag) {
      await this.consumeNext();
    }
    const settled = this.settled.takeUpTo(round - lag);
    this.inFlight.push({ round, out: this.runner.submit(segs, this.clock, finish, settled) });
    while (this.inFlight.length >= lag) await this.consumeNext();
  }

  private async consumeNext(): Promise<void> {
    const next = this.inFlight.shift()!;
    await this.consume(next.round, await next.out);
  }

  private async consume(roundNo: number, out: RoundOutput): Promise<void> {
    const round: ExchangeSummary[] = [];
    const details: ShapeDetail[] = [];
    out.forEach((r, shard) => {
      for (const d of r.details) details.push(d);
      this.totals.fullScans += r.scans.full;
      this.totals.sampledScans += r.scans.sampled;
      this.anomalies.merge(r.anomalies);
      for (const ex of r.exchanges) round.push(ex);
      for (const f of r.encrypted ?? []) this.encrypted.add(f);
      for (const l of r.lostOutside ?? []) this.lostOutside.add(l);
      if (r.stats !== null) this.shardStats[shard] = r.stats;
    });
    // Shards report running totals (output is in shard order): the whole is the sum.
    const engine = this.totals.engine;
    for (const k of Object.keys(engine) as Array<keyof EngineStats>) {
      engine[k] = 0;
      for (const s of this.shardStats) engine[k] += s[k];
    }
    // Within a round, order by the request's first packet; a stable sort keeps the
    // engine's own order for pipelined requests that start in the same packet.
    round.sort((a, b) => a.packet - b.packet);
    for (const ex of round) {
      this.inventory.add(ex);
      this.exchangesFile?.write(ex);
      this.totals.exchanges++;
    }
    for (const d of details) this.inventory.addDetail(d);
    const tallies = details.map((d): [string, LocationTally] =>
      [detailKey(d.host, d.method, d.shape), d.tally]);
    this.settled.absorb(roundNo, tallies);
    if (this.opts.onRound !== undefined && round.length > 0) await this.opts.onRound(round);
  }
}
