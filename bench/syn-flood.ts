/**
 * Heap bytes one half-open flow costs the flow engine (SYN seen, no data): a
 * synthetic SYN flood of `n` flows from distinct client ports, the heap measured
 * after garbage collection before and after. A flood of 200,000 (limits.maxFlows)
 * costs this many times 200,000. Run: node --expose-gc dist/bench/syn-flood.js [n]
 */
import { AnomalyCounter } from '../src/anomalies.js';
import { DEFAULT_LIMITS } from '../src/config/limits.js';
import { TCP_SYN, type TcpSegment } from '../src/decode/types.js';
import { FlowEngine } from '../src/reassembly/engine.js';

const EMPTY = new Uint8Array(0);

/** The SYN of flow i: client 10.a.b.c, port by i, to one server. */
export function synSegment(i: number): TcpSegment {
  return {
    packet: i + 1,
    ts: 1000 + i / 1e6,
    tunnel: '',
    srcIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    dstIp: '192.0.2.80',
    srcPort: 1024 + (i % 60000),
    dstPort: 80,
    seq: (i * 2654435761) >>> 0,
    ack: 0,
    flags: TCP_SYN,
    ipId: i & 0xffff,
    payload: EMPTY,
  };
}

function heapAfterGc(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap bytes per half-open flow for a flood of `n`. Needs the gc function
 * (node --expose-gc, or v8.setFlagsFromString('--expose-gc') then vm).
 */
export function bytesPerHalfOpenFlow(n: number, gc: () => void): number {
  const engine = new FlowEngine({ ...DEFAULT_LIMITS, maxFlows: n }, new AnomalyCounter());
  const before = heapAfterGc(gc);
  for (let i = 0; i < n; i++) engine.push(synSegment(i));
  const after = heapAfterGc(gc);
  if (engine.openFlows !== n) throw new Error(`bench bug: ${engine.openFlows} flows open`);
  return (after - before) / n;
}

const gcFn = (globalThis as { gc?: () => void }).gc;
if (process.argv[1]?.endsWith('syn-flood.js') || process.argv[1]?.endsWith('syn-flood.ts')) {
  if (gcFn === undefined) {
    process.stderr.write('run with node --expose-gc\n');
    process.exitCode = 2;
  } else {
    const n = Number(process.argv[2] ?? 100_000);
    const per = bytesPerHalfOpenFlow(n, gcFn);
    process.stdout.write(`${n} half-open flows: ${Math.round(per)} heap bytes each, ` +
      `${((per * DEFAULT_LIMITS.maxFlows) / 2 ** 20).toFixed(0)} MiB at maxFlows ` +
      `(${DEFAULT_LIMITS.maxFlows})\n`);
  }
}
