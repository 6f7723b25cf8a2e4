/**
 * Runs one round of segments through a flow engine: the same code in a worker
 * thread and in-process (`--workers 0`), so both give the same exchanges.
 */
import { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import { FlowEngine } from '../reassembly/engine.js';
import type { TcpSegment } from '../decode/types.js';
import { Tokenizer } from '../privacy/tokenize.js';
import { principalOf } from '../abuse/identity.js';
import { RoundAnalysis } from './analyse.js';
import { abuseFields } from './abuse-fields.js';
import { summarize, type RoundResult } from './messages.js';
import type { SettledDelta } from './settled.js';

/** One shard's reassembly and parsing state. */
export class ShardState {
  private readonly anomalies = new AnomalyCounter();
  private readonly engine: FlowEngine;
  private readonly tokenizer: Tokenizer;
  private readonly analysis: RoundAnalysis;

  /** `secret` keys the tokens of personal data found in this shard's exchanges. */
  constructor(
    private readonly limits: Limits,
    secret: Uint8Array,
  ) {
    this.tokenizer = new Tokenizer(secret);
    this.analysis = new RoundAnalysis(this.tokenizer, limits);
    const tokenizer = this.tokenizer;
    // The principal is read from raw credentials inside the parser and tokenised at
    // once: raw credentials never leave this worker.
    this.engine = new FlowEngine(limits, this.anomalies, {
      identify: (headers) => principalOf(headers, (v) => tokenizer.tokenize(v)),
    });
  }

  /** Feeds a round's segments, advances the capture clock, and returns what completed. */
  run(
    segments: TcpSegment[], clock: number, finish: boolean, settled: SettledDelta = [],
  ): RoundResult {
    this.analysis.settled.learn(settled);
    for (const seg of segments) this.engine.push(seg);
    this.engine.advanceClock(clock);
    if (finish) this.engine.finish();
    const exchanges = this.engine.drain().map((ex) => {
      this.analysis.add(ex);
      return summarize(ex, abuseFields(ex, this.limits));
    });
    const anomalies = { ...this.anomalies.counts };
    for (const k of Object.keys(this.anomalies.counts)) {
      delete this.anomalies.counts[k as keyof typeof this.anomalies.counts];
    }
    // Every round carries the shard's running totals (not only the last), so a live
    // capture can show flows and gap bytes as it goes; Ingest keeps the latest.
    const s = this.engine.stats;
    const stats = {
      flows: s.flows, bytes: s.bytes, gaps: s.gaps, gapBytes: s.gapBytes,
      retransmissions: s.retransmissions, retransmittedBytes: s.retransmittedBytes,
    };
    const scans = { ...this.analysis.scans };
    this.analysis.scans.full = this.analysis.scans.sampled = 0;
    return {
      exchanges, anomalies, stats, details: this.analysis.take(), scans,
      encrypted: this.engine.drainEncrypted(),
      lostOutside: this.engine.drainLostOutside(),
    };
  }
}
