import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import { TCP_ACK, TCP_SYN, type TcpSegment } from '../decode/types.js';
import { HttpConnection, type LostOutside } from '../http/connection.js';
import type { BuildContext } from '../http/exchange.js';
import type { Exchange } from '../http/types.js';
import { FlowSniffer, type EncryptedFlow } from '../tls/flow-sink.js';
import { DuplicateFilter } from './duplicates.js';
import { Flow } from './flow.js';
import { endpointText, type Endpoint } from './flow-key.js';
import { FlowList } from './flow-list.js';
import type { EndReason, FlowInfo, SinkFactory } from './sink.js';
import { newEngineStats, type EngineStats } from './stats.js';

// The shard key for worker pools lives with the flow key; offered here too.
export { flowHash } from './flow-key.js';
export type { EngineStats } from './stats.js';

/** Optional wiring for a FlowEngine; tests plug in their own sinks. */
export interface FlowEngineOptions {
  /** Consumer of each new flow; by default an HTTP/1.x connection parser. */
  sinkFactory?: SinkFactory;
  /** Names a request's client from its raw headers (see http/exchange.ts BuildContext). */
  identify?: BuildContext['identify'];
}

/**
 * TCP segments in, HTTP exchanges out. Owns the flow table (bounded by
 * limits.maxFlows, idlest flow evicted first), reassembles each direction, and
 * feeds the streams to one HTTP connection parser per flow. Driven by capture time
 * only (push and advanceClock), so the same segments give the same exchanges in
 * the same order whether it runs in-process or in a worker thread.
 */
export class FlowEngine {
  readonly stats: EngineStats = newEngineStats();
  private readonly flows = new Map<string, Flow>();
  private readonly live = new FlowList();
  // Recently closed flows by key, in closing order, with their closing time and the
  // opener's initial sequence number (NaN if unseen): late packets of a finished
  // connection are dropped instead of opening a new flow that would start mid-stream
  // on them, and so is a late copy of its SYN.
  private readonly closed = new Map<string, { ts: number; isn: number; id: number }>();
  private readonly duplicates: DuplicateFilter;
  private nextFlowId = 0;
  private readonly out: Exchange[] = [];
  private readonly encrypted: EncryptedFlow[] = [];
  private readonly lostOutside: LostOutside[] = [];
  private readonly sinkFactory: SinkFactory;

  constructor(
    private readonly limits: Limits,
    private readonly anomalies: AnomalyCounter,
    options: FlowEngineOptions = {},
  ) {
    this.duplicates = new DuplicateFilter(limits);
    // TLS and HTTP/2 flows are told apart first (tls/flow-sink.ts); the rest is HTTP/1.x.
    const sniff = {
      limits, anomalies, stats: this.stats,
      report: (f: EncryptedFlow) => this.encrypted.push(f),
    };
    this.sinkFactory =
      options.sinkFactory ??
      ((info) => new FlowSniffer(info, sniff, (switched) =>
        new HttpConnection(info, {
          limits,
          anomalies,
          ...(options.identify ? { identify: options.identify } : {}),
          stats: this.stats,
          emit: (ex) => {
            this.stats.exchanges++;
            this.out.push(ex);
          },
          lostOutside: (loss) => this.lostOutside.push(loss),
          switched,
        })));
  }

  /** Number of flows currently open. */
  get openFlows(): number {
    return this.flows.size;
  }

  /** Takes one segment; its payload view is not kept after the call. */
  push(seg: TcpSegment): void {
    const src = endpointText(seg.srcIp, seg.srcPort);
    const dst = endpointText(seg.dstIp, seg.dstPort);
    const dir = src <= dst ? 0 : 1;
    const key = dir === 0 ? seg.tunnel + '|' + src + '|' + dst : seg.tunnel + '|' + dst + '|' + src;
    const idle = this.limits.flowIdleTimeoutSec;
    let flow = this.flows.get(key);
    const ended = flow === undefined ? this.closed.get(key) : undefined;
    const flowId = flow?.id ?? (ended !== undefined && seg.ts - ended.ts <= idle ? ended.id : -1);
    if (flowId >= 0 && this.duplicates.seenBefore(flowId, dir, seg)) {
      this.anomalies.add('duplicate-packet'); // a mirrored copy: counted once, here
      return;
    }
    this.stats.segments++;
    this.stats.bytes += seg.payload.length;
    const opening = (seg.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    if (flow !== undefined && seg.ts - flow.lastTs > idle) {
      // Silent past the timeout, though the clock (moved once per round) has not
      // closed it yet: this packet belongs to what comes after.
      this.stats.flowsTimedOut++;
      this.closeFlow(flow, 'timeout', flow.lastTs + idle);
      flow = undefined;
    }
    if (flow !== undefined && opening && flow.isReopenedBy(dir, seg.seq)) {
      this.closeFlow(flow, 'reused', seg.ts);
      flow = undefined;
    }
    if (flow === undefined) {
      if (!(seg.flags & TCP_SYN) && seg.payload.length === 0) {
        this.stats.ignoredSegments++; // a bare ACK, FIN or RST opens nothing
        return;
      }
      const last = this.closed.get(key);
      if (last !== undefined && seg.ts - last.ts <= idle) {
        // The same initial sequence number is the old connection's SYN again, late.
        if (!opening || seg.seq === last.isn) {
          this.stats.ignoredSegments++;
          return;
        }
        this.closed.delete(key);
      }
      flow = this.open(key, seg, dir);
      this.duplicates.seenBefore(flow.id, dir, seg); // so that its copy is known
    } else {
      this.live.touch(flow);
      if (seg.ts > flow.lastTs) flow.lastTs = seg.ts;
    }
    flow.push(seg, dir);
    if (flow.closed) this.forget(flow, seg.ts);
  }

  /**
   * Moves capture time forward: flows silent for longer than
   * limits.flowIdleTimeoutSec are closed. Cost is proportional to the flows closed.
   */
  advanceClock(ts: number): void {
    const idle = this.limits.flowIdleTimeoutSec;
    for (let f = this.live.head; f !== null && ts - f.lastTs > idle; f = this.live.head) {
      this.stats.flowsTimedOut++;
      this.closeFlow(f, 'timeout', ts);
    }
    for (const [key, ended] of this.closed) {
      if (ts - ended.ts <= idle) break;
      this.closed.delete(key);
    }
  }

  /** End of input: every flow is closed, pending requests are emitted without response. */
  finish(): void {
    for (let f = this.live.head; f !== null; f = this.live.head) {
      this.closeFlow(f, 'finish', f.lastTs);
    }
    this.closed.clear();
  }

  /** The exchanges completed since the last call, in order of completion. */
  drain(): Exchange[] {
    return this.out.splice(0, this.out.length);
  }

  /** The TLS and HTTP/2 flows ended since the last call, in order of ending. */
  drainEncrypted(): EncryptedFlow[] {
    return this.encrypted.splice(0, this.encrypted.length);
  }

  /** Gap bytes of HTTP connections no exchange could be charged with, since the last call. */
  drainLostOutside(): LostOutside[] {
    return this.lostOutside.splice(0, this.lostOutside.length);
  }

  private open(key: string, seg: TcpSegment, dir: 0 | 1): Flow {
    if (this.flows.size >= this.limits.maxFlows && this.live.head !== null) {
      this.anomalies.add('flow-evicted');
      this.stats.flowsEvicted++;
      this.closeFlow(this.live.head, 'evicted', seg.ts);
    }
    const src: Endpoint = { ip: seg.srcIp, port: seg.srcPort };
    const dst: Endpoint = { ip: seg.dstIp, port: seg.dstPort };
    const info: FlowInfo = {
      tunnel: seg.tunnel,
      endpoints: dir === 0 ? [src, dst] : [dst, src],
      synDir: -1,
    };
    const flow = new Flow(
      this.nextFlowId++,
      key,
      info,
      this.sinkFactory,
      this.limits,
      this.anomalies,
      this.stats,
      seg.ts,
    );
    this.flows.set(key, flow);
    this.live.append(flow);
    this.stats.flows++;
    return flow;
  }

  private closeFlow(flow: Flow, reason: EndReason, ts: number): void {
    flow.close(reason, ts);
    this.forget(flow, ts);
  }

  private forget(flow: Flow, ts: number): void {
    this.live.remove(flow);
    this.flows.delete(flow.key);
    this.stats.flowsClosed++;
    this.closed.delete(flow.key); // re-inserted last: the map stays in closing order
    this.closed.set(flow.key, { ts, isn: flow.openerIsn(), id: flow.id });
    if (this.closed.size > this.limits.maxFlows) {
      const oldest = this.closed.keys().next();
      if (!oldest.done) this.closed.delete(oldest.value);
    }
  }
}
