// The flow table around reassembly: keys and hashes, opening and closing flows
// (FIN, RST, idle timeout, eviction, port reuse), and determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bytesPerHalfOpenFlow } from '../bench/syn-flood.js';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import { TCP_ACK, TCP_FIN, TCP_SYN, type TcpSegment } from '../src/decode/types.js';
import { FlowEngine } from '../src/reassembly/engine.js';
import { flowHash, flowKey, segmentDir } from '../src/reassembly/flow-key.js';
import { unwrapSeq, wrapSeq } from '../src/reassembly/seq.js';
import type { EndReason, FlowInfo, StreamSink } from '../src/reassembly/sink.js';
import { runScript, runSegments, scriptSegments, summary } from './helpers/http-script.js';

function seg(over: Partial<TcpSegment>): TcpSegment {
  return {
    packet: 1,
    ts: 1,
    tunnel: '',
    srcIp: '10.0.0.1',
    dstIp: '10.0.0.2',
    srcPort: 40000,
    dstPort: 80,
    seq: 1,
    ack: 0,
    flags: TCP_ACK,
    ipId: 0,
    payload: new Uint8Array(0),
    ...over,
  };
}

function reversed(s: TcpSegment): TcpSegment {
  return { ...s, srcIp: s.dstIp, dstIp: s.srcIp, srcPort: s.dstPort, dstPort: s.srcPort };
}

test('sequence unwrapping picks the value nearest the reference', () => {
  assert.equal(unwrapSeq(5, 2 ** 32 - 10), 2 ** 32 + 5);
  assert.equal(unwrapSeq(2 ** 32 - 10, 2 ** 32 + 5), 2 ** 32 - 10);
  assert.equal(unwrapSeq(100, 90), 100);
  assert.equal(wrapSeq(2 ** 32 + 7), 7);
  assert.equal(wrapSeq(-1), 2 ** 32 - 1);
});

test('flow key and hash do not depend on direction; the tunnel separates flows', () => {
  const a = seg({ srcIp: '2001:db8::1', dstIp: '2001:db8::2', srcPort: 51000, dstPort: 443 });
  const b = reversed(a);
  assert.equal(flowKey(a), flowKey(b));
  assert.equal(flowHash(a), flowHash(b));
  assert.notEqual(segmentDir(a), segmentDir(b));
  const h = flowHash(a);
  assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32);
  assert.notEqual(flowHash({ ...a, tunnel: 'vxlan:4242' }), h);
  assert.notEqual(flowHash({ ...a, srcPort: 51001 }), h);
});

test('flow hash is the same in another process (workers shard flows by it)', (t) => {
  const a = seg({ srcIp: '192.0.2.7', dstIp: '198.51.100.9', srcPort: 1234, dstPort: 8080 });
  a.tunnel = 'gre';
  const code =
    "import { flowHash } from './src/reassembly/flow-key.ts';" +
    `process.stdout.write(String(flowHash(${JSON.stringify(a)})));`;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
    cwd: process.cwd(),
  });
  if (res.status !== 0) {
    t.skip(`cannot start a child node with tsx: ${res.stderr.split('\n')[0]}`);
    return;
  }
  assert.equal(Number(res.stdout), flowHash(a));
});

/** A sink factory that records how each flow ended. */
function recordingEngine(limits = {}) {
  const ends: Array<{ port: number; reason: EndReason }> = [];
  const anomalies = new AnomalyCounter();
  const engine = new FlowEngine(limitsWith(limits), anomalies, {
    sinkFactory: (info: FlowInfo): StreamSink => ({
      data: () => undefined,
      gap: () => undefined,
      fin: () => undefined,
      end: (reason) => ends.push({ port: info.endpoints[0].port, reason }),
    }),
  });
  return { engine, ends, anomalies };
}

test('FIN from both sides closes the flow; RST closes it at once', () => {
  const { engine, ends } = recordingEngine();
  const syn = seg({ flags: TCP_SYN, seq: 100, srcPort: 40001 });
  engine.push(syn);
  engine.push(reversed({ ...syn, flags: TCP_SYN | TCP_ACK, seq: 900, ack: 101 }));
  engine.push({ ...syn, flags: TCP_FIN | TCP_ACK, seq: 101, ack: 901 });
  assert.equal(engine.openFlows, 1);
  engine.push(reversed({ ...syn, flags: TCP_FIN | TCP_ACK, seq: 901, ack: 102 }));
  assert.equal(engine.openFlows, 0);
  engine.push(seg({ flags: TCP_SYN, seq: 5, srcPort: 40002 }));
  engine.push(seg({ flags: 0x04, seq: 6, srcPort: 40002 }));
  assert.deepEqual(ends, [
    { port: 40001, reason: 'fin' },
    { port: 40002, reason: 'rst' },
  ]);
  assert.equal(engine.stats.flowsClosed, 2);
});

test('a bare ACK opens no flow; late packets of a closed flow open none either', () => {
  const { engine } = recordingEngine();
  engine.push(seg({ flags: TCP_ACK }));
  assert.equal(engine.openFlows, 0);
  engine.push(seg({ flags: TCP_SYN }));
  engine.push(seg({ flags: 0x04 }));
  engine.push(seg({ payload: Buffer.from('late data') }));
  assert.equal(engine.openFlows, 0);
  assert.equal(engine.stats.ignoredSegments, 2);
});

test('idle flows close on the capture clock, oldest first, and only those', () => {
  const { engine, ends, anomalies } = recordingEngine({ flowIdleTimeoutSec: 10 });
  engine.push(seg({ flags: TCP_SYN, srcPort: 1, ts: 100 }));
  engine.push(seg({ flags: TCP_SYN, srcPort: 2, ts: 105 }));
  engine.push(seg({ flags: TCP_ACK, srcPort: 1, seq: 1, ts: 106, payload: Buffer.from('x') }));
  engine.advanceClock(115.5); // port 2 idle 10.5 s, port 1 idle 9.5 s
  assert.deepEqual(ends, [{ port: 2, reason: 'timeout' }]);
  engine.advanceClock(117);
  assert.deepEqual(ends.map((e) => e.port), [2, 1]);
  assert.equal(engine.stats.flowsTimedOut, 2);
  assert.equal(anomalies.counts['flow-evicted'], undefined);
});

test('a full table evicts the longest-idle flow and counts it', () => {
  const { engine, ends, anomalies } = recordingEngine({ maxFlows: 2 });
  engine.push(seg({ flags: TCP_SYN, srcPort: 1, ts: 1 }));
  engine.push(seg({ flags: TCP_SYN, srcPort: 2, ts: 2 }));
  engine.push(seg({ flags: TCP_ACK, srcPort: 1, seq: 1, ts: 3, payload: Buffer.from('x') }));
  engine.push(seg({ flags: TCP_SYN, srcPort: 3, ts: 4 }));
  assert.deepEqual(ends, [{ port: 2, reason: 'evicted' }]);
  assert.equal(anomalies.counts['flow-evicted'], 1);
  assert.equal(engine.openFlows, 2);
});

test('a new SYN on a live 4-tuple with another ISN starts a new connection', () => {
  const { engine, ends } = recordingEngine();
  engine.push(seg({ flags: TCP_SYN, seq: 100 }));
  engine.push(seg({ flags: TCP_SYN, seq: 100 })); // retransmitted SYN: same connection
  assert.equal(ends.length, 0);
  engine.push(seg({ flags: TCP_SYN, seq: 7000 }));
  assert.deepEqual(ends, [{ port: 40000, reason: 'reused' }]);
  assert.equal(engine.openFlows, 1);
});

test('a packet captured twice (same IP id) is counted; a retransmission is not', () => {
  const { engine, anomalies } = recordingEngine();
  const data = seg({ flags: TCP_ACK, seq: 10, ipId: 77, payload: Buffer.from('abc') });
  engine.push(data);
  engine.push({ ...data });
  engine.push({ ...data, ipId: 78 });
  assert.equal(anomalies.counts['duplicate-packet'], 1);
});

test('port reuse after a close gives two exchanges on the same 4-tuple', () => {
  const conversation = `
    -> GET /one HTTP/1.0\\r\\n\\r\\n
    <- HTTP/1.0 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n
    fin ->
    fin <-`;
  const first = scriptSegments(conversation, { clientIsn: 1000, serverIsn: 5000 });
  const second = scriptSegments(conversation.replace('/one', '/two').replace('200', '404'), {
    clientIsn: 90000,
    serverIsn: 70000,
    packet: 100,
    ts: 2000,
  });
  const run = runSegments([...first, ...second]);
  assert.deepEqual(summary(run.exchanges), ['GET /one -> 200', 'GET /two -> 404']);
});

test('out-of-order, retransmitted and overlapping segments still give the exchange', () => {
  const segs = scriptSegments(
    `-> GET /ooo HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n
     <- HTTP/1.1 200 OK\\r\\nContent-Length: 10\\r\\n\\r\\n0123456789`,
    { split: { seed: 3 } },
  );
  const head = segs.slice(0, 3);
  const rest = segs.slice(3);
  // Swap neighbours and send every third segment twice.
  const shuffled: TcpSegment[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i + 1]) shuffled.push(rest[i + 1]!);
    shuffled.push(rest[i]!);
    if (i % 3 === 0) shuffled.push(rest[i]!);
  }
  const run = runSegments([...head, ...shuffled]);
  assert.deepEqual(summary(run.exchanges), ['GET /ooo -> 200']);
  assert.equal(Buffer.from(run.exchanges[0]!.response!.body).toString(), '0123456789');
  assert.equal(run.anomalies.counts['tcp-gap'], undefined);
});

test('sequence wraparound inside a conversation', () => {
  const run = runScript(
    `-> POST /wrap HTTP/1.1\\r\\nContent-Length: 5\\r\\n\\r\\nhello
     <- HTTP/1.1 201 Created\\r\\nContent-Length: 2\\r\\n\\r\\nok`,
    { clientIsn: 2 ** 32 - 20, serverIsn: 2 ** 32 - 3, split: { seed: 9 } },
  );
  assert.deepEqual(summary(run.exchanges), ['POST /wrap -> 201']);
  assert.equal(Buffer.from(run.exchanges[0]!.request.body).toString(), 'hello');
});

test('the same segments give the same exchanges, field for field', () => {
  const segs = scriptSegments(
    `-> GET /a HTTP/1.1\\r\\n\\r\\n
     -> GET /b HTTP/1.1\\r\\n\\r\\n
     <- HTTP/1.1 200 OK\\r\\nContent-Length: 1\\r\\n\\r\\na
     gap <- 30
     -> GET /c HTTP/1.1\\r\\n\\r\\n
     <- HTTP/1.1 204 No Content\\r\\n\\r\\n`,
    { split: { seed: 5 } },
  );
  const one = runSegments(segs);
  const two = runSegments(segs);
  assert.deepEqual(one.exchanges, two.exchanges);
  assert.deepEqual(one.anomalies.counts, two.anomalies.counts);
  assert.deepEqual(one.engine.stats, two.engine.stats);
});

test('drain returns exchanges once, in order of completion', () => {
  const anomalies = new AnomalyCounter();
  const engine = new FlowEngine(limitsWith(), anomalies);
  const a = scriptSegments(`-> GET /slow HTTP/1.1\\r\\n\\r\\n`, {
    client: { ip: '10.0.0.1', port: 1111 },
  });
  const b = scriptSegments(
    `-> GET /fast HTTP/1.1\\r\\n\\r\\n
     <- HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n`,
    { client: { ip: '10.0.0.1', port: 2222 } },
  );
  for (const s of [...a, ...b]) engine.push(s);
  assert.deepEqual(engine.drain().map((e) => e.request.uri), ['/fast']);
  assert.deepEqual(engine.drain(), []);
  engine.finish();
  const last = engine.drain();
  assert.deepEqual(last.map((e) => [e.request.uri, e.response]), [['/slow', null]]);
  assert.equal(engine.stats.exchanges, 2);
});

test('regression: a half-open flow (SYN seen, no data) costs little memory', () => {
  // A SYN flood fills the table (limits.maxFlows, 200,000) with such flows: each
  // cost ~2 KB of heap (~400 MiB in all) while its buffers and parsers sat unused.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const perFlow = bytesPerHalfOpenFlow(20_000, gc);
  assert.ok(perFlow < 800, `${Math.round(perFlow)} bytes per half-open flow`); // 635 measured
});

test('handshake-only flows still end once each, with their reason, in any order', () => {
  const { engine, ends } = recordingEngine({ maxFlows: 2, flowIdleTimeoutSec: 10 });
  engine.push(seg({ flags: TCP_SYN, seq: 100, srcPort: 1, ts: 1 }));
  engine.push(reversed(seg({ flags: TCP_SYN | TCP_ACK, seq: 900, ack: 101, srcPort: 1, ts: 1 })));
  engine.push(seg({ flags: TCP_ACK, seq: 101, ack: 901, srcPort: 1, ts: 1 }));
  engine.push(seg({ flags: TCP_SYN, srcPort: 2, ts: 2 }));
  engine.push(seg({ flags: TCP_SYN, srcPort: 3, ts: 3 })); // evicts port 1
  engine.advanceClock(12.5); // port 2 idle
  engine.push(seg({ flags: TCP_SYN, seq: 55, srcPort: 3, ts: 12.6 })); // port reuse
  engine.finish();
  assert.deepEqual(ends, [
    { port: 1, reason: 'evicted' },
    { port: 2, reason: 'timeout' },
    { port: 3, reason: 'reused' },
    { port: 3, reason: 'finish' },
  ]);
});
