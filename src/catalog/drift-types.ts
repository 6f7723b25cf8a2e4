/**
 * The vocabulary of drift: how what the traffic shows departs from the operation the
 * catalog documents. Kept apart so reports can name it without the comparison code.
 */
import type { PiiKind } from '../pii/types.js';

/** What kind of departure one drift entry is. */
export type DriftKind =
  | 'undocumented-param'
  | 'undocumented-field'
  | 'type-mismatch'
  | 'undocumented-status'
  | 'missing-auth';

/** Drift kinds in the order entries are listed (after those carrying personal data). */
export const DRIFT_KINDS: readonly DriftKind[] = [
  'missing-auth',
  'undocumented-field',
  'undocumented-param',
  'type-mismatch',
  'undocumented-status',
];

/** One departure from the spec at one place of an endpoint. */
export interface DriftEntry {
  kind: DriftKind;
  in: 'request' | 'response';
  /**
   * Where, written as personal-data locations are (`body:/user/email`, `query:email`,
   * `form:card`, `multipart:iban`, `header:x-user-phone`; array items and map values
   * as a `*` segment), plus `status:500` for status codes and `security` for auth.
   */
  location: string;
  /** What was seen against what is documented: types, formats, counts; never a value. */
  detail: string;
  /** Kinds of personal data found at this location or under it; absent when none. */
  pii?: PiiKind[];
}
