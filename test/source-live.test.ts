// The live source on loopback with real HTTP traffic: frames larger than cap's
// stock snap length arrive whole, stop() loses nothing libpcap already holds, and
// opening mistakes are one-line errors. Plus the pieces that need no libpcap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { limitsWith } from '../src/config/limits.js';
import { isShadowtapError } from '../src/errors.js';
import { listInterfaces, prefixLength } from '../src/source/interfaces.js';
import { ChunkPool } from '../src/source/live-chunks.js';
import { openLive, type LiveSource } from '../src/source/live.js';
import type { CapturedPacket } from '../src/source/types.js';
import { portOf, runClient, startServer } from './helpers/http-load.js';
import { liveUnavailable, runLoadSync, startLoad } from './helpers/live.js';

const skipWhy = await liveUnavailable();

/** Gathers every packet of a live source (copied: views die with the next batch). */
function gather(source: LiveSource): Promise<CapturedPacket[]> {
  return (async () => {
    const all: CapturedPacket[] = [];
    for await (const batch of source.batches()) {
      for (const p of batch) all.push({ ...p, data: Uint8Array.from(p.data) });
    }
    return all;
  })();
}

function contains(data: Uint8Array, text: string): boolean {
  return Buffer.from(data.buffer, data.byteOffset, data.length).includes(text);
}

async function withServer<T>(fn: (server: http.Server) => Promise<T>): Promise<T> {
  const server = await startServer('127.0.0.1');
  try {
    return await fn(server);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test('prefix lengths from libpcap netmasks, IPv4 and IPv6', () => {
  assert.equal(prefixLength('255.255.255.0'), 24);
  assert.equal(prefixLength('255.255.255.255'), 32);
  assert.equal(prefixLength('ffff:ffff:ffff:ffff::'), 64);
  assert.equal(prefixLength('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), 128);
  assert.equal(prefixLength('255.0.255.0'), null); // not contiguous
  assert.equal(prefixLength(undefined), null);
});

test('a chunk is reused only after the batch it held has been passed', () => {
  const pool = new ChunkPool(64);
  const src = Buffer.from('abcdefgh');
  const first = pool.copyIn(src, 8);
  pool.seal(); // handed on: its views must survive until the consumer moves on
  const second = pool.copyIn(src, 8);
  assert.notEqual(second.buffer, first.buffer);
  pool.seal();
  pool.releaseYielded(); // the consumer asked for more: both batches' views are dead
  const third = pool.copyIn(Buffer.from('12345678'), 8);
  assert.ok(third.buffer === first.buffer || third.buffer === second.buffer);
  assert.equal(third.buffer.subarray(third.offset, third.offset + 8).toString(), '12345678');
  const big = pool.copyIn(Buffer.alloc(100, 1), 100); // larger than a chunk: its own buffer
  assert.equal(big.buffer.length, 100);
});

test('interfaces: loopback is listed up, as loopback, with 127.0.0.1', async (t) => {
  if (skipWhy !== null && !skipWhy.startsWith('capturing needs root')) return t.skip(skipWhy);
  const lo = (await listInterfaces()).find((i) => i.loopback);
  assert.ok(lo, 'a loopback device');
  assert.equal(lo.up, true);
  assert.ok(lo.addresses.includes('127.0.0.1/8'), lo.addresses.join(' '));
});

test('a frame larger than 65535 bytes on lo is captured whole', { timeout: 60_000 }, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  await withServer(async (server) => {
    const port = portOf(server);
    const source = await openLive({
      interface: 'lo', filter: `tcp port ${port}`, snapLength: 262_144,
      bufferBytes: 32 << 20, limits: limitsWith(),
    });
    const packets = gather(source);
    // Several MiB in one write: loopback's 65536-byte MTU carries full 65549-byte frames.
    const done = await runClient({
      host: '127.0.0.1', port, count: 2, concurrency: 1,
      bodyFor: () => Buffer.alloc(6 << 20, 0x61),
    });
    source.stop();
    const all = await packets;
    assert.equal(done.length, 2);
    const largest = Math.max(...all.map((p) => p.data.length));
    assert.ok(largest > 65_535, `largest frame ${largest}`);
    for (const p of all) assert.equal(p.data.length, p.origLen, `packet ${p.index} snapped`);
    assert.equal(source.linkType, 1); // Linux loopback is Ethernet-framed
    assert.equal(source.summary.packets, all.length);
    const c = source.counters();
    assert.equal(c.dropped, 0);
    assert.ok(c.received >= all.length);
  });
});

test('stop() hands on every packet libpcap already holds', { timeout: 60_000 }, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  // Server and client run as other processes and the client synchronously, so this
  // event loop never reads from libpcap during the load: every packet is still in the
  // kernel buffer when stop() is called. (With libpcap's immediate mode each packet
  // took a block of the buffer and most of these were dropped; hence batch mode.)
  const server = startLoad(['server', '--host', '127.0.0.1'], { timeoutMs: 50_000 });
  try {
    const port = Number((await server.waitFor(/"listening":(\d+)/, 20_000))[1]);
    const source = await openLive({
      interface: 'lo', filter: `tcp port ${port}`, snapLength: 262_144,
      bufferBytes: 8 << 20, limits: limitsWith(),
    });
    const packets = gather(source);
    const client = runLoadSync(['client', '--host', '127.0.0.1', '--port', String(port),
      '--count', '50', '--prefix', '/drain']);
    source.stop();
    const all = await packets;
    assert.equal(client.completed.length, 50);
    assert.equal(source.counters().dropped, 0);
    assert.equal(all.filter((p) => contains(p.data, 'GET /drain/')).length, 50);
    assert.equal(all.filter((p) => contains(p.data, 'HTTP/1.1 200')).length, 50);
  } finally {
    server.kill('SIGTERM');
    await server.exited;
  }
});

test('an unknown interface and a bad filter are one-line errors', async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const open = (iface: string, filter: string) =>
    openLive({ interface: iface, filter, snapLength: 65_535, bufferBytes: 1 << 20,
      limits: limitsWith() });
  await assert.rejects(open('st-no-such0', ''), (e: unknown) => {
    assert.ok(isShadowtapError(e));
    assert.equal(e.code, 'interface-not-found');
    assert.match(e.message, /'st-no-such0' not found; capture devices here: .*\blo\b/);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
  await assert.rejects(open('lo', 'tcp port'), (e: unknown) => {
    assert.ok(isShadowtapError(e));
    assert.equal(e.code, 'bad-filter');
    assert.match(e.message, /^--filter 'tcp port': .*syntax error/);
    return true;
  });
});
