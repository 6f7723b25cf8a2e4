/**
 * Operator errors: a stable code and a one-line message naming the file, packet,
 * offset or option at fault. The CLI turns them into exit codes. Traffic never
 * throws these; malformed packets become anomalies (see anomalies.ts).
 */
export type ErrorCode =
  | 'usage'
  | 'file-not-found'
  | 'file-unreadable'
  | 'not-a-capture'
  | 'unknown-link-type'
  | 'bad-capture'
  | 'catalog-invalid'
  | 'db-error'
  | 'capture-unavailable'
  | 'interface-not-found'
  | 'permission-denied'
  | 'bad-filter'
  | 'model-invalid';

/** Exit status per code: 2 for usage mistakes, 1 for everything else. */
export function exitCodeFor(code: ErrorCode): number {
  return code === 'usage' ? 2 : 1;
}

export class ShadowtapError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ShadowtapError';
    this.code = code;
  }
}

export function isShadowtapError(e: unknown): e is ShadowtapError {
  return e instanceof ShadowtapError;
}
