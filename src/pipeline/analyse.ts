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
import { scanExchange } from '../pii/scan-exchange.js';
import type { PiiKind } from '../pii/types.js';
import { preview } from '../privacy/preview.js';
import type { Tokenizer } from '../privacy/tokenize.js';

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
}

/** Personal data found in one exchange, tokenised and masked. */
export function piiOf(ex: Exchange, tokenizer: Tokenizer, limits: Limits): PiiObservation[] {
  const pii: PiiObservation[] = [];
  for (const f of scanExchange(ex, { limits })) {
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
}

/**
 * Schema and personal data of a round's exchanges, one entry per path shape: the
 * main thread merges a few entries per round instead of one per exchange.
 */
export class RoundAnalysis {
  private readonly byShape = new Map<string, Gathering>();

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
      g = { host, method: req.method, shape, schema: new SchemaBuilder(this.limits), pii: {} };
      this.byShape.set(key, g);
    }
    g.schema.observe(ex);
    addObservations(g.pii, piiOf(ex, this.tokenizer, this.limits), this.limits.maxTokensPerFinding);
  }

  /** What was gathered since the last call, in key order. */
  take(): ShapeDetail[] {
    const keys = [...this.byShape.keys()].sort();
    const out = keys.map((k) => {
      const g = this.byShape.get(k)!;
      const { host, method, shape, pii } = g;
      return { host, method, shape, schema: g.schema.done(), pii };
    });
    this.byShape.clear();
    return out;
  }
}
