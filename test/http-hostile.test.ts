// Regressions from hostile captures (test/fixtures/hostile/README.md): a damaged chunk
// size once made the parser run backwards for ever. Each must end, count the damage,
// and keep every request tshark sees around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { FlowEngine } from '../src/reassembly/engine.js';
import { openCapture } from '../src/source/open.js';
import type { TcpSegment } from '../src/decode/types.js';
import { shadowtap, tempDir } from './helpers/cli.js';
import { runSegments, scriptSegments } from './helpers/http-script.js';
import { writeSegmentsPcap } from './helpers/pcap-file.js';
import { haveTshark, tsharkExchanges } from './helpers/tshark.js';

const DIR = join(process.cwd(), 'test', 'fixtures', 'hostile');
const CASES = ['hang_chunk_neg_req', 'hang_chunk_neg_resp', 'hang_chunk_minus0', 'http_chunk_2_64'];

for (const name of CASES) {
  test(`regression: ${name} ends, counts a parse error and keeps the requests around it`, (t) => {
    const dir = tempDir();
    const file = join(DIR, `${name}.pcap`);
    const out = join(dir, 'ex.jsonl');
    const res = shadowtap(['replay', file, '--db', join(dir, 'a.db'), '--workers', '0',
      '--exchanges', out, '--no-report', '--no-abuse']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stderr, /http-parse-error 1/);
    const uris = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).uri);
    assert.equal(uris[0], '/api/before');
    assert.equal(uris.at(-1), '/api/after');
    assert.ok(uris.includes('/tail'), uris.join(' '));
    if (!haveTshark()) return t.skip('tshark not installed: cannot compare with the reference');
    assert.deepEqual(uris, tsharkExchanges(file).map((e) => e.uri));
  });
}

test('regression: a client-only capture with gaps emits requests as it goes', async () => {
  // oneway_gaps_8.pcap: one keep-alive connection whose server side was not captured,
  // 4,000 requests with 100 bytes missing every 500. Each gap used to leave a
  // placeholder at the head of the request queue that held every later request back
  // until the flow ended (memory grew with the capture, time with its square).
  const anomalies = new AnomalyCounter();
  // A small reassembly buffer declares each hole soon, as a long capture would.
  const limits = limitsWith({ maxBufferedSegmentsPerDirection: 16 });
  const decoder = new PacketDecoder(limits, anomalies);
  const engine = new FlowEngine(limits, anomalies);
  let beforeEnd = 0;
  const source = await openCapture(join(DIR, 'oneway_gaps_8.pcap'));
  for await (const batch of source.batches()) {
    for (const p of batch) {
      const seg = decoder.decode(p);
      if (seg !== null) engine.push(seg);
    }
    beforeEnd += engine.drain().length;
  }
  engine.finish();
  const atEnd = engine.drain().length;
  assert.equal(beforeEnd + atEnd, 4002);
  assert.ok(beforeEnd >= 3900, `${beforeEnd} exchanges before the end of the flow`);
});

test('regression: one packet stamped far in the future does not close live flows', () => {
  const dir = tempDir();
  const res = shadowtap(['replay', join(DIR, 'ts_future_arp.pcap'), '--db', join(dir, 'a.db'),
    '--workers', '2', '--no-report', '--no-abuse']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /HTTP exchanges 3,000\b/);
});

/** Numbers segments in capture order, one millisecond apart. */
function captured(segs: TcpSegment[]): TcpSegment[] {
  segs.forEach((s, i) => {
    s.packet = i + 1;
    s.ts = 1000 + i / 1000;
  });
  return segs;
}

/** "METHOD uri host -> status" per exchange, ours and tshark's alike. */
function lines(list: Array<{ method: string; uri: string; host: string; status: number | null }>) {
  return list.map((e) => `${e.method} ${e.uri} ${e.host} -> ${e.status}`);
}

/** Our exchanges for `segs`, and tshark's for the same packets written to a pcap (or null). */
function withReference(segs: TcpSegment[], prefs: string[] = []) {
  const run = runSegments(segs);
  const ours = lines(run.exchanges.map((e) => ({
    method: e.request.method, uri: e.request.uri, host: e.request.host,
    status: e.response?.status ?? null,
  })));
  if (!haveTshark()) return { run, ours, tshark: null };
  const file = join(tempDir(), 'case.pcap');
  writeSegmentsPcap(file, segs);
  return { run, ours, tshark: lines(tsharkExchanges(file, prefs)) };
}

test('regression: a forged acknowledgment ahead of the data loses no request', (t) => {
  // A bare ACK in the server's name claims the client's next 10 bytes were received;
  // the request after it is captured in two segments, the second first. Real bytes
  // arriving after the claim must still make the request, as tshark shows it.
  const segs = scriptSegments(`
    -> GET /before HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
    <- HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n
    -> GET /victim HTTP/1.1\\r\\n
    -> Host: a\\r\\n\\r\\n
    <- HTTP/1.1 201 Created\\r\\nContent-Length: 0\\r\\n\\r\\n
    -> GET /after HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
    <- HTTP/1.1 202 Accepted\\r\\nContent-Length: 0\\r\\n\\r\\n
    fin ->
    fin <-`);
  // 0-2 handshake, 3-4 /before, 5-6 the two pieces of /victim, 7 its response.
  const forged = { ...segs[4]!, payload: new Uint8Array(0), ack: (segs[5]!.seq + 10) >>> 0 };
  const order = captured([...segs.slice(0, 5), forged, segs[6]!, segs[5]!, ...segs.slice(7)]);
  const { run, ours, tshark } = withReference(order, ['tcp.reassemble_out_of_order:TRUE']);
  assert.deepEqual(ours, ['GET /before a -> 200', 'GET /victim a -> 201', 'GET /after a -> 202']);
  assert.equal(run.anomalies.counts['tcp-gap'] ?? 0, 0);
  if (tshark === null) return t.skip('tshark not installed: cannot compare with the reference');
  assert.deepEqual(ours, tshark);
});

test('regression: a UTF-8 host and path keep their bytes (latin1 when not UTF-8)', (t) => {
  const segs = captured(scriptSegments(String.raw`
    -> GET /caf\xc3\xa9?q=\xe2\x82\xac HTTP/1.1\r\nHost: B\xc3\x9cCHER.example\r\n
    -> X-Name: Jos\xc3\xa9\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Note: \xc3\xa9t\xc3\xa9\r\n\r\n
    -> GET /latin\xe9 HTTP/1.1\r\nHost: a\xe9\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`));
  const { run, ours, tshark } = withReference(segs);
  assert.deepEqual(ours, ['GET /café?q=€ bücher.example -> 200', 'GET /latiné aé -> 200']);
  const [utf8, latin1] = run.exchanges;
  assert.equal(utf8!.request.path, '/café');
  assert.equal(utf8!.request.query, 'q=€');
  assert.deepEqual(utf8!.request.headers.at(-1), ['x-name', 'José']);
  assert.deepEqual(utf8!.response!.headers.at(-1), ['x-note', 'été']);
  assert.equal(latin1!.request.path, '/latin\xe9');
  if (tshark === null) return t.skip('tshark not installed: cannot compare with the reference');
  // tshark 4 shows each byte >= 0x80 of these fields as U+FFFD: compare on the wire bytes.
  const wire = (s: string, enc: BufferEncoding) =>
    Buffer.from(s, enc).toString('latin1').replace(/[\x80-\xff]/g, '\ufffd');
  assert.deepEqual(tshark, [wire(ours[0]!, 'utf8'), wire(ours[1]!, 'latin1')]);
});

test('regression: 100 pipelined requests past the pending cap keep later pairs right', (t) => {
  // All requests sent before any response (the cap is 64): the 36 oldest are given
  // up (reported without response), and every later response pairs with its own.
  // One message a segment, so tshark's pairing can be read frame by frame.
  const n = 100;
  let script = '';
  for (let i = 0; i < n; i++) script += `-> GET /r${i} HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n\n`;
  for (let i = 0; i < n; i++) {
    script += `<- HTTP/1.1 ${200 + i} X\\r\\nContent-Length: 0\\r\\n\\r\\n\n`;
  }
  const segs = captured(scriptSegments(`${script}fin ->\nfin <-`));
  const { run, ours, tshark } = withReference(segs);
  const status = (i: number) => (i < 36 ? null : 200 + i);
  assert.deepEqual(ours, Array.from({ length: n }, (_, i) => `GET /r${i} a -> ${status(i)}`));
  assert.equal(run.anomalies.counts['http-pending-limit'], 36);
  assert.equal(run.anomalies.counts['http-unpaired-response'] ?? 0, 0);
  if (tshark === null) return t.skip('tshark not installed: cannot compare with the reference');
  // tshark 4 pairs a response with the latest request of the connection, not in order
  // (its first response goes to /r99, the rest to none): only its requests compare.
  const request = (line: string) => line.replace(/ -> .*$/, '');
  assert.deepEqual(ours.map(request), tshark.map(request));
});

test('regression: an IP length that lies about a whole frame costs no stream bytes', async (t) => {
  // GET /one is first sent in a frame whose IPv4 total length claims 100 bytes more
  // than the frame holds (captured whole), then retransmitted intact. Taken for snap
  // truncation, the lie made a 100-byte hole that swallowed GET /two.
  const segs = scriptSegments(String.raw`
    -> GET /one HTTP/1.1\r\nHost: a\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n
    -> GET /two HTTP/1.1\r\nHost: a\r\n\r\n
    <- HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n
    fin ->
    fin <-`);
  const order = captured([...segs.slice(0, 4), { ...segs[3]! }, ...segs.slice(4)]);
  const file = join(tempDir(), 'lie.pcap');
  writeSegmentsPcap(file, order, (i, frame) => {
    if (i === 3) frame.writeUInt16BE(frame.readUInt16BE(14 + 2) + 100, 14 + 2);
  });
  const anomalies = new AnomalyCounter();
  const decoder = new PacketDecoder(limitsWith(), anomalies);
  const engine = new FlowEngine(limitsWith(), anomalies);
  const source = await openCapture(file);
  for await (const batch of source.batches()) {
    for (const p of batch) {
      const seg = decoder.decode(p);
      if (seg !== null) engine.push(seg);
    }
  }
  engine.finish();
  const ours = lines(engine.drain().map((e) => ({
    method: e.request.method, uri: e.request.uri, host: e.request.host,
    status: e.response?.status ?? null,
  })));
  assert.deepEqual(ours, ['GET /one a -> 200', 'GET /two a -> 201']);
  assert.deepEqual(anomalies.counts, { 'bad-ip-header': 1 });
  if (!haveTshark()) return t.skip('tshark not installed: cannot compare with the reference');
  assert.deepEqual(ours, lines(tsharkExchanges(file)));
});

test('regression: HTTP/1-framed messages with other version numbers are kept', (t) => {
  // "GET /a HTTP/2.0" and friends, then a plain HTTP/1.1 exchange: tshark reads any
  // HTTP/d.d start line as HTTP/1.x framing; an unrecognised status line once also
  // shifted the next pair.
  const cases: Array<[string, string]> = [['2.0', '2.0'], ['1.1', '2.0'], ['3.0', '3.0'],
    ['0.9', '1.0']];
  for (const [req, res] of cases) {
    const segs = captured(scriptSegments(String.raw`
      -> GET /a HTTP/${req}\r\nHost: a\r\n\r\n
      <- HTTP/${res} 200 OK\r\nContent-Length: 2\r\n\r\nok
      -> GET /b HTTP/1.1\r\nHost: a\r\n\r\n
      <- HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n
      fin ->
      fin <-`));
    const { run, ours, tshark } = withReference(segs);
    assert.deepEqual(ours, ['GET /a a -> 200', 'GET /b a -> 201'], `${req} ${res}`);
    assert.equal(run.exchanges[0]!.request.httpVersion, req);
    assert.equal(run.exchanges[0]!.response!.httpVersion, res);
    assert.deepEqual(run.anomalies.counts, {});
    if (tshark === null) return t.skip('tshark not installed: cannot compare with the reference');
    assert.deepEqual(ours, tshark, `${req} ${res}`);
  }
});

test('regression: absolute-form targets (proxies) give host and path from the target', (t) => {
  // RFC 9112 §3.2.2: the target's authority is the host, whatever Host says (or
  // when there is none); the path is the origin-form one. tshark's http.host is the
  // Host header: only method and target compare.
  const segs = captured(scriptSegments(String.raw`
    -> GET http://API.Example.test:8080/v1/users?id=7 HTTP/1.1\r\nHost: proxy.local:3128\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n
    -> GET http://user:pw@legacy.example.test/a HTTP/1.0\r\n\r\n
    <- HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n
    -> GET /plain HTTP/1.1\r\nHost: Origin.test\r\n\r\n
    <- HTTP/1.1 204 No Content\r\n\r\n`));
  const { run, ours, tshark } = withReference(segs);
  assert.deepEqual(ours, [
    'GET http://API.Example.test:8080/v1/users?id=7 api.example.test:8080 -> 200',
    'GET http://user:pw@legacy.example.test/a legacy.example.test -> 200',
    'GET /plain origin.test -> 204',
  ]);
  assert.deepEqual(run.exchanges.map((e) => e.request.path), ['/v1/users', '/a', '/plain']);
  if (tshark === null) return t.skip('tshark not installed: cannot compare with the reference');
  const target = (line: string) => line.split(' ').slice(0, 2).join(' ');
  assert.deepEqual(ours.map(target), tshark.map(target));
});
