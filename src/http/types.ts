/** One HTTP request and the response paired with it (if any was seen). */
export interface Exchange {
  /** Packet number where the request started, and its capture time. */
  packet: number;
  ts: number;
  /** Capture time of the end of the response (or the request when none). */
  endTs: number;
  tunnel: string;
  /**
   * Stream bytes of this exchange the capture lacked: lost in gaps inside its request
   * or response, from where a gap cut one short, or a whole response lost.
   */
  gapBytes: number;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  request: HttpRequest;
  response: HttpResponse | null;
}

export interface HttpRequest {
  method: string;
  /** As in the request line. */
  uri: string;
  /** Path part of the URI, percent-encoding kept; origin form even for absolute URIs. */
  path: string;
  /** Query string without the '?', '' when none. */
  query: string;
  /**
   * Host lowercased as sent (port kept): an absolute-form target's authority (RFC 9112
   * §3.2.2, userinfo dropped), else the Host header; '' when neither.
   */
  host: string;
  httpVersion: string;
  /** Header names lowercased; values of credential headers replaced (see http/redact.ts). */
  headers: Array<[string, string]>;
  /** Auth schemes carried (none, basic, bearer, jwt, apikey-header, apikey-query, cookie). */
  auth: string[];
  contentType: string;
  /** Decoded body, at most limits.maxBodyBytesKept; bodyLength is the full size. */
  body: Uint8Array;
  bodyLength: number;
  bodyTruncated: boolean;
  /**
   * Who sent it, ALREADY TOKENISED (`jwt:tk_…`, see src/abuse/identity.ts), read from
   * the raw credential headers before redaction; null when it carried none. Absent
   * when the run does not identify clients (no BuildContext.identify).
   */
  principal?: string | null;
}

export interface HttpResponse {
  status: number;
  httpVersion: string;
  headers: Array<[string, string]>;
  contentType: string;
  body: Uint8Array;
  bodyLength: number;
  bodyTruncated: boolean;
}
