// The ClientHello reader (src/tls/client-hello.ts) and the flow sniffer that feeds it
// (src/tls/flow-sink.ts).
//
// HELLO is the TCP payload of packet 4 of test/fixtures/tls-client-hello.pcap, made on
// 127.0.0.1 with `openssl s_server -accept 127.0.0.1:48443 -alpn h2` and
//   openssl s_client -connect 127.0.0.1:48443 -servername api.example.test -alpn h2,http/1.1
// captured by `tcpdump -i lo -w tls-client-hello.pcap 'tcp port 48443'` (OpenSSL 3).
// tshark reads it as: server_name api.example.test, ALPN h2,http/1.1; one TLS record
// (16 03 01, 335 bytes) holding a 331-byte ClientHello.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeTlsRecord, parseClientHello } from '../src/tls/client-hello.js';
import { FlowSniffer, type EncryptedFlow } from '../src/tls/flow-sink.js';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import { newEngineStats } from '../src/reassembly/stats.js';
import type { ChunkMeta, StreamSink } from '../src/reassembly/sink.js';
import { runScript, SPLITS, summary } from './helpers/http-script.js';

const HELLO = Buffer.from(
  '160301014f0100014b0303a7baf391959b1b448d6667432e4ca8756c9bb77d7c202539f2de1f0a4df905642' +
  '099c97af202fdc58ad969b0e9d4ab3708c608ac27fe2f37b2a53d747569f9dd25003e130213031301c02cc0' +
  '30009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c' +
  '003d003c0035002f00ff010000c40000001500130000106170692e6578616d706c652e74657374000b0004' +
  '03000102000a00160014001d0017001e0019001801000101010201030104002300000010000e000c026832' +
  '08687474702f312e310016000000170000000d002a0028040305030603080708080809080a080b08040805' +
  '0806040105010601030303010302040205020602002b0009080304030303020301002d0002010100330026' +
  '0024001d0020c7523c56f7b63403da0e55a62a03a2085c79277fdec2a9cccc80ba0e331b5b63',
  'hex',
);
const EXPECTED = { sni: 'api.example.test', alpn: ['h2', 'http/1.1'] };

/** The handshake message of HELLO re-cut into records of at most `size` bytes each. */
function inRecords(size: number): Uint8Array {
  const msg = HELLO.subarray(5);
  const parts: Buffer[] = [];
  for (let off = 0; off < msg.length; off += size) {
    const frag = msg.subarray(off, off + size);
    parts.push(Buffer.from([0x16, 0x03, 0x03, frag.length >> 8, frag.length & 0xff]), frag);
  }
  return Buffer.concat(parts);
}

test('the fixture ClientHello gives its SNI and ALPN', () => {
  assert.equal(HELLO.length, 5 + 0x14f);
  assert.ok(looksLikeTlsRecord(HELLO));
  assert.deepEqual(parseClientHello(HELLO, 8), { kind: 'hello', info: EXPECTED });
});

test('a ClientHello split over several records reads the same', () => {
  for (const size of [1, 7, 100, 330]) {
    assert.deepEqual(parseClientHello(inRecords(size), 8), { kind: 'hello', info: EXPECTED });
  }
});

test('a truncated ClientHello asks for more at every cut, never throws', () => {
  for (const bytes of [HELLO, inRecords(50)]) {
    for (let cut = 0; cut < bytes.length; cut++) {
      assert.equal(parseClientHello(bytes.subarray(0, cut), 8).kind, 'more', `cut ${cut}`);
    }
  }
});

test('ALPN names past the limit are not kept', () => {
  assert.deepEqual(parseClientHello(HELLO, 1), {
    kind: 'hello', info: { sni: 'api.example.test', alpn: ['h2'] },
  });
});

test('garbage is malformed or incomplete, never an exception', () => {
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  const kinds = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const b = Buffer.from(HELLO);
    // Flip a few bytes after the record header so lengths and contents go wrong.
    for (let k = 0; k < 4; k++) b[5 + (rand() * 3 + i) % (b.length - 5)] = rand();
    kinds.add(parseClientHello(b, 8).kind);
  }
  assert.ok(kinds.has('malformed'));
  const notHello = Buffer.from(HELLO);
  notHello[5] = 2; // a ServerHello where the ClientHello should be
  assert.equal(parseClientHello(notHello, 8).kind, 'malformed');
  const hugeRecord = Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01]);
  assert.equal(parseClientHello(hugeRecord, 8).kind, 'malformed');
});

test('a bad server_name is malformed', () => {
  const b = Buffer.from(HELLO);
  const at = b.indexOf(Buffer.from('api.example.test'));
  b[at + 3] = 0x20; // a space inside the host name
  assert.equal(parseClientHello(b, 8).kind, 'malformed');
});

/** Runs a FlowSniffer over client chunks (dir 0) and returns what it reported. */
function sniff(chunks: Uint8Array[], limits = limitsWith()) {
  const anomalies = new AnomalyCounter();
  const flows: EncryptedFlow[] = [];
  let httpBytes = 0;
  const http: StreamSink = {
    data: (_d, b) => void (httpBytes += b.length), gap() {}, fin() {}, end() {},
  };
  const s = new FlowSniffer(
    {
      tunnel: '',
      endpoints: [{ ip: '10.0.0.1', port: 50000 }, { ip: '10.0.0.2', port: 443 }],
      synDir: 0,
    },
    { limits, anomalies, stats: newEngineStats(), report: (f) => flows.push(f) },
    () => http,
  );
  let ts = 1;
  for (const c of chunks) {
    const meta: ChunkMeta = { ts: ts++, packet: ts, pos: 0, ack: NaN };
    s.data(0, c, meta);
  }
  s.end('fin', ts);
  return { flows, anomalies: anomalies.counts, httpBytes };
}

test('the sniffer reads a ClientHello split over TCP segments at every point', () => {
  for (let cut = 1; cut < HELLO.length; cut += 13) {
    const r = sniff([HELLO.subarray(0, cut), HELLO.subarray(cut)]);
    assert.equal(r.flows.length, 1);
    assert.equal(r.flows[0]!.kind, 'tls');
    assert.equal(r.flows[0]!.sni, EXPECTED.sni, `cut ${cut}`);
    assert.deepEqual(r.flows[0]!.alpn, EXPECTED.alpn);
    assert.equal(r.flows[0]!.bytes, HELLO.length);
    assert.equal(r.flows[0]!.serverPort, 443);
    assert.equal(r.httpBytes, 0);
  }
});

test('the sniffer counts a truncated hello and one over the limit as anomalies', () => {
  const cut = sniff([HELLO.subarray(0, 100)]);
  assert.equal(cut.flows[0]!.sni, '');
  assert.equal(cut.anomalies['tls-malformed'], 1);
  const over = sniff([HELLO.subarray(0, 100), HELLO.subarray(100)], limitsWith({
    tlsMaxClientHelloBytes: 64,
  }));
  assert.equal(over.flows[0]!.sni, '');
  assert.equal(over.anomalies['tls-hello-limit'], 1);
});

test('the sniffer counts the HTTP/2 preface and hands HTTP/1.x on, split or whole', () => {
  // The preface and an empty SETTINGS frame (RFC 9113 §3.4, §6.5).
  const preface = Buffer.concat([
    Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from('000000040000000000', 'hex'),
  ]);
  const h2 = sniff([preface.subarray(0, 5), preface.subarray(5)]);
  assert.deepEqual(h2.flows.map((f) => [f.kind, f.bytes]), [['h2', preface.length]]);
  const get = Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  const h1 = sniff([get.subarray(0, 2), get.subarray(2)]);
  assert.deepEqual(h1.flows, []);
  assert.equal(h1.httpBytes, get.length);
  const p = sniff([Buffer.from('P')]); // too short to tell, then the flow ends
  assert.equal(p.httpBytes, 1);
});

/** Runs a script through a FlowEngine at every split and returns each run's TLS/HTTP/2 flows. */
function engineFlows(script: string): Array<{ flows: EncryptedFlow[]; exchanges: string[] }> {
  return SPLITS.map((split) => {
    const run = runScript(script, { split, server: { ip: '10.0.0.2', port: 443 } });
    return { flows: run.engine.drainEncrypted(), exchanges: summary(run.exchanges) };
  });
}

test('the engine counts h2c after a 101 as HTTP/2, and only the bytes after it', () => {
  const after = ['\x00\x00\x00\x04\x00\x00\x00\x00\x00', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'];
  const runs = engineFlows(String.raw`
    -> GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n
    <- HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n
    <- \x00\x00\x00\x04\x00\x00\x00\x00\x00
    -> PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n
    fin ->
    fin <-`);
  for (const r of runs) {
    assert.deepEqual(r.exchanges, ['GET / -> 101']);
    assert.deepEqual(r.flows.map((f) => [f.kind, f.bytes, f.serverPort]), [
      ['h2', after.join('').length, 443],
    ]);
  }
  const ws = engineFlows(String.raw`
    -> GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n
    <- HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nx`);
  for (const r of ws) assert.deepEqual(r.flows, []); // a WebSocket is not HTTP/2
});

test('the engine reads SNI whole, byte by byte and at random splits; no HTTP is parsed', () => {
  const hex = [...HELLO].map((b) => '\\x' + b.toString(16).padStart(2, '0')).join('');
  const runs = engineFlows(`-> ${hex}\n<- HTTP/1.1 400 Bad Request\\r\\n\\r\\n\nfin ->\nfin <-`);
  const reply = 'HTTP/1.1 400 Bad Request\r\n\r\n'.length;
  for (const r of runs) {
    assert.deepEqual(r.exchanges, []);
    assert.deepEqual(r.flows.map((f) => [f.kind, f.sni, f.alpn, f.bytes]), [
      ['tls', EXPECTED.sni, EXPECTED.alpn, HELLO.length + reply],
    ]);
  }
});

test('a TLS flow picked up mid-stream is counted under its server, without SNI', () => {
  // An application_data record (RFC 8446 §5.2) as the first bytes seen.
  const record = Buffer.from('170303000a00112233445566778899', 'hex');
  const r = sniff([record.subarray(0, 2), record.subarray(2)]);
  assert.deepEqual(r.flows.map((f) => [f.kind, f.sni, f.serverIp, f.bytes]), [
    ['tls', '', '10.0.0.2', record.length],
  ]);
  assert.equal(r.httpBytes, 0);
  assert.deepEqual(r.anomalies, {});
});

test('a huge ClientHello in one-byte segments stops at the limit, in linear time', () => {
  // A ClientHello claiming 65,535 bytes, in full 16 KiB records (RFC 8446 §5.1 maximum).
  const msg = Buffer.alloc(3 * 16384);
  msg.set([1, 0x00, 0xff, 0xff], 0);
  const recs: Buffer[] = [];
  for (let off = 0; off < msg.length; off += 16384) {
    recs.push(Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00]), msg.subarray(off, off + 16384));
  }
  const all = Buffer.concat(recs);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < all.length; i++) chunks.push(all.subarray(i, i + 1));
  const started = performance.now();
  const r = sniff(chunks);
  assert.equal(r.anomalies['tls-hello-limit'], 1);
  assert.equal(r.flows[0]!.bytes, all.length);
  assert.ok(performance.now() - started < 20_000);
});

test('a ClientHello in one-byte records, one byte per segment, is read in linear time', () => {
  // The fixture's handshake message re-cut into 1-byte records: 6 bytes per message byte.
  const bytes = inRecords(1);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
  const started = performance.now();
  const r = sniff(chunks);
  assert.deepEqual([r.flows[0]!.sni, r.flows[0]!.alpn], [EXPECTED.sni, EXPECTED.alpn]);
  assert.ok(performance.now() - started < 5_000);
});
