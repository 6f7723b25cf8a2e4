/** Personal data and secrets in values and exchanges (see docs/privacy.md). */
export { PII_KINDS, PII_MIN_CONFIDENCE, isPiiKind } from './types.js';
export type { Finding, PiiHit, PiiKind, ScanContext } from './types.js';
export { scanValue } from './scan-value.js';
export { scanExchange } from './scan-exchange.js';
export type { ScanExchangeOptions } from './scan-exchange.js';
