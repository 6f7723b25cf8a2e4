/**
 * Exchange analysis inside the flow worker: the schema and the personal data of the
 * exchanges of one round, gathered per path shape. This is the redaction boundary
 * (STYLE 11): raw values found here are turned into keyed tokens and masked previews
 * before anything leaves the worker; only the opt-in exchanges file ever sees a raw
 * request line.
 */
import type { Limits } from '../config/limits.js';
import type { Exchange } from '../http/types.js';
import { detailKey, endpointHost, inInventory, shapeOf } from '../infer/inventory.js';
import { addObservations, type PiiFindings } from '../infer/pii-aggregate.js';
import { SchemaBuilder, type EndpointSchema } from '../infer/schema.js';
import { scanExchange, type ScanSample } from '../pii/scan-exchange.js';
import type { PiiKind } from '../pii/types.js';
import { preview } from '../privacy/preview.js';
import type { Tokenizer } from '../privacy/tokenize.js';
import { scannedInFull, SettledView, tallyValue, type LocationTally } from './settled.js';

/** One piece of personal data in one exchange, already tokenised. */
export interface PiiObservation {
  kind: PiiKind;
  in: 'request' | 'response';
  /** `body:/user/email`, `query:email`, `path:#2` (segment number until templated)... */
  location: string;
  confidence: number;
  token: string;
  preview: string;
}

/** What the exchanges of one (host, method, path shape) carried in one round. */
export interface ShapeDetail {
  host: string;
  method: string;
  /** The path with value segments as `{}` (see shapeOf). */
  shape: string;
  schema: EndpointSchema;
  pii: PiiFindings;
  /** How the values scanned for personal data behaved, per location (see settled.ts). */
  tally: LocationTally;
}

/** Personal data found in one exchange, tokenised and masked. */
export function piiOf(
  ex: Exchange, tokenizer: Tokenizer, limits: Limits, sample?: ScanSample,
): PiiObservation[] {
  const pii: PiiObservation[] = [];
  for (const f of scanExchange(ex, { limits, sample })) {
    pii.push({
      kind: f.kind,
      in: f.in,
      location: f.location,
      confidence: f.confidence,
      token: tokenizer.tokenize(f.value, f.kind),
      preview: preview(f.kind, f.value),
    });
  }
  return pii;
}

interface Gathering {
  host: string;
  method: string;
  shape: string;
  schema: SchemaBuilder;
  pii: PiiFindings;
  tally: LocationTally;
}

/**
 * Schema and personal data of a round's exchanges, one entry per path shape: the
 * main thread merges a few entries per round instead of one per exchange.
 */
export class RoundAnalysis {
  private readonly byShape = new Map<string, Gathering>();
  /** Locations settled so far; the main thread sends them (see settled.ts). */
  readonly settled = new SettledView();
  /** Exchanges scanned in full and with settled locations skipped, since the last take. */
  readonly scans = { full: 0, sampled: 0 };

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly limits: Limits,
  ) {}

  add(ex: Exchange): void {
    const req = ex.request;
    if (!inInventory(req.method, req.path)) return;
    const host = endpointHost(req.host, ex.server.ip);
    const shape = shapeOf(req.path);
    const key = detailKey(host, req.method, shape);
    let g = this.byShape.get(key);
    if (g === undefined) {
      g = {
        host, method: req.method, shape, schema: new SchemaBuilder(this.limits), pii: {}, tally: {},
      };
      this.byShape.set(key, g);
    }
    g.schema.observe(ex);
    const settled = this.settled.of(key);
    const full = settled === undefined || scannedInFull(ex, this.limits.fullScanEvery);
    if (full) this.scans.full++;
    else this.scans.sampled++;
    const tally = g.tally;
    const sample: ScanSample = {
      settled: (at) => (full ? null : settled!.get(at) ?? null),
      scanned: (at, v) => tallyValue(tally, at, v),
    };
    const pii = piiOf(ex, this.tokenizer, this.limits, sample);
    addObservations(g.pii, pii, this.limits.maxTokensPerFinding);
  }

  /** What was gathered since the last call, in key order. */
  take(): ShapeDetail[] {
    const keys = [...this.byShape.keys()].sort();
    const out = keys.map((k) => {
      const g = this.byShape.get(k)!;
      const { host, method, shape, pii, tally } = g;
      return { host, method, shape, schema: g.schema.done(), pii, tally };
    });
    this.byShape.clear();
    return out;
  }
}
