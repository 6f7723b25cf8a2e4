// `shadowtap capture` end to end with real HTTP traffic: on loopback, between two
// network namespaces joined by a veth, stopped by SIGTERM in the middle of a load,
// with privileges dropped; its one-line errors; `prune`. Every child process and
// every wait has a time limit; namespaces are removed even when a test fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadModelFile } from '../src/abuse/model-file.js';
import { limitsWith } from '../src/config/limits.js';
import { portOf, runClient, startServer, type Completed } from './helpers/http-load.js';
import {
  assertStoredExactly, createNetnsPair, exchangeUris, liveUnavailable, startLoad,
  startShadowtap, storedCounts, tempDir,
} from './helpers/live.js';
import { lookupUser } from '../src/cli/privileges.js';
import { shadowtap } from './helpers/cli.js';
import { CORPUS } from './source-helpers.js';

const skipWhy = await liveUnavailable();
const READY = /capturing on \S+/;

function captureArgs(dir: string, iface: string, port: number, extra: string[]): string[] {
  return [
    'capture', '--interface', iface, '--filter', `tcp port ${port}`,
    '--db', join(dir, 'st.db'), '--exchanges', join(dir, 'ex.jsonl'),
    '--flush-every', '1s', ...extra,
  ];
}

test('capture on lo stores every exchange the client made, big bodies included', {
  timeout: 90_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const server = await startServer('127.0.0.1');
  const dir = tempDir();
  try {
    const port = portOf(server);
    const sensor = startShadowtap(captureArgs(dir, 'lo', port, ['--duration', '10s']), {
      timeoutMs: 60_000,
    });
    await sensor.waitFor(READY, 30_000);
    // Two 3 MiB POST bodies ride in frames over 65535 bytes (cap's stock snap length).
    const done = await runClient({
      host: '127.0.0.1', port, count: 200,
      bodyFor: (i) => (i % 100 === 7 ? Buffer.alloc(3 << 20, 0x62) : null),
    });
    const exit = await sensor.exited;
    assert.equal(exit.code, 0, sensor.stderr);
    assert.equal(done.length, 200);
    assertStoredExactly(dir, done.map((c) => c.path));
    assert.match(sensor.stderr, /capture lo: [\d,]+ pkt\/s, [\d,]+ flows, [\d,]+ exchanges/);
    assert.match(sensor.stderr, /libpcap [\d,]+ received \/ 0 dropped, [\d,]+ gap bytes/);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('capture inside a network namespace sees a client in another one', {
  timeout: 120_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const pair = createNetnsPair();
  if (typeof pair === 'string') return t.skip(pair);
  const dir = tempDir();
  const children: Array<{ kill(s: NodeJS.Signals): void; exited: Promise<unknown> }> = [];
  try {
    const server = startLoad(['server', '--host', pair.addrA, '--port', '8080'], {
      netns: pair.a, timeoutMs: 100_000,
    });
    children.push(server);
    await server.waitFor(/"listening":8080/, 30_000);
    const sensor = startShadowtap(captureArgs(dir, pair.ifA, 8080, ['--duration', '12s']), {
      netns: pair.a, timeoutMs: 90_000,
    });
    children.push(sensor);
    await sensor.waitFor(READY, 30_000);
    const client = startLoad(
      ['client', '--host', pair.addrA, '--port', '8080', '--count', '200', '--prefix', '/ns'],
      { netns: pair.b, timeoutMs: 60_000 },
    );
    children.push(client);
    assert.equal((await client.exited).code, 0, client.stderr);
    const done = (JSON.parse(client.stdout) as { completed: Completed[] }).completed;
    const exit = await sensor.exited;
    assert.equal(exit.code, 0, sensor.stderr);
    assert.equal(done.length, 200);
    assertStoredExactly(dir, done.map((c) => c.path));
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    pair.remove();
  }
});

test('SIGTERM in the middle of a load: every exchange completed before it is stored', {
  timeout: 90_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const server = await startServer('127.0.0.1');
  const dir = tempDir();
  const stop = new AbortController();
  try {
    const port = portOf(server);
    const sensor = startShadowtap(captureArgs(dir, 'lo', port, []), { timeoutMs: 60_000 });
    await sensor.waitFor(READY, 30_000);
    const load = runClient({
      host: '127.0.0.1', port, count: 200_000, concurrency: 8, prefix: '/load',
      signal: stop.signal,
    });
    await new Promise((r) => setTimeout(r, 2_000));
    const signalledAt = Date.now();
    sensor.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300)); // the load goes on past the signal
    stop.abort();
    const done = await load;
    const exit = await sensor.exited;
    assert.equal(exit.code, 0, sensor.stderr);
    const before = done.filter((c) => c.doneAt < signalledAt).map((c) => c.path);
    assert.ok(before.length > 20, `only ${before.length} requests before the signal`);
    const stored = new Set(exchangeUris(join(dir, 'ex.jsonl')));
    const missing = before.filter((p) => !stored.has(p));
    assert.deepEqual(missing, [], `${missing.length} of ${before.length} completed exchanges lost`);
    const counts = storedCounts(join(dir, 'st.db'));
    assert.equal(counts.runExchanges, stored.size);
    assert.equal(counts.endpointRequests, stored.size);
    assert.equal(counts.finished, true);
  } finally {
    stop.abort();
    server.closeAllConnections();
    server.close();
  }
});

test('--retention-days prunes, at a checkpoint, endpoints seen long before the live packets', {
  timeout: 90_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const dir = tempDir();
  const db = join(dir, 'st.db');
  // A corpus capture from 2013: its endpoints are older than 30 days of the capture
  // time the live packets bring.
  const oldCapture = join(CORPUS, 'pcaps', 'gzip-response.pcap');
  if (!existsSync(oldCapture)) return t.skip(`${oldCapture} not found (the shared corpus)`);
  const replay = shadowtap(['replay', oldCapture, '--db', db, '--no-report']);
  assert.equal(replay.status, 0, replay.stderr);
  const d = new Database(db, { readonly: true });
  const old = d.prepare('SELECT COUNT(*) AS n, MAX(last_seen) AS t FROM endpoints').get() as {
    n: number; t: number;
  };
  d.close();
  assert.ok(old.n > 0 && old.t < Date.now() / 1000 - 31 * 86_400);
  const server = await startServer('127.0.0.1');
  try {
    const port = portOf(server);
    const sensor = startShadowtap(
      captureArgs(dir, 'lo', port, ['--duration', '6s', '--retention-days', '30']),
      { timeoutMs: 50_000 },
    );
    await sensor.waitFor(READY, 30_000);
    const done = await runClient({ host: '127.0.0.1', port, count: 20 });
    const exit = await sensor.exited;
    assert.equal(exit.code, 0, sensor.stderr);
    assert.match(sensor.stderr, new RegExp(`retention: pruned ${old.n} endpoint\\(s\\)`));
    const stored = storedCounts(db);
    assert.equal(stored.endpointRequests, done.length); // only the live traffic is left
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a second signal while finishing exits at once, 143, with one line', {
  timeout: 60_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const dir = tempDir();
  const sensor = startShadowtap(captureArgs(dir, 'lo', 9, []), { timeoutMs: 50_000 });
  await sensor.waitFor(READY, 30_000);
  sensor.kill('SIGTERM');
  await sensor.waitFor(/SIGTERM: stopping/, 10_000);
  sensor.kill('SIGTERM');
  const exit = await sensor.exited;
  assert.equal(exit.code, 143);
  // Finishing an idle capture is quick: the second signal may come while it closes.
  assert.match(sensor.stderr, /^shadowtap: SIGTERM while (finishing|closing): .*$/m);
});

test('--user: root is dropped after opening; the database is handed to the user', {
  timeout: 60_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  let nobody: { uid: number; gid: number };
  try {
    nobody = lookupUser('nobody');
  } catch {
    return t.skip('no user nobody on this machine');
  }
  const server = await startServer('127.0.0.1');
  const dir = tempDir(); // root's, mode 0700: the user could not create a file here
  try {
    const port = portOf(server);
    const sensor = startShadowtap(
      captureArgs(dir, 'lo', port, ['--duration', '6s', '--user', 'nobody']),
      { timeoutMs: 50_000 },
    );
    await sensor.waitFor(READY, 30_000);
    const done = await runClient({ host: '127.0.0.1', port, count: 50 });
    const exit = await sensor.exited;
    assert.equal(exit.code, 0, sensor.stderr);
    assert.match(sensor.stderr, /running as nobody/);
    assert.equal(statSync(join(dir, 'st.db')).uid, nobody.uid);
    assert.equal(storedCounts(join(dir, 'st.db')).runExchanges, done.length);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('operator mistakes are one line and exit 1', { timeout: 60_000 }, async (t) => {
  if (skipWhy !== null && !skipWhy.startsWith('capturing needs root')) return t.skip(skipWhy);
  const db = join(tempDir(), 'st.db');
  const oneLine = (res: { status: number | null; stderr: string }, pattern: RegExp) => {
    assert.equal(res.status, 1, res.stderr);
    assert.equal(res.stderr.trimEnd().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, pattern);
  };
  oneLine(
    shadowtap(['capture', '--interface', 'st-nope0', '--db', db]),
    /^shadowtap: interface 'st-nope0' not found; capture devices here: .*\blo\b/,
  );
  const noPermission = /^shadowtap: capturing on 'lo' needs CAP_NET_RAW/;
  if (skipWhy !== null) {
    // Not root: this run itself shows the missing privilege; the filter check needs it.
    oneLine(shadowtap(['capture', '--interface', 'lo', '--db', db]), noPermission);
    return t.skip(`bad filter check: ${skipWhy}`);
  }
  oneLine(
    shadowtap(['capture', '--interface', 'lo', '--filter', 'tcp port', '--db', db]),
    /^shadowtap: --filter 'tcp port': .*syntax error/,
  );
  const setpriv = spawnSync('setpriv', ['--version'], { encoding: 'utf8' });
  if (setpriv.status !== 0) return t.skip('setpriv not installed: no unprivileged run');
  const res = spawnSync('setpriv', [
    '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath,
    ...shadowtapNodeArgs(), 'capture', '--interface', 'lo', '--db', db,
  ], { encoding: 'utf8', timeout: 30_000 });
  oneLine(res, noPermission);
  assert.doesNotMatch(res.stderr, /at .*\.js:\d+/); // no stack trace
});

/** node's arguments for the CLI, as helpers/cli.ts runs it. */
function shadowtapNodeArgs(): string[] {
  const src = import.meta.url.endsWith('.ts');
  const entry = new URL(src ? '../src/cli/main.ts' : '../src/cli/main.js', import.meta.url);
  return src ? ['--import', 'tsx', entry.pathname] : [entry.pathname];
}

/** One GET with an API key; resolves when the response has been read (or failed). */
function getWithKey(port: number, path: string, key: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path,
      headers: { host: 'shop.test', 'x-api-key': key } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', () => resolve());
    req.setTimeout(10_000, () => req.destroy());
  });
}

test('capture --train-for: trains on the first seconds, saves the model, then scores', {
  timeout: 120_000,
}, async (t) => {
  if (skipWhy !== null) return t.skip(skipWhy);
  const server = await startServer('127.0.0.1');
  const dir = tempDir();
  const model = join(dir, 'models', 'lo.json');
  const jsonl = join(dir, 'alerts.jsonl');
  try {
    const port = portOf(server);
    const sensor = startShadowtap(captureArgs(dir, 'lo', port, ['--duration', '14s',
      '--train-for', '5s', '--model', model, '--seed', '3', '--alerts-jsonl', jsonl]),
    { timeoutMs: 90_000 });
    await sensor.waitFor(READY, 30_000);
    // Ordinary calls from three API keys while training: four client-windows by its end.
    let stop = false;
    const ordinary = (async () => {
      for (let i = 0; !stop && i < 200; i++) {
        await getWithKey(port, `/products/${(i * 7919) % 1000}`, `key-${i % 3}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await sensor.waitFor(/abuse: trained \S+ \(/, 30_000);
    stop = true;
    await ordinary;
    // Then an id walk, one at a time: the enumeration detector goes on all along.
    await runClient({ host: '127.0.0.1', port, count: 30, concurrency: 1, prefix: '/users' });
    const exit = await sensor.exited;
    assert.equal(exit.code, 0, sensor.stderr);
    const trained = loadModelFile(model, limitsWith());
    assert.equal(trained.seed, 3);
    assert.equal(trained.training.windowSec, 5);
    assert.ok(trained.training.rows >= 4, JSON.stringify(trained.training));
    assert.match(sensor.stderr, /, abuse \(scoring\) [\d,]+ alerts \/ 0 dropped/);
    assert.match(sensor.stderr, /abuse: [\d,]+ alert\(s\), scored with a model; 0 exchange/);
    const lines = readFileSync(jsonl, 'utf8').split('\n').filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { detector: string; clientAddress: string; run: number });
    assert.ok(lines.some((a) => a.detector === 'enumeration' && a.clientAddress === '127.0.0.1'));
    const db = new Database(join(dir, 'st.db'), { readonly: true });
    try {
      const n = db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number };
      assert.equal(n.n, lines.length);
    } finally {
      db.close();
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('capture\'s abuse mistakes are one line, before any capture opens', () => {
  const dir = tempDir();
  const db = join(dir, 'st.db');
  const args = ['capture', '--interface', 'lo', '--db', db];
  const oneLine = (extra: string[], status: number, pattern: RegExp): void => {
    const res = shadowtap([...args, ...extra]);
    assert.equal(res.status, status, res.stderr);
    assert.equal(res.stderr.trimEnd().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, pattern);
  };
  oneLine(['--model', join(dir, 'none.json')], 1, /^shadowtap: model .*none\.json/);
  writeFileSync(join(dir, 'bad.json'), '{"format":"other"}');
  oneLine(['--model', join(dir, 'bad.json')], 1, /^shadowtap: model .*bad\.json: /);
  oneLine(['--seed', '4'], 2, /^shadowtap: --seed is the seed of --train-for/);
  oneLine(['--train-for', '0s'], 2, /^shadowtap: --train-for takes a duration/);
  oneLine(['--train-for', '1h', '--model', db], 2, /would overwrite the file given as --db/);
  assert.equal(existsSync(db), false);
});

test('prune keeps what was seen within N days of the latest capture', { timeout: 60_000 }, () => {
  const db = join(tempDir(), 'st.db');
  const replay = shadowtap(['replay', 'samples/petstore.pcap', '--db', db, '--no-report']);
  assert.equal(replay.status, 0, replay.stderr);
  const read = () => {
    const d = new Database(db, { readonly: true });
    try {
      return d.prepare('SELECT last_seen FROM endpoints').all() as Array<{ last_seen: number }>;
    } finally {
      d.close();
    }
  };
  const before = read();
  // The latest capture time: the run's last packet (a FIN may come after the last request).
  const d = new Database(db, { readonly: true });
  const latest = (d.prepare('SELECT MAX(capture_last) AS t FROM runs').get() as { t: number }).t;
  d.close();
  assert.ok(latest >= Math.max(...before.map((r) => r.last_seen)));
  const kept = shadowtap(['prune', '--db', db, '--older-than-days', '1']);
  assert.equal(kept.status, 0, kept.stderr);
  assert.equal(read().length, before.filter((r) => r.last_seen >= latest - 86_400).length);
  const res = shadowtap(['prune', '--db', db, '--older-than-days', '0']);
  assert.equal(res.status, 0, res.stderr);
  const after = read();
  assert.equal(after.length, before.filter((r) => r.last_seen >= latest).length);
  assert.ok(after.length < before.length);
  assert.match(res.stderr, /pruned \d+ endpoint\(s\) last seen before /);
});
