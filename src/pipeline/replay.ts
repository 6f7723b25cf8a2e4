/**
 * Replays capture files through the whole pipeline:
 * source → decode → shard (reassemble, parse) → inventory → template → store.
 * The reader thread decodes and shards; flow workers reassemble and parse; results
 * come back in round order, so any worker count gives the same inventory.
 */
import { statSync } from 'node:fs';
import type { AnomalyCode } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type { DecodeStats } from '../decode/stats.js';
import type { Catalog } from '../catalog/types.js';
import { buildEndpoints, templatePaths, type RunEndpoint } from '../infer/endpoints.js';
import { log } from '../log.js';
import { sha256File } from '../source/digest.js';
import { openCapture } from '../source/open.js';
import type { SourceSummary } from '../source/types.js';
import type { Store } from '../store/db.js';
import { Ingest } from './ingest.js';
import { finishAbuse, startAbuse, type ReplayAbuseOptions } from './abuse-run.js';
import type { AbuseOutcome } from './abuse-stage.js';
import type { EncryptedHost, UninspectedTotals } from '../tls/hosts.js';

export interface ReplayOptions {
  files: string[];
  catalog: Catalog | null;
  store: Store;
  workers: number;
  exchangesPath: string | null;
  force: boolean;
  limits: Limits;
  /** Keys the tokens of personal data (src/privacy/secret.ts). */
  secret: Uint8Array;
  command: string;
  /** Abuse detection (docs/abuse.md); without it no abuse stage runs. */
  abuse?: ReplayAbuseOptions;
  /** Called after each batch with how far the replay has got (progress lines). */
  onProgress?: (progress: ReplayProgress) => void;
}

/** How far a replay has got, after one batch. */
export interface ReplayProgress {
  file: string;
  /** Position of `file` among the files being replayed (0-based), and their number. */
  fileIndex: number;
  fileCount: number;
  /** Packets and captured bytes read from `file` so far. */
  packets: number;
  bytes: number;
  /** How `file` is stored: a gzip file's size counts compressed bytes, not captured ones. */
  format: SourceSummary['format'];
  compressed: boolean;
  /** Size of `file` on disk. */
  fileSize: number;
  /** Sizes on disk of the files finished before `file`, and of all files being replayed. */
  doneSize: number;
  totalSize: number;
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
  /** Segments that repeated bytes already seen (not mirrored copies), and those bytes. */
  retransmissions: number;
  retransmittedBytes: number;
  exchanges: number;
  anomalies: Partial<Record<AnomalyCode, number>>;
  endpoints: RunEndpoint[];
  captureFirst: number | null;
  captureLast: number | null;
  /** Wall-clock seconds of the packet pipeline: reading to the last exchange, nothing after. */
  packetSeconds?: number;
  /** What abuse detection did; null (or absent) when it did not run. */
  abuse?: AbuseOutcome | null;
  /** TLS and HTTP/2 flows and bytes the sensor counted but could not inspect. */
  uninspected?: UninspectedTotals;
  /**
   * Exchanges scanned for personal data in full, and with settled fields skipped
   * (see src/pipeline/settled.ts); `every` is limits.fullScanEvery.
   */
  scans?: { full: number; sampled: number; every: number };
  /** This run's hosts seen over TLS, by SNI. */
  encrypted?: EncryptedHost[];
}

/** Replays the files into the store and returns what was seen. */
export async function replay(opts: ReplayOptions): Promise<ReplaySummary> {
  const { store, limits } = opts;
  const toReplay: Array<{ file: string; sha256: string; size: number }> = [];
  const skipped: ReplaySummary['skipped'] = [];

  for (const file of opts.files) {
    await openCapture(file, limits); // fails early, before any work, on a missing or bad file
    // LIMITATION: files are known by the SHA-256 of their bytes, so a gzip-compressed
    // copy of a capture already replayed is not recognised and counts a second time.
    const sha256 = await sha256File(file);
    const twin = toReplay.find((f) => f.sha256 === sha256);
    if (twin !== undefined) {
      // The same bytes twice in one command (a copy under another name, say) would
      // count every request twice.
      skipped.push({ file, earlierPath: twin.file, runId: -1 });
      log.warn(`${file}: same content as ${twin.file} in this replay; skipped`);
      continue;
    }
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

  const started = performance.now();
  const stage = toReplay.length > 0 && opts.abuse ? startAbuse(opts.abuse, limits) : null;
  const ingest = new Ingest({
    limits,
    workers: opts.workers,
    exchangesPath: toReplay.length > 0 ? opts.exchangesPath : null,
    secret: opts.secret,
    ...(stage !== null ? { onRound: (round) => stage.add(round) } : {}),
  });
  const summaries: SourceSummary[] = [];
  try {
    const totalSize = toReplay.reduce((n, f) => n + f.size, 0);
    let doneSize = 0;
    for (const [fileIndex, { file, size }] of toReplay.entries()) {
      const source = await openCapture(file, limits);
      ingest.startFile();
      const s = source.summary;
      for await (const batch of source.batches()) {
        await ingest.push(batch);
        opts.onProgress?.({
          file, fileIndex, fileCount: toReplay.length, packets: s.packets, bytes: s.bytes,
          format: s.format, compressed: s.compressed, fileSize: size, doneSize, totalSize,
        });
      }
      doneSize += size;
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
    await ingest.finish();
  } catch (e) {
    await ingest.abort();
    await stage?.close();
    throw e;
  }
  const packetSeconds = (performance.now() - started) / 1000;
  const totals = ingest.totals;
  const anomalies = ingest.anomalies;

  const paths = ingest.takePaths();
  const known = store.endpoints();
  const templates = templatePaths(paths, { catalog: opts.catalog, known });
  const endpoints = buildEndpoints(paths, templates, limits);
  const abuse = stage === null || opts.abuse === undefined ? null : await finishAbuse(
    stage, { paths, catalog: opts.catalog, templates }, opts.abuse, anomalies,
  );
  const encrypted = ingest.encrypted.list();
  let runId: number | null = null;
  if (toReplay.length > 0) {
    runId = store.beginRun(opts.command, Date.now() / 1000);
    store.commitRun({
      id: runId,
      finishedAt: Date.now() / 1000,
      captureFirst: totals.captureFirst,
      captureLast: totals.captureLast,
      packets: totals.packets,
      bytes: totals.bytes,
      flows: totals.engine.flows,
      exchanges: totals.exchanges,
      anomalies: anomalies.counts,
      gapBytes: totals.engine.gapBytes,
      hostLoss: ingest.lostOutside.take(),
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
    if (abuse !== null && abuse.alerts.length > 0) store.addAlerts(runId, abuse.alerts);
    store.addEncrypted(runId, encrypted, ingest.encrypted.totals, limits.tlsMaxAlpn);
  }
  return {
    runId,
    files: summaries,
    skipped,
    packets: totals.packets,
    bytes: totals.bytes,
    decode: toReplay.length > 0 ? ingest.decoder.stats : null,
    flows: totals.engine.flows,
    gaps: totals.engine.gaps,
    gapBytes: totals.engine.gapBytes,
    retransmissions: totals.engine.retransmissions,
    retransmittedBytes: totals.engine.retransmittedBytes,
    exchanges: totals.exchanges,
    anomalies: anomalies.counts,
    endpoints,
    captureFirst: totals.captureFirst,
    captureLast: totals.captureLast,
    packetSeconds,
    abuse,
    uninspected: { ...ingest.encrypted.totals },
    encrypted,
    scans: { full: totals.fullScans, sampled: totals.sampledScans, every: limits.fullScanEvery },
  };
}
