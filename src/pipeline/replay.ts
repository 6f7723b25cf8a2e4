/**
 * Replays capture files through the whole pipeline:
 * source → decode → shard (reassemble, parse) → inventory → template → store.
 * The reader thread decodes and shards; flow workers reassemble and parse; results
 * come back in round order, so any worker count gives the same inventory.
 */
import { statSync } from 'node:fs';
import { AnomalyCounter, type AnomalyCode } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type { Catalog } from '../catalog/types.js';
import { PacketDecoder, type DecodeStats } from '../decode/packet.js';
import type { TcpSegment } from '../decode/types.js';
import { buildEndpoints, type RunEndpoint } from '../infer/endpoints.js';
import { PathInventory } from '../infer/inventory.js';
import { log } from '../log.js';
import { ExchangesFile } from '../report/exchanges-file.js';
import { sha256File } from '../source/digest.js';
import { openCapture } from '../source/open.js';
import type { SourceSummary } from '../source/types.js';
import type { Store } from '../store/db.js';
import type { EngineStats, ExchangeSummary } from './messages.js';
import { createShardRunner, type RoundOutput } from './shards.js';

export interface ReplayOptions {
  files: string[];
  catalog: Catalog | null;
  store: Store;
  workers: number;
  exchangesPath: string | null;
  force: boolean;
  limits: Limits;
  command: string;
  /** Called with each batch's progress (bytes read so far in the current file). */
  onProgress?: (file: string, packets: number) => void;
}

export interface ReplaySummary {
  runId: number | null;
  files: SourceSummary[];
  skipped: Array<{ file: string; earlierPath: string; runId: number }>;
  packets: number;
  bytes: number;
  decode: DecodeStats | null;
  flows: number;
  gaps: number;
  gapBytes: number;
  exchanges: number;
  anomalies: Partial<Record<AnomalyCode, number>>;
  endpoints: RunEndpoint[];
  captureFirst: number | null;
  captureLast: number | null;
}

/** Replays the files into the store and returns what was seen. */
export async function replay(opts: ReplayOptions): Promise<ReplaySummary> {
  const { store, limits } = opts;
  const anomalies = new AnomalyCounter();
  const inventory = new PathInventory(limits, anomalies);
  const decoder = new PacketDecoder(limits, anomalies);
  const toReplay: Array<{ file: string; sha256: string; size: number }> = [];
  const skipped: ReplaySummary['skipped'] = [];

  for (const file of opts.files) {
    await openCapture(file, limits); // fails early, before any work, on a missing or bad file
    const sha256 = await sha256File(file);
    const earlier = store.findFile(sha256);
    if (earlier !== null && !opts.force) {
      skipped.push({ file, earlierPath: earlier.path, runId: earlier.runId });
      log.warn(
        `${file}: already replayed into this database (run ${earlier.runId}, as ` +
          `${earlier.path}); skipped so counts do not double. Use --force to replay it again.`,
      );
      continue;
    }
    toReplay.push({ file, sha256, size: statSync(file).size });
  }

  const exchangesFile = opts.exchangesPath === null ? null : new ExchangesFile(opts.exchangesPath);
  if (exchangesFile !== null) {
    log.warn(
      `${exchangesFile.path}: holds raw request lines (URIs may carry personal data); ` +
        'created with mode 0600.',
    );
  }

  const runner = createShardRunner(limits, opts.workers);
  const inFlight: Array<Promise<RoundOutput>> = [];
  const engineStats: EngineStats = { flows: 0, bytes: 0, gaps: 0, gapBytes: 0 };
  let exchanges = 0;
  let first: number | null = null;
  let last: number | null = null;
  let clock = -Infinity;

  const consume = (out: RoundOutput): void => {
    const round: ExchangeSummary[] = [];
    for (const r of out) {
      anomalies.merge(r.anomalies);
      for (const ex of r.exchanges) round.push(ex);
      if (r.stats !== null) {
        engineStats.flows += r.stats.flows;
        engineStats.bytes += r.stats.bytes;
        engineStats.gaps += r.stats.gaps;
        engineStats.gapBytes += r.stats.gapBytes;
      }
    }
    // Within a round, order by the request's first packet; a stable sort keeps the
    // engine's own order for pipelined requests that start in the same packet.
    round.sort((a, b) => a.packet - b.packet);
    for (const ex of round) {
      inventory.add(ex);
      exchangesFile?.write(ex);
      exchanges++;
    }
  };

  const submit = async (segs: TcpSegment[], finish: boolean): Promise<void> => {
    inFlight.push(runner.submit(segs, clock, finish));
    while (inFlight.length >= (finish ? 1 : limits.roundsInFlight)) {
      consume(await inFlight.shift()!);
    }
  };

  const summaries: SourceSummary[] = [];
  let packets = 0;
  let bytes = 0;
  try {
    for (const { file } of toReplay) {
      const source = await openCapture(file, limits);
      for await (const batch of source.batches()) {
        const segs: TcpSegment[] = [];
        for (const p of batch) {
          packets++;
          bytes += p.origLen;
          if (first === null || p.ts < first) first = p.ts;
          if (last === null || p.ts > last) last = p.ts;
          if (p.ts > clock) clock = p.ts;
          const seg = decoder.decode(p);
          if (seg !== null) segs.push(seg);
        }
        await submit(segs, false);
        opts.onProgress?.(file, source.summary.packets);
      }
      summaries.push(source.summary);
      if (source.summary.truncatedAt !== undefined) {
        const t = source.summary.truncatedAt;
        log.warn(
          `${file}: truncated at packet ${t.packet}, offset ${t.offset}: ${t.detail}; ` +
            `the ${t.packet - 1} packets before it were kept`,
        );
      }
      for (const w of source.summary.warnings) log.warn(`${file}: ${w}`);
    }
    decoder.finish();
    await submit([], true);
  } finally {
    await runner.close();
    exchangesFile?.close();
  }

  const endpoints = buildEndpoints(
    inventory.paths(),
    { catalog: opts.catalog, known: store.endpoints() },
    limits,
  );
  let runId: number | null = null;
  if (toReplay.length > 0) {
    runId = store.beginRun(opts.command, Date.now() / 1000);
    store.commitRun({
      id: runId,
      finishedAt: Date.now() / 1000,
      captureFirst: first,
      captureLast: last,
      packets,
      bytes,
      flows: engineStats.flows,
      exchanges,
      anomalies: anomalies.counts,
      files: toReplay.map((f, i) => ({
        sha256: f.sha256,
        path: f.file,
        size: f.size,
        packets: summaries[i]?.packets ?? 0,
        truncated: summaries[i]?.truncatedAt !== undefined,
      })),
      endpoints,
      catalog: opts.catalog,
    });
  }
  return {
    runId,
    files: summaries,
    skipped,
    packets,
    bytes,
    decode: toReplay.length > 0 ? decoder.stats : null,
    flows: engineStats.flows,
    gaps: engineStats.gaps,
    gapBytes: engineStats.gapBytes,
    exchanges,
    anomalies: anomalies.counts,
    endpoints,
    captureFirst: first,
    captureLast: last,
  };
}
