// `shadowtap capture` on the underlay of real Linux tunnels: a client and a server in
// two network namespaces talk over a VXLAN, ERSPAN or GRE device the test creates, and
// the sensor captures the veth below it, so every frame it reads is encapsulated. It
// must store exactly the exchanges the client made. A tunnel the kernel will not
// create (no module, not allowed) skips its test and says which device was refused.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Completed } from './helpers/http-load.js';
import {
  addTunnel, assertStoredExactly, createNetnsPair, liveUnavailable, startLoad,
  startShadowtap, tempDir, type Child, type TunnelKind,
} from './helpers/live.js';

const skipWhy = await liveUnavailable();
const PORT = 8080;
const REQUESTS = 200;

/**
 * Runs REQUESTS requests through a tunnel of `kind` (every 20th a 200 kB POST, so
 * bodies span many encapsulated segments) while capturing its underlay; returns
 * why it skipped, or null once everything is checked.
 */
async function captureThrough(t: TestContext, kind: TunnelKind): Promise<string | null> {
  if (skipWhy !== null) return skipWhy;
  const pair = createNetnsPair();
  if (typeof pair === 'string') return pair;
  const children: Child[] = [];
  try {
    const tunnel = addTunnel(pair, kind);
    if (typeof tunnel === 'string') return tunnel;
    const dir = tempDir();
    const server = startLoad(['server', '--host', tunnel.addrA, '--port', String(PORT)], {
      netns: pair.a, timeoutMs: 100_000,
    });
    children.push(server);
    await server.waitFor(/"listening":8080/, 30_000);
    const sensor = startShadowtap([
      'capture', '--interface', pair.ifA, '--filter', tunnel.outerFilter,
      '--db', join(dir, 'st.db'), '--exchanges', join(dir, 'ex.jsonl'), '--flush-every', '1s',
    ], { netns: pair.a, timeoutMs: 90_000 });
    children.push(sensor);
    await sensor.waitFor(/capturing on \S+/, 30_000);
    const client = startLoad([
      'client', '--host', tunnel.addrA, '--port', String(PORT), '--count', String(REQUESTS),
      '--prefix', `/${kind}`, '--body-bytes', '200000', '--body-every', '20',
    ], { netns: pair.b, timeoutMs: 60_000 });
    children.push(client);
    assert.equal((await client.exited).code, 0, client.stderr);
    const done = (JSON.parse(client.stdout) as { completed: Completed[] }).completed;
    assert.equal(done.length, REQUESTS);
    sensor.kill('SIGTERM'); // every response has crossed the veth: the client has it
    const exit = await sensor.exited;
    assert.equal(exit.code, 0, sensor.stderr);
    assertStoredExactly(dir, done.map((c) => c.path));
    // The frames were encapsulated: the run summary counts them by tunnel kind.
    const family = tunnel.label.split(':')[0]!;
    assert.match(sensor.stderr, new RegExp(`encapsulated: .*\\b${family} [1-9]`));
    t.diagnostic(`${tunnel.kind} (${tunnel.label}): ${done.length} exchanges stored`);
    return null;
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    pair.remove();
  }
}

test('capture on the underlay of a VXLAN tunnel stores every exchange', {
  timeout: 120_000,
}, async (t) => {
  const skipped = await captureThrough(t, 'vxlan');
  if (skipped !== null) t.skip(skipped);
});

for (const [kind, what] of [
  ['erspan1', 'ERSPAN type II (erspan_ver 1)'],
  ['erspan2', 'ERSPAN type III (erspan_ver 2)'],
] as const) {
  test(`capture on the underlay of ${what} stores every exchange`, {
    timeout: 120_000,
  }, async (t) => {
    const skipped = await captureThrough(t, kind);
    if (skipped === null) return;
    // No erspan device: GRE framing is still tried by the gretap test below.
    t.skip(`${skipped}; the gretap test stands in for GRE`);
  });
}

test('capture on the underlay of a GRE tap tunnel with a key stores every exchange', {
  timeout: 120_000,
}, async (t) => {
  const skipped = await captureThrough(t, 'gretap');
  if (skipped !== null) t.skip(skipped);
});
