/**
 * The synthetic abuse scenarios (bench/abuse-synth-profiles.ts) as HTTP traffic:
 * the requests each client sends, with their raw query, body and credential, and
 * as capture files of keep-alive TCP conversations to one server. Clients are laid
 * out as bench/abuse-synth.ts lays them out (same addresses, same seed use), so
 * both benchmarks describe the same people.
 */
import type { Emit, Rng, SynthRequest } from './abuse-synth-profiles.js';
import { playScenario, type Scenario, type SynthClient } from './abuse-synth.js';
import { mulberry32 } from '../src/abuse/random.js';
import { Conversation, PcapFile } from './abuse-pcap.js';

/** One request of one client at a capture time (µs-exact, as a pcap stores it). */
export interface TimedRequest {
  ts: number;
  client: SynthClient;
  req: SynthRequest;
}

/** A scenario's clients and their requests before and after the split. */
export interface SynthTraffic {
  scenario: Scenario;
  clients: SynthClient[];
  train: TimedRequest[];
  test: TimedRequest[];
}

/** Capture time of the first minute; as in abuse-synth.ts. */
export const START = 1_700_000_000;
/** The one server every client talks to. */
export const HOST = 'shop.example.test';
export const SERVER_IP = '10.0.0.80';

function collector(out: TimedRequest[]): (c: SynthClient) => Emit {
  // Capture files keep microseconds: times are rounded here so that the events
  // the benchmark compares with are the ones the pipeline will read back.
  return (client) => (ts, req) => out.push({ ts: Math.round(ts * 1e6) / 1e6, client, req });
}

function byTime(a: TimedRequest, b: TimedRequest): number {
  return a.ts - b.ts || (a.client.address < b.client.address ? -1 : 1);
}

/** A scenario's traffic; the same scenario always gives the same requests. */
export function generateTraffic(s: Scenario): SynthTraffic {
  const rand: Rng = mulberry32(s.seed);
  const clients: SynthClient[] = [];
  const train: TimedRequest[] = [];
  const test: TimedRequest[] = [];
  const toTrain = collector(train);
  const toTest = collector(test);
  clients.push(...playScenario(s, rand, toTrain, toTest));
  train.sort(byTime);
  test.sort(byTime);
  return { scenario: s, clients, train, test };
}

/** The concrete path of a request: its template with the parameters filled in. */
export function concretePath(r: SynthRequest): string {
  let path = r.template;
  for (const [k, v] of Object.entries(r.params ?? {})) path = path.replace(`{${k}}`, v);
  return path;
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/** Credential headers for a synthetic principal (`kind:name`), as a client would send them. */
function credentialHeaders(principal: string | null): string[] {
  if (principal === null) return [];
  const colon = principal.indexOf(':');
  const kind = principal.slice(0, colon);
  const name = principal.slice(colon + 1);
  switch (kind) {
    case 'jwt': // RFC 7519 compact form; the signature is never checked by the sensor
      return [`Authorization: Bearer ${b64url('{"alg":"HS256","typ":"JWT"}')}.` +
        `${b64url(JSON.stringify({ sub: name }))}.${b64url('sig-' + name)}`];
    case 'basic':
      return [`Authorization: Basic ${Buffer.from(`${name}:pw-${name}`).toString('base64')}`];
    case 'apikey':
      return [`X-API-Key: key-${name}`];
    default:
      return [`Cookie: sid=${name}; theme=dark`];
  }
}

/** The request as bytes on the wire (HTTP/1.1, RFC 9112). */
export function requestBytes(r: SynthRequest): Buffer {
  const target = concretePath(r) + (r.query ? `?${r.query}` : '');
  const lines = [`${r.method} ${target} HTTP/1.1`, `Host: ${HOST}`, `User-Agent: ${r.userAgent}`,
    'Accept: application/json', ...credentialHeaders(r.principal)];
  const body = r.body === undefined ? null : Buffer.from(r.body);
  if (body !== null) {
    lines.push('Content-Type: application/json', `Content-Length: ${body.length}`);
  }
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n');
  return body === null ? head : Buffer.concat([head, body]);
}

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The status line and headers of the response; its body is `r.bytes` long. */
function responseHead(r: SynthRequest): Buffer {
  return Buffer.from(`HTTP/1.1 ${r.status} ${REASONS[r.status] ?? 'Status'}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${r.bytes}\r\n\r\n`);
}

/** How a capture is written. */
export interface CaptureOptions {
  /** Keep response bodies in the file (true) or only their headers (false; see abuse-pcap.ts). */
  bodies: boolean;
  /** A client's connection idle this long (capture seconds) is closed; the next one opens anew. */
  idleCloseSec: number;
}

/** Writes the requests as one capture file; returns its packet count. */
export function writeCapture(path: string, requests: readonly TimedRequest[],
  opts: CaptureOptions): number {
  const out = new PcapFile(path);
  const conns = new Map<string, Conversation>();
  let port = 20_000;
  const body = Buffer.alloc(16_384, 0x61);
  for (const { ts, client, req } of requests) {
    const micros = Math.round(ts * 1e6);
    let conn = conns.get(client.address);
    if (conn !== undefined && micros - conn.lastTs > opts.idleCloseSec * 1e6) {
      conn.close(conn.lastTs);
      conn = undefined;
    }
    if (conn === undefined) {
      port = port >= 60_000 ? 20_000 : port + 1;
      conn = new Conversation(out, client.address, port, SERVER_IP, 80, (micros ^ port) >>> 0);
      conn.open(micros);
      conns.set(client.address, conn);
    }
    const head = responseHead(req);
    const bodyBytes = Math.min(req.bytes, body.length);
    const response = opts.bodies ? Buffer.concat([head, body.subarray(0, bodyBytes)]) : head;
    conn.exchange(micros, requestBytes(req), response, null, head.length + req.bytes);
  }
  for (const conn of conns.values()) conn.close(conn.lastTs);
  out.close();
  return out.packets;
}
