/**
 * Conversation scripts for reassembly and HTTP tests: one line per event, with
 * direction and gap markers, turned into the TCP segments a capture would hold.
 *
 *   -> GET / HTTP/1.1\r\nHost: a\r\n\r\n    the client sends these bytes
 *   <- HTTP/1.1 200 OK\r\n...               the server sends these bytes
 *   gap <- 120                              the server sends 120 bytes the capture misses
 *   fin ->   fin <-   rst ->                FIN or RST from that side
 *
 * Escapes in payloads: \r \n \t \\ \xHH. Acknowledgments follow what each side
 * has been sent (missed bytes included), as a real peer's would.
 */
import { mulberry32 } from '../../src/abuse/random.js';
import { AnomalyCounter } from '../../src/anomalies.js';
import { limitsWith, type Limits } from '../../src/config/limits.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from '../../src/decode/types.js';
import { FlowEngine } from '../../src/reassembly/engine.js';
import type { Exchange } from '../../src/http/types.js';

/** How payloads are cut into segments. */
export type Split = 'whole' | 'bytes' | { seed: number };

export interface ScriptOptions {
  split?: Split;
  /** Send the three-way handshake first (default true). */
  handshake?: boolean;
  clientIsn?: number;
  serverIsn?: number;
  client?: { ip: string; port: number };
  server?: { ip: string; port: number };
  tunnel?: string;
  /** First packet number and time. */
  packet?: number;
  ts?: number;
}

/** A deterministic PRNG (mulberry32), so random splits are reproducible. */
export const prng = mulberry32;

/** Decodes the escapes of a script payload. */
export function unescape(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      bytes.push(text.charCodeAt(i) & 0xff);
      continue;
    }
    const n = text[++i];
    if (n === 'r') bytes.push(13);
    else if (n === 'n') bytes.push(10);
    else if (n === 't') bytes.push(9);
    else if (n === 'x') {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Uint8Array.from(bytes);
}

/** Turns a script into segments, in capture order. */
export function scriptSegments(script: string, opts: ScriptOptions = {}): TcpSegment[] {
  const client = opts.client ?? { ip: '10.0.0.1', port: 40000 };
  const server = opts.server ?? { ip: '10.0.0.2', port: 80 };
  const rnd = typeof opts.split === 'object' ? prng(opts.split.seed) : null;
  let packet = opts.packet ?? 1;
  let ts = opts.ts ?? 1000;
  const isn = [opts.clientIsn ?? 1000, opts.serverIsn ?? 5000];
  // next[0]: client's next sequence number; next[1]: server's.
  const next = [isn[0]!, isn[1]!];
  const segs: TcpSegment[] = [];
  const seg = (side: 0 | 1, flags: number, payload: Uint8Array, seq = next[side]!): void => {
    const from = side === 0 ? client : server;
    const to = side === 0 ? server : client;
    segs.push({
      packet: packet++,
      ts: (ts += 0.001),
      tunnel: opts.tunnel ?? '',
      srcIp: from.ip,
      dstIp: to.ip,
      srcPort: from.port,
      dstPort: to.port,
      seq: seq >>> 0,
      ack: flags & TCP_ACK ? next[1 - side]! >>> 0 : 0,
      flags,
      ipId: 0,
      payload,
    });
  };
  if (opts.handshake !== false) {
    seg(0, TCP_SYN, new Uint8Array(0));
    next[0]!++;
    seg(1, TCP_SYN | TCP_ACK, new Uint8Array(0));
    next[1]!++;
    seg(0, TCP_ACK, new Uint8Array(0));
  }
  for (const raw of script.split('\n')) {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(->|<-|gap|fin|rst)\s?(.*)$/.exec(line);
    if (m === null) throw new Error(`bad script line: ${line}`);
    const rest = m[2]!;
    if (m[1] === '->' || m[1] === '<-') {
      const side = m[1] === '->' ? 0 : 1;
      const bytes = unescape(rest);
      for (const piece of cut(bytes, opts.split ?? 'whole', rnd)) {
        seg(side, TCP_ACK | 0x08, piece);
        next[side] = next[side]! + piece.length;
      }
    } else {
      const dm = /^(->|<-)\s*(\d*)$/.exec(rest.trim());
      if (dm === null) throw new Error(`bad script line: ${line}`);
      const side = dm[1] === '->' ? 0 : 1;
      if (m[1] === 'gap') next[side] = next[side]! + Number(dm[2]);
      else if (m[1] === 'fin') {
        seg(side, TCP_FIN | TCP_ACK, new Uint8Array(0));
        next[side]!++;
      } else seg(side, TCP_RST | TCP_ACK, new Uint8Array(0));
    }
  }
  return segs;
}

function cut(bytes: Uint8Array, split: Split, rnd: (() => number) | null): Uint8Array[] {
  if (split === 'whole' || bytes.length <= 1) return [bytes];
  if (split === 'bytes') return Array.from(bytes, (b) => Uint8Array.of(b));
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(rnd!() * Math.min(64, bytes.length - i));
    out.push(bytes.slice(i, i + n));
    i += n;
  }
  return out;
}

/** The result of running segments through a fresh engine. */
export interface Run {
  exchanges: Exchange[];
  anomalies: AnomalyCounter;
  engine: FlowEngine;
}

/** Pushes segments through a new FlowEngine and finishes it. */
export function runSegments(segs: TcpSegment[], limits: Partial<Limits> = {}): Run {
  const anomalies = new AnomalyCounter();
  const engine = new FlowEngine(limitsWith(limits), anomalies);
  const exchanges: Exchange[] = [];
  for (const s of segs) {
    engine.push(s);
    engine.advanceClock(s.ts);
    exchanges.push(...engine.drain());
  }
  engine.finish();
  exchanges.push(...engine.drain());
  return { exchanges, anomalies, engine };
}

/** Runs a script (see the top of this file). */
export function runScript(
  script: string,
  opts: ScriptOptions = {},
  limits: Partial<Limits> = {},
): Run {
  return runSegments(scriptSegments(script, opts), limits);
}

/** "METHOD uri -> status" per exchange, for compact assertions. */
export function summary(exchanges: Exchange[]): string[] {
  return exchanges.map((e) => {
    return `${e.request.method} ${e.request.uri} -> ${e.response?.status ?? null}`;
  });
}

/** Body bytes as text. */
export function text(body: Uint8Array): string {
  return Buffer.from(body).toString('latin1');
}

/** The same script whole, byte by byte and at random split points: all must agree. */
export const SPLITS: Split[] = ['whole', 'bytes', { seed: 1 }, { seed: 7 }, { seed: 42 }];
