/**
 * The first consumer of every flow's streams: looks at the first bytes to tell TLS
 * and HTTP/2 prior knowledge from HTTP/1.x. A TLS flow's ClientHello is read for its
 * server name and ALPN and nothing more is parsed; an HTTP/2 flow is only counted;
 * anything else goes to the HTTP/1.x parser, which reports an h2c upgrade back here.
 *
 * LIMITATION: a flow is reported when it ends (FIN, RST, idle timeout, end of input),
 * so a long-lived TLS connection shows in a live capture only once it closes.
 * LIMITATION: with Encrypted Client Hello (ECH) the SNI read is the outer, public name;
 * QUIC (HTTP/3 over UDP) is not looked at; TLS that starts after STARTTLS or inside a
 * CONNECT tunnel is not recognised (the first bytes decide).
 */
import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type { Dir } from '../reassembly/flow-key.js';
import type { ChunkMeta, EndReason, FlowInfo, StreamSink } from '../reassembly/sink.js';
import type { EngineStats } from '../reassembly/stats.js';
import { HelloReader, looksLikeTlsAnyRecord, looksLikeTlsRecord } from './client-hello.js';

/** One flow the sensor could not inspect, reported when the flow ends. */
export interface EncryptedFlow {
  /** 'tls', or 'h2' for HTTP/2 in clear (prior knowledge or h2c after a 101). */
  kind: 'tls' | 'h2';
  /** Server name from the ClientHello, '' when none was sent or it was unreadable. */
  sni: string;
  alpn: string[];
  serverIp: string;
  serverPort: number;
  /** Stream bytes both ways (for h2c: only those after the 101). */
  bytes: number;
  /** Capture time of the first and last bytes counted. */
  firstTs: number;
  lastTs: number;
}

/** What a FlowSniffer needs from its engine. */
export interface SniffContext {
  limits: Limits;
  anomalies: AnomalyCounter;
  stats: EngineStats;
  /** Receives each encrypted or HTTP/2 flow when it ends. */
  report(flow: EncryptedFlow): void;
}

/** Builds the HTTP/1.x consumer; `switched` is called with a 101's Upgrade value. */
export type HttpSinkFactory = (switched: (protocol: string) => void) => StreamSink;

// RFC 9113 §3.4: the client connection preface of HTTP/2.
const H2_PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

type Mode = 'undecided' | 'http' | 'tls' | 'h2';

/** Decides a flow's protocol from its first bytes; see the module comment. */
export class FlowSniffer implements StreamSink {
  private mode: Mode = 'undecided';
  private http: StreamSink | null = null;
  /** The first bytes, copied, while too few have come to decide. */
  private held: Uint8Array = new Uint8Array(0);
  private heldDir: Dir = 0;
  private heldMeta: ChunkMeta | null = null;
  /** The side that sent the ClientHello or the HTTP/2 preface. */
  private clientDir: Dir = 0;
  /** Reads the ClientHello of a TLS flow; null once read (or given up on). */
  private hello: HelloReader | null = null;
  private h2c = false;
  private flow: EncryptedFlow | null = null;

  constructor(
    private readonly info: FlowInfo,
    private readonly ctx: SniffContext,
    private readonly makeHttp: HttpSinkFactory,
  ) {}

  data(dir: Dir, bytes: Uint8Array, meta: ChunkMeta): void {
    if (this.mode === 'undecided') this.decide(dir, bytes, meta);
    else if (this.mode === 'http') this.toHttp((h) => h.data(dir, bytes, meta), meta.ts);
    else this.encrypted(dir, bytes, meta.ts);
  }

  gap(dir: Dir, missing: number, meta: ChunkMeta): void {
    if (this.mode === 'undecided') this.startHttp();
    if (this.mode === 'http') this.toHttp((h) => h.gap(dir, missing, meta), meta.ts);
    else if (this.hello !== null) {
      // LIMITATION: a ClientHello with a hole in it is not read (no SNI for the flow).
      this.hello = null;
    }
  }

  fin(dir: Dir, meta: ChunkMeta): void {
    if (this.mode === 'undecided' && this.held.length > 0) this.startHttp();
    if (this.mode === 'http') this.toHttp((h) => h.fin(dir, meta), meta.ts);
  }

  end(reason: EndReason, ts: number): void {
    if (this.mode === 'undecided' && this.held.length > 0) this.startHttp();
    if (this.mode === 'http') this.toHttp((h) => h.end(reason, ts), ts);
    if (this.hello !== null) this.ctx.anomalies.add('tls-malformed'); // ended inside it
    if (this.flow !== null) this.ctx.report(this.flow);
    this.flow = null;
  }

  private decide(dir: Dir, bytes: Uint8Array, meta: ChunkMeta): void {
    if (this.held.length > 0 && dir !== this.heldDir) {
      this.startHttp(); // the other side spoke first: neither TLS nor HTTP/2 from a client
      this.toHttp((h) => h.data(dir, bytes, meta), meta.ts);
      return;
    }
    const b = this.held.length > 0 ? join(this.held, bytes) : bytes;
    if (looksLikeTlsRecord(b)) {
      this.begin('tls', dir, meta.ts);
      const { tlsMaxClientHelloBytes, tlsMaxAlpn } = this.ctx.limits;
      this.hello = new HelloReader(tlsMaxClientHelloBytes, tlsMaxAlpn);
      this.held = new Uint8Array(0);
      this.encrypted(dir, b, meta.ts);
      return;
    }
    if (looksLikeTlsAnyRecord(b)) {
      // Picked up mid-stream: encrypted, but the ClientHello went by unseen.
      // LIMITATION: such a flow is listed under its server's address (no SNI); without
      // the handshake, the side with the higher (ephemeral) port is taken as the client.
      const [a, z] = this.info.endpoints;
      const client: Dir = this.info.synDir !== -1 ? this.info.synDir : a.port > z.port ? 0 : 1;
      this.begin('tls', client, meta.ts);
      this.held = new Uint8Array(0);
      this.encrypted(dir, b, meta.ts);
      return;
    }
    if (startsWith(b, H2_PREFACE)) {
      this.begin('h2', dir, meta.ts);
      this.held = new Uint8Array(0);
      this.encrypted(dir, b, meta.ts);
      return;
    }
    // Too few bytes to tell (a preface or record header split over segments): hold a copy.
    const maybeTls = b.length < 3 && b[0]! >= 20 && b[0]! <= 23 && (b.length < 2 || b[1] === 3);
    if (b.length > 0 && (maybeTls || isPrefixOf(b, H2_PREFACE))) {
      this.held = b === bytes ? bytes.slice() : b;
      this.heldDir = dir;
      this.heldMeta ??= { ...meta };
      return;
    }
    this.startHttp();
    this.toHttp((h) => h.data(dir, bytes, meta), meta.ts);
  }

  private begin(kind: 'tls' | 'h2', clientDir: Dir, ts: number): void {
    this.mode = kind;
    this.heldMeta = null;
    const server = this.info.endpoints[clientDir === 0 ? 1 : 0];
    this.flow = {
      kind, sni: '', alpn: [], serverIp: server.ip, serverPort: server.port,
      bytes: 0, firstTs: ts, lastTs: ts,
    };
    this.clientDir = clientDir;
  }

  private encrypted(dir: Dir, bytes: Uint8Array, ts: number): void {
    const f = this.flow!;
    f.bytes += bytes.length;
    if (ts > f.lastTs) f.lastTs = ts;
    if (this.hello === null || dir !== this.clientDir) return;
    const r = this.hello.push(bytes);
    if (r.kind === 'more') return;
    this.hello = null;
    if (r.kind === 'hello') {
      f.sni = r.info.sni;
      f.alpn = r.info.alpn;
    } else {
      this.ctx.anomalies.add(r.kind === 'limit' ? 'tls-hello-limit' : 'tls-malformed');
    }
  }

  /** Replays held bytes into a new HTTP/1.x parser: the flow is not TLS or HTTP/2. */
  private startHttp(): void {
    this.mode = 'http';
    this.http = this.makeHttp((protocol) => this.switched(protocol));
    const held = this.held;
    const meta = this.heldMeta;
    this.held = new Uint8Array(0);
    this.heldMeta = null;
    if (held.length > 0 && meta !== null) {
      this.toHttp((h) => h.data(this.heldDir, held, meta), meta.ts);
    }
  }

  /** RFC 9113 §3.2 (as in RFC 7540 §3.2): after a 101 naming h2c, the flow speaks HTTP/2. */
  private switched(protocol: string): void {
    if (!/^\s*h2c\s*$/i.test(protocol)) return;
    this.h2c = true;
  }

  /**
   * Runs one call on the HTTP parser. After an h2c upgrade the parser counts what
   * follows as tunnelled bytes; the growth of that counter during the call is this
   * flow's HTTP/2 volume (the engine is single-threaded, so no other flow adds to it).
   */
  private toHttp(call: (h: StreamSink) => void, ts: number): void {
    const before = this.ctx.stats.tunneledBytes;
    call(this.http!);
    if (!this.h2c) return;
    const grown = this.ctx.stats.tunneledBytes - before;
    if (this.flow === null) {
      const server = this.serverOf();
      this.flow = {
        kind: 'h2', sni: '', alpn: ['h2c'], serverIp: server.ip, serverPort: server.port,
        bytes: 0, firstTs: ts, lastTs: ts,
      };
    }
    this.flow.bytes += grown;
    if (ts > this.flow.lastTs) this.flow.lastTs = ts;
  }

  private serverOf(): { ip: string; port: number } {
    // The side that opened the connection is the client; else the higher port is.
    const [a, b] = this.info.endpoints;
    if (this.info.synDir !== -1) return this.info.endpoints[this.info.synDir === 0 ? 1 : 0];
    return a.port > b.port ? b : a;
  }
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}

/** True when all of `b` (shorter than `whole`) matches the start of `whole`. */
function isPrefixOf(b: Uint8Array, whole: Uint8Array): boolean {
  if (b.length >= whole.length) return false;
  for (let i = 0; i < b.length; i++) if (b[i] !== whole[i]) return false;
  return true;
}
