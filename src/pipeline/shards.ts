/**
 * Owns the flow workers (STYLE 10). Segments are sharded by a direction-independent
 * flow hash so each flow lives in exactly one shard; each shard is a piscina pool of
 * one thread, which keeps its rounds in order. With zero workers the shard runs
 * in-process. Results come back in round order whatever the worker count.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Limits } from '../config/limits.js';
import type { TcpSegment } from '../decode/types.js';
import { flowHash } from '../reassembly/flow-key.js';
import { packSegments, type RoundResult, type RoundTask } from './messages.js';
import { ShardState } from './round.js';
import type { SettledDelta } from './settled.js';

// Under tsx (tests run from source) the worker is the .ts file beside the sources.
const WORKER_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER_FILE = fileURLToPath(
  new URL(`../../workers/flow-worker${WORKER_EXT}`, import.meta.url),
);

/** Merged results of one round across all shards. */
export type RoundOutput = RoundResult[];

export interface ShardRunner {
  /**
   * Submits one round; resolves with each shard's result, in shard order. Every
   * shard learns `settled` before the round's segments.
   */
  submit(
    segments: TcpSegment[], clock: number, finish: boolean, settled: SettledDelta,
  ): Promise<RoundOutput>;
  close(): Promise<void>;
}

function split(segments: TcpSegment[], n: number): TcpSegment[][] {
  const parts: TcpSegment[][] = Array.from({ length: n }, () => []);
  if (n === 1) {
    parts[0] = segments;
    return parts;
  }
  for (const s of segments) parts[flowHash(s) % n]!.push(s);
  return parts;
}

class InProcessRunner implements ShardRunner {
  private readonly state: ShardState;
  constructor(limits: Limits, secret: Uint8Array) {
    this.state = new ShardState(limits, secret);
  }
  async submit(
    segments: TcpSegment[], clock: number, finish: boolean, settled: SettledDelta,
  ): Promise<RoundOutput> {
    return [this.state.run(segments, clock, finish, settled)];
  }
  async close(): Promise<void> {}
}

class WorkerRunner implements ShardRunner {
  private readonly pools: Piscina[];
  // Per shard, the last round posted (see submit).
  private readonly tails: Array<Promise<unknown>>;

  constructor(limits: Limits, workers: number, secret: Uint8Array) {
    // The flow table bound is for the whole sensor: each shard holds its share.
    const shardLimits = { ...limits, maxFlows: Math.max(1, Math.ceil(limits.maxFlows / workers)) };
    this.pools = Array.from(
      { length: workers },
      () =>
        new Piscina({
          filename: WORKER_FILE,
          minThreads: 1,
          maxThreads: 1,
          idleTimeout: Number.MAX_SAFE_INTEGER,
          workerData: { limits: shardLimits, secret },
        }),
    );
    this.tails = this.pools.map(() => Promise.resolve());
  }

  submit(
    segments: TcpSegment[], clock: number, finish: boolean, settled: SettledDelta,
  ): Promise<RoundOutput> {
    const parts = split(segments, this.pools.length);
    return Promise.all(
      this.pools.map((pool, i) => {
        const { header, payloads } = packSegments(parts[i]!);
        const task: RoundTask = { clock, header, payloads, finish, settled };
        const transferList = [payloads.buffer as ArrayBuffer];
        // A one-thread piscina pool does not run queued tasks in the order given
        // (measured with piscina 5.3.2: 0,1,3,4,5,2,... whenever tasks wait), and a
        // shard's rounds must reach its flow engine in order, or streams get holes.
        // So a round is posted once the shard's previous one has come back; it was
        // packed above already, while the packets' views were valid.
        const run = this.tails[i]!.then(
          () => pool.run(task, { transferList }) as Promise<RoundResult>,
        );
        this.tails[i] = run.catch(() => undefined);
        return run;
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.destroy()));
  }
}

/**
 * A runner with `workers` threads, or in-process when 0. `secret` keys the tokens
 * of personal data; it stays in this process's memory and its workers'.
 */
export function createShardRunner(
  limits: Limits,
  workers: number,
  secret: Uint8Array,
): ShardRunner {
  return workers <= 0
    ? new InProcessRunner(limits, secret)
    : new WorkerRunner(limits, workers, secret);
}
