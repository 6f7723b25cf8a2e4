// Malformed traffic is data: mutated conversations and random segments must never
// throw, and whatever comes out must still be well-formed exchanges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from '../src/decode/types.js';
import { prng, runSegments, scriptSegments } from './helpers/http-script.js';

const CONVERSATION = String.raw`
  -> POST /api/items?api_key=k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n
  -> 5;x=y\r\nhello\r\n0\r\n\r\n
  <- HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok
  -> HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n
  <- HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nHTTP/1.0 200 OK\r\n\r\ntail
  -> CONNECT h:443 HTTP/1.1\r\n\r\n
  <- HTTP/1.1 200 OK\r\n\r\n\x16\x03\x01
  fin <-
  fin ->`;

function mutate(segs: TcpSegment[], rnd: () => number): TcpSegment[] {
  const out: TcpSegment[] = [];
  for (const s of segs) {
    const r = rnd();
    if (r < 0.05) continue; // lost
    const payload = new Uint8Array(s.payload);
    for (let i = 0; i < payload.length; i++) if (rnd() < 0.02) payload[i] = Math.floor(rnd() * 256);
    const m: TcpSegment = { ...s, payload };
    if (r < 0.1) m.seq = (m.seq + Math.floor(rnd() * 2 ** 32)) >>> 0;
    else if (r < 0.15) m.ack = Math.floor(rnd() * 2 ** 32);
    else if (r < 0.18) m.flags = [TCP_SYN, TCP_FIN | TCP_ACK, TCP_RST, 0][Math.floor(rnd() * 4)]!;
    else if (r < 0.22) m.missing = Math.floor(rnd() * 100);
    out.push(m);
    if (rnd() < 0.05) out.push(m); // duplicated
  }
  // Swap a few neighbours.
  for (let i = 1; i < out.length; i++) {
    if (rnd() < 0.1) [out[i - 1], out[i]] = [out[i]!, out[i - 1]!];
  }
  return out;
}

function checkWellFormed(run: ReturnType<typeof runSegments>): void {
  for (const e of run.exchanges) {
    assert.match(e.request.method, /^[A-Z][A-Z0-9_-]*$/);
    assert.equal(typeof e.request.uri, 'string');
    assert.ok(e.request.auth.length > 0);
    assert.ok(e.request.body.length <= e.request.bodyLength || e.request.bodyLength === 0);
    if (e.response) assert.ok(e.response.status >= 100 && e.response.status <= 999);
  }
}

test('mutated conversations never throw', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = prng(seed);
    const clientIsn = Math.floor(rnd() * 2 ** 32);
    const segs = scriptSegments(CONVERSATION, { split: { seed }, clientIsn });
    const run = runSegments(mutate(segs, rnd), { maxBufferedSegmentsPerDirection: 8 });
    checkWellFormed(run);
  }
});

test('random segments never throw', () => {
  const rnd = prng(2024);
  const segs: TcpSegment[] = [];
  for (let i = 0; i < 5000; i++) {
    const len = Math.floor(rnd() * 60);
    const alphabet = 'GET / HTTP/1.1\r\nHTTP/1.1 200 \n';
    const payload = Uint8Array.from({ length: len }, () =>
      rnd() < 0.5 ? alphabet.charCodeAt(Math.floor(rnd() * alphabet.length)) : rnd() * 256,
    );
    const client = rnd() < 0.5;
    segs.push({
      packet: i + 1,
      ts: i * 0.01,
      tunnel: '',
      srcIp: client ? '10.0.0.1' : '10.0.0.2',
      dstIp: client ? '10.0.0.2' : '10.0.0.1',
      srcPort: client ? 40000 + Math.floor(rnd() * 3) : 80,
      dstPort: client ? 80 : 40000 + Math.floor(rnd() * 3),
      seq: Math.floor(rnd() * 400),
      ack: Math.floor(rnd() * 400),
      flags: Math.floor(rnd() * 32),
      ipId: 0,
      payload,
    });
  }
  checkWellFormed(runSegments(segs, { maxFlows: 2, flowIdleTimeoutSec: 5 }));
});
