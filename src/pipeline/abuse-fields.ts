/**
 * What abuse detection needs of one exchange, taken inside the flow worker while
 * the raw path, query and body are still at hand. Only kinds, lengths, a token and
 * two plain headers leave: the probe scan says which kind of payload it saw, never
 * the payload (STYLE 11).
 */
import { detectProbes } from '../abuse/detectors.js';
import type { ProbeKind } from '../abuse/events.js';
import type { Limits } from '../config/limits.js';
import type { Exchange } from '../http/types.js';
import { splitTarget } from '../http/uri.js';

/** The abuse part of an ExchangeSummary. */
export interface AbuseFields {
  principal: string | null;
  userAgent: string;
  forwardedFor: string;
  probes: readonly ProbeKind[];
  responseBytes: number;
}

/** Fields of an exchange nobody looked at for abuse. */
export const NO_ABUSE_FIELDS: Readonly<AbuseFields> = Object.freeze({
  principal: null,
  userAgent: '',
  forwardedFor: '',
  probes: Object.freeze([]) as readonly ProbeKind[],
  responseBytes: 0,
});

// Media types whose bodies are not text: scanning them for SQL or shell syntax
// only finds noise in compressed or binary bytes.
const BINARY =
  /^(?:image|audio|video|font)\/|^application\/(?:octet-stream|zip|gzip|pdf|x-protobuf)/;

const latin1 = new TextDecoder('latin1');

/**
 * The body as text for the probe scan: at most the scan limit, bytes read as
 * Latin-1 so an overlong UTF-8 sequence stays visible as two characters.
 */
function bodyText(ex: Exchange, limits: Limits): string {
  const body = ex.request.body;
  if (body.length === 0 || BINARY.test(ex.request.contentType.trim().toLowerCase())) return '';
  const max = limits.abuseMaxProbeScanChars;
  return latin1.decode(body.length > max ? body.subarray(0, max) : body);
}

function headerJoined(headers: ReadonlyArray<[string, string]>, name: string): string {
  let out = '';
  for (const [n, v] of headers) if (n === name) out = out === '' ? v : `${out}, ${v}`;
  return out;
}

/**
 * Abuse fields of an exchange. The query is taken from the raw request target,
 * not from request.query (credential values there are redacted, and a probe may
 * sit in one). User-Agent and X-Forwarded-For are not credentials, so the
 * redacted headers still hold them as sent.
 */
export function abuseFields(ex: Exchange, limits: Limits): AbuseFields {
  const { request: req } = ex;
  const { query } = splitTarget(req.method, req.uri);
  const headers = req.headers;
  let userAgent = '';
  for (const [n, v] of headers) {
    if (n === 'user-agent') {
      userAgent = v;
      break;
    }
  }
  return {
    principal: req.principal ?? null,
    userAgent,
    forwardedFor: headerJoined(headers, 'x-forwarded-for'),
    probes: detectProbes({ path: req.path, query, body: bodyText(ex, limits) }, limits),
    responseBytes: ex.response === null ? 0 : ex.response.bodyLength,
  };
}
