// Capture loss charged where it fell (src/http/connection.ts): gap bytes inside a
// request or response go to that exchange, a response lost whole to the request left
// without it, and a request lost whole to the connection's host. Every gap byte is
// charged exactly once: the exchanges' and the host's add up to reassembly's total.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowEngine } from '../src/reassembly/engine.js';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import type { LostOutside } from '../src/http/connection.js';
import type { Exchange } from '../src/http/types.js';
import { scriptSegments, SPLITS, summary } from './helpers/http-script.js';

interface LossRun {
  exchanges: Exchange[];
  outside: LostOutside[];
  gapBytes: number;
}

/** Runs a script through an engine, keeping what it says of lost bytes. */
function runLoss(script: string, split: (typeof SPLITS)[number] = 'whole'): LossRun {
  const engine = new FlowEngine(limitsWith(), new AnomalyCounter());
  for (const s of scriptSegments(script, { split })) engine.push(s);
  engine.finish();
  return {
    exchanges: engine.drain(),
    outside: engine.drainLostOutside(),
    gapBytes: engine.stats.gapBytes,
  };
}

/** "METHOD uri -> status: N lost" per exchange. */
function charged(r: LossRun): string[] {
  return summary(r.exchanges).map((s, i) => `${s}: ${r.exchanges[i]!.gapBytes} lost`);
}

/** Checks every split mode agrees and that every gap byte was charged once. */
function converse(script: string): LossRun {
  const runs = SPLITS.map((split) => runLoss(script, split));
  for (const r of runs) {
    assert.deepEqual(charged(r), charged(runs[0]!));
    assert.deepEqual(r.outside.map((o) => o.bytes), runs[0]!.outside.map((o) => o.bytes));
    const sum = r.exchanges.reduce((n, e) => n + e.gapBytes, 0) +
      r.outside.reduce((n, o) => n + o.bytes, 0);
    assert.equal(sum, r.gapBytes, 'every gap byte charged once');
  }
  return runs[0]!;
}

const GET = (path: string) => String.raw`-> GET ${path} HTTP/1.1\r\nHost: shop.test:8080\r\n\r\n`;
const OK = (body: string) =>
  String.raw`<- HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

test('bytes lost inside a request body are charged to its exchange', () => {
  const r = converse(String.raw`
    -> POST /orders HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 10\r\n\r\n012
    gap -> 4
    -> 789
    ${OK('ok')}
    ${GET('/orders/1')}
    ${OK('done')}`);
  assert.deepEqual(charged(r), [
    'POST /orders -> 200: 4 lost', 'GET /orders/1 -> 200: 0 lost',
  ]);
  assert.deepEqual(r.outside, []);
  assert.equal(r.gapBytes, 4);
});

test('bytes lost inside a response body are charged to its exchange', () => {
  const r = converse(String.raw`
    ${GET('/big')}
    <- HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc
    gap <- 990
    <- 1234567
    ${GET('/small')}
    ${OK('x')}`);
  assert.deepEqual(charged(r), ['GET /big -> 200: 990 lost', 'GET /small -> 200: 0 lost']);
  assert.deepEqual(r.outside, []);
});

test('a response lost whole is charged to the request left without it', () => {
  const r = converse(String.raw`
    ${GET('/a')}
    gap <- 38
    ${GET('/b')}
    ${OK('b')}`);
  assert.deepEqual(charged(r), ['GET /a -> null: 38 lost', 'GET /b -> 200: 0 lost']);
  assert.deepEqual(r.outside, []);
});

test('a request lost whole is charged to the host of the connection', () => {
  const r = converse(String.raw`
    ${GET('/a')}
    ${OK('a')}
    gap -> 45
    ${OK('lost')}
    ${GET('/c')}
    ${OK('c')}`);
  assert.deepEqual(charged(r), ['GET /a -> 200: 0 lost', 'GET /c -> 200: 0 lost']);
  assert.deepEqual(r.outside.map((o) => [o.host, o.serverIp, o.bytes]),
    [['shop.test:8080', '10.0.0.2', 45]]);
});

test('a gap that cuts a chunked body short charges all of it to that exchange', () => {
  const r = converse(String.raw`
    ${GET('/stream')}
    <- HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n
    gap <- 60
    <- 0\r\n\r\n
    fin <-`);
  assert.deepEqual(charged(r), ['GET /stream -> 200: 60 lost']);
  assert.deepEqual(r.outside, []);
});

test('loss before any request of a connection waits for the host to be known', () => {
  const r = converse(String.raw`
    gap -> 30
    ${OK('first')}
    ${GET('/next')}
    ${OK('next')}`);
  assert.deepEqual(charged(r), ['GET /next -> 200: 0 lost']);
  assert.deepEqual(r.outside.map((o) => [o.host, o.bytes]), [['shop.test:8080', 30]]);
});
