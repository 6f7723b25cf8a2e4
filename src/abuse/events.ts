/**
 * The input of abuse detection: one record per HTTP exchange, built by the
 * pipeline after parsing and templating. Everything the abuse modules need is
 * here, so they never see packets, headers or bodies (STYLE 1, 11).
 */

/** Kinds of attack payload the probe detector recognises (see detectors.ts). */
export type ProbeKind = 'sql' | 'nosql' | 'command' | 'traversal';

/** Outcome of a login-like request (see identity.ts loginOutcome). */
export type LoginOutcome = 'failure' | 'success' | null;

/** One HTTP request and its response, as abuse detection sees it. */
export interface ClientEvent {
  /** Capture time of the request, seconds since the epoch (never wall-clock time). */
  ts: number;
  /** Client IP as seen: the TCP peer, or the X-Forwarded-For hop a trusted proxy vouched for. */
  clientAddress: string;
  /**
   * Already-tokenised identity (JWT sub, API key, Basic user or session cookie), prefixed
   * with its kind, e.g. `jwt:3f9a…`; null when the request carried none.
   */
  principal: string | null;
  /** Host header, lowercased, port kept. */
  host: string;
  method: string;
  /** Endpoint template, e.g. `/users/{id}`. */
  template: string;
  /**
   * Values of the templated path parameters, by name, RAW. They live in memory only:
   * features keep hashes of them, the enumeration detector keeps integers, alerts keep
   * neither.
   */
  params: Record<string, string>;
  /** Response status, null when no response was seen. */
  status: number | null;
  /** Response body length in bytes (0 when none). */
  responseBytes: number;
  /** User-Agent header, '' when absent. */
  userAgent: string;
  /** True when the endpoint is not in the user's catalog. */
  shadow: boolean;
  loginAttempt: LoginOutcome;
  /** Probe kinds found in this request by detectors.ts detectProbes; [] when clean. */
  probes: ProbeKind[];
  /** Redacted request line for alerts, e.g. `GET /users/{id}`: template, never values. */
  example: string;
}

/** A redacted request line for an event: method and template, nothing concrete. */
export function exampleLine(method: string, template: string): string {
  return `${method} ${template}`;
}
