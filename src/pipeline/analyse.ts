/**
 * Per-exchange analysis inside the flow worker: the exchange's schema and the
 * personal data it carries. This is the redaction boundary (STYLE 11): raw values
 * found here are turned into keyed tokens and masked previews before anything
 * leaves the worker; only the opt-in exchanges file ever sees a raw request line.
 */
import type { Limits } from '../config/limits.js';
import type { Exchange } from '../http/types.js';
import { observeExchange, type EndpointSchema } from '../infer/schema.js';
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

export interface ExchangeAnalysis {
  schema: EndpointSchema;
  pii: PiiObservation[];
}

/** Schema and tokenised findings of one exchange. */
export function analyseExchange(
  ex: Exchange,
  tokenizer: Tokenizer,
  limits: Limits,
): ExchangeAnalysis {
  const schema = observeExchange(ex, limits);
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
  return { schema, pii };
}
