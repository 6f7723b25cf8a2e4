import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import { detectAuth } from './auth.js';
import type { BodyCollector } from './body.js';
import { decodeContent } from './content-coding.js';
import type { MessageHead } from './parser.js';
import { redactHeaders, redactQuery } from './redact.js';
import type { HttpRequest, HttpResponse } from './types.js';
import { splitTarget, targetHost } from './uri.js';
import { wireHeaders, wireText } from './wire-text.js';

/** What building a message needs from its run. */
export interface BuildContext {
  limits: Limits;
  anomalies: AnomalyCounter;
  /**
   * Names the client of a request from its headers (names lowercased, values RAW,
   * wire order) and returns a token, never a raw value. Called here because this is
   * the last place raw credentials exist: redaction follows.
   */
  identify?: (headers: ReadonlyArray<readonly [string, string]>) => string | null;
}

/** The first value of a header (name lowercase), or ''. */
export function headerValue(raw: string[], name: string): string {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === name) return raw[i + 1]!;
  }
  return '';
}

interface BodyFields {
  body: Uint8Array;
  bodyLength: number;
  bodyTruncated: boolean;
}

function bodyFields(
  head: MessageHead,
  body: BodyCollector,
  cut: boolean,
  ctx: BuildContext,
): BodyFields {
  const raw = body.bytes();
  if (body.overflowed) ctx.anomalies.add('body-over-limit');
  const whole = !cut && body.lost === 0 && body.whole;
  const decoded = decodeContent(
    headerValue(head.rawHeaders, 'content-encoding'),
    raw,
    whole,
    ctx.limits,
    ctx.anomalies,
  );
  return {
    body: decoded.bytes,
    // The message body length (RFC 9110 §6.4): transfer coding removed, content
    // coding not; bytes lost in gaps included.
    bodyLength: body.length,
    bodyTruncated: decoded.truncated || cut || head.truncated,
  };
}

/** Header pairs with lowercased names and raw values, for BuildContext.identify. */
function headerPairs(raw: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return pairs;
}

/** A request as reported: redacted headers and query, auth kinds, decoded body sample. */
export function buildRequest(
  head: MessageHead,
  body: BodyCollector,
  cut: boolean,
  ctx: BuildContext,
): HttpRequest {
  const uri = wireText(head.url);
  const { path, query } = splitTarget(head.method, uri);
  const host = targetHost(head.method, uri) ?? wireText(headerValue(head.rawHeaders, 'host'));
  return {
    method: head.method,
    uri,
    path,
    query: redactQuery(query),
    host: host.toLowerCase(),
    httpVersion: `${head.versionMajor}.${head.versionMinor}`,
    headers: wireHeaders(redactHeaders(head.rawHeaders)),
    auth: detectAuth(head.rawHeaders, query),
    contentType: wireText(headerValue(head.rawHeaders, 'content-type')),
    ...bodyFields(head, body, cut, ctx),
    ...(ctx.identify ? { principal: ctx.identify(headerPairs(head.rawHeaders)) } : {}),
  };
}

/** A response as reported: redacted headers, decoded body sample. */
export function buildResponse(
  head: MessageHead,
  body: BodyCollector,
  cut: boolean,
  ctx: BuildContext,
): HttpResponse {
  return {
    status: head.status,
    httpVersion: `${head.versionMajor}.${head.versionMinor}`,
    headers: wireHeaders(redactHeaders(head.rawHeaders)),
    contentType: wireText(headerValue(head.rawHeaders, 'content-type')),
    ...bodyFields(head, body, cut, ctx),
  };
}
