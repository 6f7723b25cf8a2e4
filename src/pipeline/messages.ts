/**
 * The message types between the reader thread and the flow workers, and their
 * packing. One module owns them (STYLE 10) so both sides agree by construction.
 *
 * A round carries the segments of one batch of packets for one shard: a msgpackr
 * header with one tuple per segment, and all payloads in one buffer that is
 * transferred, not copied.
 */
import { Packr } from 'msgpackr';
import type { TcpSegment } from '../decode/types.js';
import type { Exchange } from '../http/types.js';
import type { AnomalyCode } from '../anomalies.js';
import type { ShapeDetail } from './analyse.js';
import type { SettledDelta } from './settled.js';
import type { ProbeKind } from '../abuse/events.js';
import { NO_ABUSE_FIELDS, type AbuseFields } from './abuse-fields.js';
import type { EncryptedFlow } from '../tls/flow-sink.js';
import type { LostOutside } from '../http/connection.js';

/** What the rest of the pipeline needs of an exchange; no bodies, no credentials. */
export interface ExchangeSummary {
  packet: number;
  ts: number;
  endTs: number;
  tunnel: string;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  method: string;
  /** The request line's target as sent; only the opt-in exchanges file writes it. */
  uri: string;
  path: string;
  /** Host header lowercased as sent, '' when absent. */
  host: string;
  status: number | null;
  auth: string[];
  requestType: string;
  responseType: string;
  queryNames: string[];
  /** Tokenised principal (see src/abuse/identity.ts), null when none was sent. */
  principal: string | null;
  /** User-Agent as sent, '' when absent. */
  userAgent: string;
  /** X-Forwarded-For as sent (several fields joined by ', '), '' when absent. */
  forwardedFor: string;
  /** Attack payload kinds found in the raw path, query and body (kinds only, no text). */
  probes: ProbeKind[];
  /** Response body length in bytes, 0 without a response. */
  responseBytes: number;
  /** Stream bytes of the exchange the capture lacked (see Exchange.gapBytes). */
  gapBytes: number;
}

/** Per-shard work for one round: the capture clock and the segments. */
export interface RoundTask {
  /** Capture time at the end of this round's batch; drives idle timeouts. */
  clock: number;
  /** Packed segment headers (see packSegments). */
  header: Uint8Array;
  /** All payloads back to back. */
  payloads: Uint8Array;
  /** Set on the last round: close every flow. */
  finish: boolean;
  /** Locations that settled or unsettled since the shard's previous round. */
  settled: SettledDelta;
}

export interface EngineStats {
  flows: number;
  bytes: number;
  gaps: number;
  gapBytes: number;
  /** Segments repeating bytes already seen, and those bytes (reassembly/stats.ts). */
  retransmissions: number;
  retransmittedBytes: number;
}

export interface RoundResult {
  exchanges: ExchangeSummary[];
  anomalies: Partial<Record<AnomalyCode, number>>;
  stats: EngineStats | null;
  /** Schema and personal data of this round's exchanges per path shape. */
  details: ShapeDetail[];
  /** Exchanges scanned for personal data in full, and with settled locations skipped. */
  scans: { full: number; sampled: number };
  /** TLS and HTTP/2 flows that ended this round (see src/tls/flow-sink.ts). */
  encrypted?: EncryptedFlow[];
  /** Gap bytes no exchange could be charged with (see src/http/connection.ts). */
  lostOutside?: LostOutside[];
}

const packr = new Packr({ structuredClone: false, useRecords: false });

/** Packs segments for one shard; payloads are copied once into a single buffer. */
export function packSegments(segs: TcpSegment[]): { header: Uint8Array; payloads: Uint8Array } {
  let total = 0;
  for (const s of segs) total += s.payload.length;
  const payloads = new Uint8Array(total);
  const rows: unknown[] = new Array(segs.length);
  let off = 0;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    payloads.set(s.payload, off);
    off += s.payload.length;
    rows[i] = [
      s.packet, s.ts, s.tunnel, s.srcIp, s.dstIp, s.srcPort, s.dstPort,
      s.seq, s.ack, s.flags, s.ipId, s.payload.length, s.missing ?? 0,
    ];
  }
  return { header: packr.pack(rows), payloads };
}

/** The inverse of packSegments; payload views point into `payloads`. */
export function unpackSegments(header: Uint8Array, payloads: Uint8Array): TcpSegment[] {
  const rows = packr.unpack(header) as Array<
    [number, number, string, string, string, number, number, number, number, number, number,
      number, number]
  >;
  const out: TcpSegment[] = new Array(rows.length);
  let off = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const len = r[11];
    const seg: TcpSegment = {
      packet: r[0], ts: r[1], tunnel: r[2], srcIp: r[3], dstIp: r[4], srcPort: r[5],
      dstPort: r[6], seq: r[7], ack: r[8], flags: r[9], ipId: r[10],
      payload: payloads.subarray(off, off + len),
    };
    if (r[12] > 0) seg.missing = r[12];
    out[i] = seg;
    off += len;
  }
  return out;
}

function queryNames(query: string): string[] {
  if (query === '') return [];
  const names: string[] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name = eq >= 0 ? part.slice(0, eq) : part;
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // A malformed escape keeps the raw name: it is still a name the client sent.
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Reduces a parsed exchange to what leaves the worker; `abuse` holds what abuse
 * detection needs (see abuse-fields.ts), neutral when not given.
 */
export function summarize(ex: Exchange, abuse: AbuseFields = NO_ABUSE_FIELDS): ExchangeSummary {
  return {
    packet: ex.packet,
    ts: ex.ts,
    endTs: ex.endTs,
    tunnel: ex.tunnel,
    gapBytes: ex.gapBytes,
    clientIp: ex.client.ip,
    clientPort: ex.client.port,
    serverIp: ex.server.ip,
    serverPort: ex.server.port,
    method: ex.request.method,
    uri: ex.request.uri,
    path: ex.request.path,
    host: ex.request.host,
    status: ex.response === null ? null : ex.response.status,
    auth: ex.request.auth,
    requestType: ex.request.contentType,
    responseType: ex.response === null ? '' : ex.response.contentType,
    queryNames: queryNames(ex.request.query),
    ...abuse,
    probes: [...abuse.probes],
  };
}
