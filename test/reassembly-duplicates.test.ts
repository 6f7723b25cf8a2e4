// Mirrored duplicates against retransmissions (src/reassembly/duplicates.ts): the same
// packet seen twice within a few milliseconds, IP id included, counts once, however
// many packets come between the copies; a new IP id, or a copy much later, is a
// retransmission and counted as one. End to end, a capture merged with a copy of
// itself a few milliseconds later gives exactly the plain capture's inventory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { TCP_SYN, type TcpSegment } from '../src/decode/types.js';
import { openCapture } from '../src/source/open.js';
import { replay, type ReplaySummary } from '../src/pipeline/replay.js';
import { FlowEngine } from '../src/reassembly/engine.js';
import { buildReport, type Report } from '../src/report/model.js';
import { Store } from '../src/store/db.js';
import { tempDir } from './helpers/cli.js';
import { mergeWithShiftedCopy, repeatPacket } from './helpers/pcap-edit.js';
import { runSegments, scriptSegments, summary } from './helpers/http-script.js';
import { CORPUS } from './source-helpers.js';

const LIMITS = limitsWith();

/** A conversation of two requests on one connection, every packet with its own IP id. */
function conversation(): TcpSegment[] {
  const segs = scriptSegments(String.raw`
    -> GET /a HTTP/1.1\r\nHost: shop.test\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello
    -> GET /b HTTP/1.1\r\nHost: shop.test\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nworld
    fin ->
    fin <-`);
  return segs.map((s, i) => ({ ...s, ipId: 100 + i }));
}

function engineRun(segs: TcpSegment[]): { exchanges: string[]; anomalies: AnomalyCounter;
  engine: FlowEngine } {
  const run = runSegments(segs);
  return { exchanges: summary(run.exchanges), anomalies: run.anomalies, engine: run.engine };
}

test('copies a few packets behind their originals, within the window, count once', () => {
  const plain = conversation();
  // A second tap 3 ms late: its copy of each packet lands a few packets later.
  const merged = [...plain, ...plain.map((s) => ({ ...s, ts: s.ts + 0.003 }))]
    .sort((a, b) => a.ts - b.ts);
  const one = engineRun(plain);
  const two = engineRun(merged);
  assert.deepEqual(two.exchanges, ['GET /a -> 200', 'GET /b -> 200']);
  assert.deepEqual(two.exchanges, one.exchanges);
  assert.equal(two.anomalies.counts['duplicate-packet'], plain.length);
  assert.equal(two.engine.stats.flows, 1);
  assert.equal(two.engine.stats.segments, plain.length);
  assert.equal(two.engine.stats.retransmissions, 0);
});

test('a data segment again with a new IP id is a retransmission, not a duplicate', () => {
  const segs = conversation();
  const i = segs.findIndex((s) => Buffer.from(s.payload).toString().endsWith('hello'));
  const again = { ...segs[i]!, ts: segs[i]!.ts + 0.0005, ipId: 9999 };
  const r = engineRun([...segs.slice(0, i + 1), again, ...segs.slice(i + 1)]);
  assert.deepEqual(r.exchanges, ['GET /a -> 200', 'GET /b -> 200']);
  assert.equal(r.anomalies.counts['duplicate-packet'], undefined);
  assert.equal(r.engine.stats.retransmissions, 1);
  assert.equal(r.engine.stats.retransmittedBytes, segs[i]!.payload.length);
});

test('the same IP id much later than the window is a retransmission too', () => {
  const segs = conversation();
  const i = segs.findIndex((s) => Buffer.from(s.payload).toString().startsWith('GET /b'));
  const late = { ...segs[i]!, ts: segs[i]!.ts + 10 * LIMITS.duplicateWindowSec };
  const r = engineRun([...segs.slice(0, i + 1), late, ...segs.slice(i + 1)]
    .map((s, k) => (k > i ? { ...s, ts: s.ts + 10 * LIMITS.duplicateWindowSec } : s)));
  assert.equal(r.anomalies.counts['duplicate-packet'], undefined);
  assert.equal(r.engine.stats.retransmissions, 1);
  assert.deepEqual(r.exchanges, ['GET /a -> 200', 'GET /b -> 200']);
});

test('without an IP id (0, as IPv6) a copy is not matched: reassembly drops its data', () => {
  const segs = conversation().map((s) => ({ ...s, ipId: 0 }));
  const merged = [...segs, ...segs.map((s) => ({ ...s, ts: s.ts + 0.003 }))]
    .sort((a, b) => a.ts - b.ts);
  const r = engineRun(merged);
  assert.deepEqual(r.exchanges, ['GET /a -> 200', 'GET /b -> 200']);
  assert.equal(r.anomalies.counts['duplicate-packet'], undefined);
  // The copies of /a's request and response; those of /b's come after both FINs, as
  // late packets of a closed flow, and are dropped before reassembly.
  assert.equal(r.engine.stats.retransmissions, 2);
});

test('a late copy of a closed connection\'s SYN opens nothing; another ISN does', () => {
  const segs = conversation().map((s) => ({ ...s, ipId: 0 })); // no evidence by IP id
  const syn = segs.find((s) => s.flags === TCP_SYN)!;
  const last = segs[segs.length - 1]!.ts;
  const engine = new FlowEngine(LIMITS, new AnomalyCounter());
  for (const s of segs) engine.push(s);
  assert.equal(engine.openFlows, 0);
  engine.push({ ...syn, ts: last + 1 });
  assert.equal(engine.openFlows, 0);
  engine.push({ ...syn, ts: last + 2, seq: syn.seq + 123_456 });
  assert.equal(engine.openFlows, 1);
  assert.equal(engine.stats.flows, 2);
});

const TRAFFIC = join(CORPUS, 'traffic');

/** TCP segments in `file` whose IP id is not 0. */
async function segmentsWithIpId(file: string): Promise<number> {
  const decoder = new PacketDecoder(LIMITS, new AnomalyCounter());
  let n = 0;
  for await (const batch of (await openCapture(file)).batches()) {
    for (const p of batch) if ((decoder.decode(p)?.ipId ?? 0) !== 0) n++;
  }
  return n;
}
const SECRET = randomBytes(32);

async function replayed(file: string): Promise<{ summary: ReplaySummary; report: Report }> {
  const store = Store.open(join(tempDir(), 'st.db'));
  try {
    const summary = await replay({
      files: [file], catalog: null, store, workers: 2, exchangesPath: null, force: false,
      limits: LIMITS, secret: SECRET, command: 'test',
    });
    return { summary, report: buildReport(store.endpoints(), null, store.latestRun(), 0) };
  } finally {
    store.close();
  }
}

for (const name of ['oai-petstore-expanded', 'vampi']) {
  test(`${name} merged with itself 0.5, 2 and 5 ms later gives exactly its inventory`,
    async (t) => {
    const file = join(TRAFFIC, name, 'capture.pcap');
    if (!existsSync(file)) return t.skip(`${file} not found (the shared corpus)`);
    const one = await replayed(file);
    assert.equal(one.summary.anomalies['duplicate-packet'], undefined);
    for (const dt of [0.0005, 0.002, 0.005]) {
      const doubled = join(tempDir(), `doubled-${dt}.pcap`);
      mergeWithShiftedCopy(file, doubled, dt);
      const two = await replayed(doubled);
      assert.equal(two.summary.packets, 2 * one.summary.packets);
      assert.equal(two.summary.flows, one.summary.flows, `flows, ${dt} s`);
      assert.equal(two.summary.exchanges, one.summary.exchanges, `exchanges, ${dt} s`);
      assert.equal(two.summary.retransmissions, one.summary.retransmissions);
      assert.equal(two.summary.gapBytes, 0);
      assert.deepEqual(two.report.endpoints, one.report.endpoints);
      // Every copy but those of packets with IP id 0 (Linux's SYN-ACKs) is a duplicate.
      assert.equal(two.summary.anomalies['duplicate-packet'], await segmentsWithIpId(file));
    }
  });
}

test('end to end: a response segment sent again is a retransmission; seen twice, a duplicate',
  async (t) => {
    const file = join(CORPUS, 'pcaps', 'gzip-response.pcap');
    if (!existsSync(file)) return t.skip(`${file} not found (the shared corpus)`);
    // Packet 8 carries the 325-byte response body; the client's FIN follows 0.3 ms later.
    const resent = join(tempDir(), 'resent.pcap');
    repeatPacket(file, resent, 8, { dt: 0.0002, ipIdDelta: 1000 });
    const r = (await replayed(resent)).summary;
    assert.equal(r.exchanges, 1);
    assert.equal(r.retransmissions, 1);
    assert.equal(r.retransmittedBytes, 325);
    assert.equal(r.anomalies['duplicate-packet'], undefined);
    const twice = join(tempDir(), 'twice.pcap');
    repeatPacket(file, twice, 8, { dt: 0.0002, ipIdDelta: 0 });
    const d = (await replayed(twice)).summary;
    assert.equal(d.exchanges, 1);
    assert.equal(d.retransmissions, 0);
    assert.equal(d.anomalies['duplicate-packet'], 1);
  });
