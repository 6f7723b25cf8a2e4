/**
 * The vocabulary of personal-data detection: the closed list of kinds, what a
 * detector returns for one value, and what the exchange walker reports.
 */

/** Every kind of personal data or secret the sensor recognises. */
export const PII_KINDS = [
  'email',
  'phone',
  'credit_card',
  'iban',
  'bic',
  'ssn',
  'fr_nir',
  'uk_nino',
  'date_of_birth',
  'address',
  'ip_address',
  'geo',
  'jwt',
  'api_key',
  'password',
  'private_key',
] as const;

/** One kind of personal data or secret. */
export type PiiKind = (typeof PII_KINDS)[number];

/** True when `s` names one of PII_KINDS. */
export function isPiiKind(s: string): s is PiiKind {
  return (PII_KINDS as readonly string[]).includes(s);
}

/**
 * One detection in one value. start/end (UTF-16 offsets, end exclusive) are set
 * when the match is embedded in a longer text; absent when the whole value matched.
 */
export interface PiiHit {
  kind: PiiKind;
  /** 0..1; callers report hits at or above PII_MIN_CONFIDENCE. */
  confidence: number;
  start?: number;
  end?: number;
}

/** Where a value was seen: its field name (null for free positions) and location. */
export interface ScanContext {
  /** Member, parameter or header name that holds the value; null when unnamed. */
  fieldName: string | null;
  /** Location as reported (`body:/user/email`); ancestors give context to a bare name. */
  location: string;
}

/** One piece of personal data found in an exchange. */
export interface Finding {
  kind: PiiKind;
  in: 'request' | 'response';
  /** `body:/user/email`, `query:email`, `form:card`, `multipart:iban`, `header:x`, `path:{id}`. */
  location: string;
  confidence: number;
  /**
   * The matched text. In memory only: tokenise it (src/privacy) before anything
   * is stored, printed or logged.
   */
  value: string;
}

/** Hits below this confidence are candidates, not findings. */
export const PII_MIN_CONFIDENCE = 0.5;
