import type { Dir } from '../reassembly/flow-key.js';
import type { ChunkMeta, EndReason, FlowInfo, StreamSink } from '../reassembly/sink.js';
import type { EngineStats } from '../reassembly/stats.js';
import { BodyCollector } from './body.js';
import { buildRequest, buildResponse, headerValue, type BuildContext } from './exchange.js';
import {
  MessageStream,
  type AfterMessage,
  type MessageStart,
  type StreamOwner,
} from './message-stream.js';
import { pairResponse, type PairingCandidate, type ResponseGap } from './pairing.js';
import type { MessageHead } from './parser.js';
import type { StartKind } from './start-line.js';
import type { Exchange } from './types.js';

/**
 * Stream bytes of a connection lost where no exchange could be named: whole requests,
 * or responses whose request is unknown. Charged to the connection's host.
 */
export interface LostOutside {
  /** Host header of the connection's requests (the latest before the report), or ''. */
  host: string;
  serverIp: string;
  bytes: number;
  /** Capture time of the request that named the host, or of the connection's end. */
  ts: number;
}

/** What an HTTP connection needs from the engine that runs it. */
export interface HttpContext extends BuildContext {
  stats: EngineStats;
  /** Receives each finished exchange, in order of completion. */
  emit(exchange: Exchange): void;
  /** Receives the bytes lost outside any exchange, when a request shows the host or at the end. */
  lostOutside?(loss: LostOutside): void;
  /** Told the Upgrade value of a 101 Switching Protocols (h2c is counted as HTTP/2). */
  switched?(protocol: string): void;
}

/** A request waiting to be reported, or a stand-in for requests lost in a gap. */
interface Pending extends PairingCandidate {
  start: MessageStart;
  head: MessageHead | null;
  body: BodyCollector;
  requestDone: boolean;
  requestCut: boolean;
  requestEndTs: number;
  /** A final response has begun for it. */
  answered: boolean;
  response: { head: MessageHead; body: BodyCollector; cut: boolean; endTs: number } | null;
  /** No response will come (lost in a gap, or the server is done). */
  lost: boolean;
  /** CONNECT or an Upgrade request: what follows depends on the answer. */
  upgrade: boolean;
  /** Bytes of its request and response lost in gaps (see Exchange.gapBytes). */
  gapBytes: number;
}

/** A request given up past the pending cap: reported already, its response still due. */
interface GivenUp extends PairingCandidate {
  method: string;
}

interface CurrentResponse {
  entry: Pending | null;
  head: MessageHead;
  body: BodyCollector;
  interim: boolean;
  tunnel: boolean;
}

// Phantoms never receive body bytes; they share one empty collector.
const NO_BODY = new BodyCollector(0);

/**
 * One TCP connection carrying HTTP/1.0 or 1.1: decides which side is the client,
 * parses both directions, pairs responses with requests (in order, RFC 9112 §9.3.2,
 * with TCP acknowledgments as evidence after gaps), and emits an Exchange when a
 * response completes or when it is known that none will come.
 */
export class HttpConnection implements StreamSink, StreamOwner {
  private readonly streams: [MessageStream, MessageStream];
  private clientDir: Dir | -1 = -1;
  private queue: Pending[] = [];
  // Older than every request in the queue, oldest first: their responses come first.
  private givenUp: GivenUp[] = [];
  private request: Pending | null = null;
  private response: CurrentResponse | null = null;
  private responseGap: ResponseGap | null = null;
  private serverDone = false;
  private ended = false;
  // Gap bytes of the server stream between responses: charged to the request whose
  // response turns out to be missing, else to the host.
  private responseLoss = 0;
  // Gap bytes no exchange can be charged with, not yet reported, and the Host header
  // of the latest request.
  private outside = 0;
  private host = '';

  constructor(
    private readonly info: FlowInfo,
    private readonly ctx: HttpContext,
  ) {
    const { limits, anomalies, stats } = ctx;
    this.streams = [
      new MessageStream(0, this, limits, anomalies, stats, info),
      new MessageStream(1, this, limits, anomalies, stats, info),
    ];
  }

  data(dir: Dir, bytes: Uint8Array, meta: ChunkMeta): void {
    this.streams[dir].data(bytes, meta);
  }

  gap(dir: Dir, missing: number, meta: ChunkMeta): void {
    this.streams[dir].gap(missing, meta);
  }

  fin(dir: Dir, meta: ChunkMeta): void {
    this.streams[dir].finish(meta.ts);
    if (this.clientDir !== -1 && dir !== this.clientDir) {
      // The server has closed its side: nothing waiting will be answered.
      this.serverDone = true;
      for (const e of this.queue) if (!e.answered) e.lost = true;
      this.givenUp.length = 0;
      this.chargeResponseLoss(this.queue.find((q) => !q.phantom && !q.answered) ?? null);
      this.streams[this.clientDir].resume();
    }
    this.flush();
  }

  end(_reason: EndReason, ts: number): void {
    if (this.ended) return;
    this.ended = true;
    const first: Dir = this.clientDir === 1 ? 1 : 0;
    this.streams[first].finish(ts);
    this.streams[first === 0 ? 1 : 0].finish(ts);
    for (const e of this.queue) {
      if (!e.requestDone) {
        e.requestDone = e.requestCut = true;
        e.requestEndTs = ts;
      }
      if (e.response === null) e.lost = true;
    }
    this.chargeResponseLoss(this.queue.find((q) => !q.phantom && q.response === null) ?? null);
    this.flush();
    this.reportOutside(ts);
  }

  firstLine(dir: Dir, kind: StartKind | null): void {
    if (this.clientDir !== -1) return;
    const other: Dir = dir === 0 ? 1 : 0;
    let client: Dir;
    if (kind === 'request') client = dir;
    else if (kind === 'response') client = other;
    else if (this.info.synDir !== -1) client = this.info.synDir;
    else {
      // Clients usually speak from an ephemeral port, above the server's.
      // LIMITATION: a mid-stream flow whose first bytes are no start line, seen
      // without its handshake, can get its sides swapped when the client's port is lower.
      const { endpoints } = this.info;
      client = endpoints[other].port > endpoints[dir].port ? other : dir;
    }
    this.clientDir = client;
    this.streams[client].setRole('request');
    this.streams[client === 0 ? 1 : 0].setRole('response');
  }

  head(dir: Dir, head: MessageHead, start: MessageStart): boolean {
    return dir === this.clientDir ? this.requestHead(head, start) : this.responseHead(head, start);
  }

  body(dir: Dir, chunk: Uint8Array): void {
    if (dir === this.clientDir) this.request?.body.add(chunk);
    else this.response?.body.add(chunk);
  }

  bodyLost(dir: Dir, n: number): void {
    if (dir === this.clientDir) this.request?.body.addLost(n);
    else this.response?.body.addLost(n);
  }

  missed(dir: Dir, n: number, inMessage: boolean): void {
    const client = this.clientDir !== -1 && dir === this.clientDir;
    const server = this.clientDir !== -1 && !client;
    const entry = !inMessage ? null : client ? this.request : this.response?.entry ?? null;
    if (entry !== null) entry.gapBytes += n;
    else if (server && !inMessage) this.responseLoss += n;
    else this.outside += n;
  }

  complete(dir: Dir, cut: boolean, ts: number): AfterMessage {
    return dir === this.clientDir ? this.requestDone(cut, ts) : this.responseDone(cut, ts);
  }

  lost(dir: Dir, boundary: boolean, pos: number): void {
    if (dir === this.clientDir) {
      this.request = null;
      this.queue.push(phantom(pos));
    } else {
      this.response = null;
      this.responseGap = { boundary: boundary || (this.responseGap?.boundary ?? false) };
    }
  }

  private requestHead(head: MessageHead, start: MessageStart): boolean {
    this.host = headerValue(head.rawHeaders, 'host').toLowerCase();
    this.reportOutside(start.ts); // requests lost before this one likely went to the same host
    const e: Pending = {
      phantom: false,
      pos: start.pos,
      ack: start.ack,
      start,
      head,
      body: new BodyCollector(this.ctx.limits.maxBodyBytesKept),
      requestDone: false,
      requestCut: false,
      requestEndTs: start.ts,
      answered: false,
      response: null,
      lost: this.serverDone,
      upgrade: head.method === 'CONNECT' || isUpgradeRequest(head),
      gapBytes: 0,
    };
    this.queue.push(e);
    this.request = e;
    let waiting = 0;
    for (const q of this.queue) if (!q.phantom && !q.answered && !q.lost) waiting++;
    if (waiting > this.ctx.limits.maxPendingRequests) {
      // The oldest is reported without response, and remembered by position only:
      // should its response still come, it answers it, not the next request.
      // LIMITATION: past limits.maxGivenUpRequests of those the oldest is forgotten,
      // and its response, should it come, is paired with the next request.
      const oldest = this.queue.find((q) => !q.phantom && !q.answered && !q.lost)!;
      oldest.lost = true;
      const method = oldest.head?.method ?? '';
      this.givenUp.push({ phantom: false, pos: oldest.pos, ack: oldest.ack, method });
      if (this.givenUp.length > this.ctx.limits.maxGivenUpRequests) this.givenUp.shift();
      this.ctx.anomalies.add('http-pending-limit');
      // Gaps before the request given up on can no longer pair with anything: left
      // in place they would hold every later request back (and the queue would grow
      // with a capture that shows only the client side).
      for (const q of this.queue) {
        if (q === oldest) break;
        if (q.phantom) q.lost = true;
      }
    }
    while (this.queue.length > 4 * this.ctx.limits.maxPendingRequests && this.queue[0]!.phantom) {
      this.queue[0]!.lost = true;
      this.queue.shift();
    }
    return false;
  }

  private requestDone(cut: boolean, ts: number): AfterMessage {
    const e = this.request;
    this.request = null;
    if (e === null) return 'go';
    e.requestDone = true;
    e.requestCut = cut || e.body.lost > 0;
    e.requestEndTs = ts;
    this.flush();
    // Bytes after a CONNECT or Upgrade request are only HTTP if the server says no.
    if (e.upgrade && !cut && !e.answered && !e.lost) return 'pause';
    return 'go';
  }

  private responseHead(head: MessageHead, start: MessageStart): boolean {
    const status = head.status;
    if (status >= 100 && status < 200 && status !== 101) {
      // Interim (e.g. 100 Continue): the request still waits for its final response.
      const body = new BodyCollector(0);
      this.response = { entry: null, head, body, interim: true, tunnel: false };
      return true;
    }
    // Gap placeholders given up on (lost) are no candidates any more.
    let c0 = this.queue.findIndex((q) => !q.lost && (q.phantom || !q.answered));
    if (c0 < 0) c0 = this.queue.length;
    const open = this.queue.slice(c0);
    const given = this.givenUp;
    const cands = given.length === 0 ? open : [...given, ...open];
    let k = pairResponse(cands, { pos: start.pos, ack: start.ack }, this.responseGap);
    this.responseGap = null;
    let entry: Pending | null = null;
    let method = '';
    if (k >= 0 && k < given.length) {
      // It answers a request given up on, already reported: only its framing matters.
      method = given[k]!.method;
      given.splice(0, k + 1);
    } else if (k < 0) {
      // LIMITATION: a response whose request was never seen (one-way capture, or
      // lost) is counted, not reported: an Exchange needs its request.
      this.ctx.anomalies.add('http-unpaired-response');
      this.chargeResponseLoss(null);
    } else {
      k -= given.length;
      given.length = 0; // older than the request answered: their responses were lost
      for (let i = 0; i < k; i++) open[i]!.lost = true; // their responses were lost
      this.chargeResponseLoss(open.slice(0, k).find((q) => !q.phantom) ?? null);
      entry = open[k]!;
      entry.answered = true;
      this.queue = this.queue.filter((q, i) => !(q.phantom && i >= c0 && i < c0 + k));
      method = entry.head?.method ?? '';
    }
    // RFC 9110 §9.3.6: a 2xx to CONNECT turns the connection into a tunnel;
    // §15.2.2: after 101 the connection speaks another protocol.
    // LIMITATION: what follows is counted, not decoded (no HTTP/2 after h2c, no
    // WebSocket messages, no HTTP inside a plaintext CONNECT tunnel).
    const tunnel = status === 101 || (method === 'CONNECT' && status >= 200 && status < 300);
    if (status === 101) this.ctx.switched?.(headerValue(head.rawHeaders, 'upgrade'));
    this.response = {
      entry,
      head,
      body: new BodyCollector(entry === null ? 0 : this.ctx.limits.maxBodyBytesKept),
      interim: false,
      tunnel,
    };
    // RFC 9112 §6.3 points 1 and 2: no body after HEAD, 1xx, 204, 304, or a tunnel.
    return tunnel || method === 'HEAD' || status === 204 || status === 304;
  }

  private responseDone(cut: boolean, ts: number): AfterMessage {
    const r = this.response;
    this.response = null;
    if (r === null || r.interim) return 'go';
    if (r.entry !== null) {
      r.entry.response = { head: r.head, body: r.body, cut: cut || r.body.lost > 0, endTs: ts };
    }
    const client = this.clientDir === -1 ? null : this.streams[this.clientDir];
    if (r.tunnel) {
      client?.stop();
      this.flush();
      return 'stop';
    }
    this.flush();
    client?.resume(); // if held after CONNECT or Upgrade: refused, so HTTP/1.x goes on
    return 'go';
  }

  /**
   * The server-stream bytes lost between responses go to `e`, a request left without
   * its response (the first of them, when a gap took several), or else to the host.
   */
  private chargeResponseLoss(e: Pending | null): void {
    if (this.responseLoss === 0) return;
    if (e !== null) e.gapBytes += this.responseLoss;
    else this.outside += this.responseLoss;
    this.responseLoss = 0;
  }

  private reportOutside(ts: number): void {
    if (this.outside === 0 || this.ctx.lostOutside === undefined) return;
    const clientDir = this.clientDir === -1 ? 0 : this.clientDir;
    const server = this.info.endpoints[clientDir === 0 ? 1 : 0];
    this.ctx.lostOutside({
      host: this.host, serverIp: server.ip, bytes: this.outside, ts,
    });
    this.outside = 0;
  }

  /** Emits, oldest first, every request that is complete and answered (or never will be). */
  private flush(): void {
    while (this.queue.length > 0) {
      const e = this.queue[0]!;
      if (e.phantom) {
        if (!this.ended && !e.lost) break;
        this.queue.shift();
        continue;
      }
      if (!e.requestDone || (e.response === null && !e.lost)) break;
      this.queue.shift();
      this.ctx.emit(this.toExchange(e));
    }
  }

  private toExchange(e: Pending): Exchange {
    const clientDir = this.clientDir === -1 ? 0 : this.clientDir;
    const client = this.info.endpoints[clientDir];
    const server = this.info.endpoints[clientDir === 0 ? 1 : 0];
    const res = e.response;
    return {
      packet: e.start.packet,
      ts: e.start.ts,
      endTs: res?.endTs ?? e.requestEndTs,
      tunnel: this.info.tunnel,
      gapBytes: e.gapBytes,
      client: { ip: client.ip, port: client.port },
      server: { ip: server.ip, port: server.port },
      request: buildRequest(e.head!, e.body, e.requestCut, this.ctx),
      response: res === null ? null : buildResponse(res.head, res.body, res.cut, this.ctx),
    };
  }
}

function isUpgradeRequest(head: MessageHead): boolean {
  // RFC 9110 §7.8: Upgrade is only acted on when Connection lists it.
  const upgrade = headerValue(head.rawHeaders, 'upgrade');
  if (upgrade === '') return false;
  const h = head.rawHeaders;
  for (let i = 0; i + 1 < h.length; i += 2) {
    if (h[i]!.toLowerCase() === 'connection' && /(^|,)\s*upgrade\s*(,|$)/i.test(h[i + 1]!)) {
      return true;
    }
  }
  return false;
}

function phantom(pos: number): Pending {
  return {
    phantom: true,
    pos,
    ack: NaN,
    start: { pos, ts: 0, packet: 0, ack: NaN },
    head: null,
    body: NO_BODY,
    requestDone: true,
    requestCut: true,
    requestEndTs: 0,
    answered: false,
    response: null,
    lost: false,
    upgrade: false,
    gapBytes: 0,
  };
}
