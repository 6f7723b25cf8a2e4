// The command line end to end on the bundled sample: what a user sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { shadowtap, tempDir } from './helpers/cli.js';
import { haveTshark, tsharkExchanges } from './helpers/tshark.js';
import { CORPUS } from './source-helpers.js';

const SAMPLE = 'samples/petstore.pcap';
const CATALOG = 'samples/petstore.openapi.yaml';

interface JsonReport {
  endpoints: Array<{ host: string; method: string; path: string; status: string; requests: number;
    statusCodes: Record<string, number>; auth: string[]; firstSeen: number; lastSeen: number }>;
  unseen: Array<{ method: string; path: string }>;
}

function replayJson(dir: string, extra: string[] = []): JsonReport {
  const res = shadowtap(['replay', SAMPLE, '--catalog', CATALOG, '--db', join(dir, 'st.db'),
    '--format', 'json', ...extra]);
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout) as JsonReport;
}

const key = (e: { method: string; path: string }) => `${e.method} ${e.path}`;

test('the sample shows exactly the operations its catalog leaves out as shadow', () => {
  const report = replayJson(tempDir());
  const by = (status: string) =>
    report.endpoints.filter((e) => e.status === status).map(key).sort();
  assert.deepEqual(by('shadow'), [
    'GET /api/v1/admin/export',
    'GET /api/v1/users/{username}/sessions',
    'POST /api/v1/internal/debug/reindex',
  ]);
  assert.deepEqual(by('zombie'), ['GET /api/v1/pets/{petId}/legacy-photo']);
  assert.deepEqual(by('not-found'), ['GET /.env', 'GET /wp-login.php']);
  assert.ok(by('documented').includes('GET /api/v1/users/me'));
  assert.ok(by('documented').includes('GET /api/v1/pets/findByStatus'));
  assert.deepEqual(report.unseen.map(key), ['GET /api/v1/inventory']);
  const pets = report.endpoints.find((e) => key(e) === 'GET /api/v1/pets/{petId}');
  assert.ok(pets);
  assert.equal(pets.requests, 24);
  assert.deepEqual(pets.auth, ['bearer', 'jwt']); // a bearer token that is a JWT
  assert.equal(pets.host, 'petstore.internal.test');
  assert.ok(pets.firstSeen > 1.7e9 && pets.lastSeen >= pets.firstSeen);
});

test('every worker count gives the same report', () => {
  const strip = (r: JsonReport) => JSON.stringify(r.endpoints);
  const zero = strip(replayJson(tempDir(), ['--workers', '0']));
  assert.equal(strip(replayJson(tempDir(), ['--workers', '1'])), zero);
  assert.equal(strip(replayJson(tempDir(), ['--workers', '2'])), zero);
});

test('a file already replayed into the database is skipped, so counts never double', () => {
  const dir = tempDir();
  const first = replayJson(dir);
  const res = shadowtap(['replay', SAMPLE, '--db', join(dir, 'st.db'), '--format', 'json']);
  assert.equal(res.status, 0);
  assert.match(res.stderr, /already replayed/);
  assert.match(res.stderr, /nothing new to replay/);
  assert.doesNotMatch(res.stderr, /HTTP exchanges 0/);
  const again = JSON.parse(res.stdout) as JsonReport;
  assert.deepEqual(again.endpoints.map((e) => e.requests), first.endpoints.map((e) => e.requests));
  const forced = replayJson(dir, ['--force']);
  assert.equal(
    forced.endpoints.reduce((s, e) => s + e.requests, 0),
    2 * first.endpoints.reduce((s, e) => s + e.requests, 0),
  );
});

test('report reads the database with the catalog of the last replay, in every format', () => {
  const dir = tempDir();
  const replayed = replayJson(dir);
  const db = join(dir, 'st.db');
  const json = shadowtap(['report', '--db', db, '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual((JSON.parse(json.stdout) as JsonReport).endpoints, replayed.endpoints);
  const md = shadowtap(['report', '--db', db, '--format', 'md']);
  assert.match(md.stdout, /## shadow \(3\)/);
  assert.match(md.stdout, /`\/api\/v1\/admin\/export`/);
  const table = shadowtap(['report', '--db', db]);
  assert.match(table.stdout, /shadow/);
  assert.match(table.stdout, /\/api\/v1\/internal\/debug\/reindex/);
});

test('--exchanges writes one line per exchange, mode 0600, equal to tshark', (t) => {
  const dir = tempDir();
  const out = join(dir, 'ex.jsonl');
  const res = shadowtap(['replay', SAMPLE, '--db', join(dir, 'st.db'), '--exchanges', out,
    '--no-report']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /0600/);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 88);
  assert.match(lines[0].client, /^127\.0\.0\.1:\d+$/);
  assert.equal(lines[0].server, '127.0.0.1:18080');
  if (!haveTshark()) {
    t.skip('tshark not installed: cannot compare with the reference');
    return;
  }
  const want = tsharkExchanges(SAMPLE);
  assert.deepEqual(
    lines.map((l) => ({ method: l.method, host: l.host, uri: l.uri, status: l.status })),
    want,
  );
});

test('bad input: one line naming the file, exit 1; usage mistakes exit 2', () => {
  const dir = tempDir();
  const notCapture = join(dir, 'notes.txt');
  writeFileSync(notCapture, 'hello, this is not a capture file at all\n');
  const bad = shadowtap(['replay', notCapture, '--db', join(dir, 'st.db')]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.ok(bad.stderr.includes(notCapture));
  assert.doesNotMatch(bad.stderr, /\n\s+at /);

  const missing = shadowtap(['replay', join(dir, 'nope.pcap'), '--db', join(dir, 'st.db')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.pcap/);

  const badCatalog = join(dir, 'spec.yaml');
  writeFileSync(badCatalog, 'openapi: 3.0.0\npaths: [unclosed\n');
  const cat = shadowtap(['replay', SAMPLE, '--catalog', badCatalog, '--db', join(dir, 'st.db')]);
  assert.equal(cat.status, 1);
  assert.ok(cat.stderr.includes('spec.yaml'), cat.stderr);
  assert.equal(cat.stderr.trim().split('\n').length, 1, cat.stderr);

  const usage = shadowtap(['replay', SAMPLE, '--workers', 'many']);
  assert.equal(usage.status, 2);
  for (const cmd of ['replay', 'capture']) {
    const scan = shadowtap([cmd, SAMPLE, '--interface', 'lo', '--full-scan-every', 'half']);
    assert.equal(scan.status, 2, scan.stderr);
    assert.match(scan.stderr, /--full-scan-every takes a whole number/);
  }
  const noArgs = shadowtap(['replay']);
  assert.equal(noArgs.status, 2);
});

test('a truncated capture keeps the packets before the cut and warns "truncated"', () => {
  const dir = tempDir();
  const cut = join(dir, 'cut.pcap');
  copyFileSync(SAMPLE, cut);
  const whole = readFileSync(SAMPLE);
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  const res = shadowtap(['replay', cut, '--db', join(dir, 'st.db'), '--format', 'json']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /truncated/);
  const report = JSON.parse(res.stdout) as JsonReport;
  const requests = report.endpoints.reduce((s, e) => s + e.requests, 0);
  assert.ok(requests > 30 && requests < 88, `kept ${requests} requests`);
});

test('regression: an output path that is an input is refused and the input is kept', () => {
  const dir = tempDir();
  const cap = join(dir, 'victim.pcap');
  copyFileSync(SAMPLE, cap);
  const before = readFileSync(cap);
  for (const args of [
    ['replay', cap, '--exchanges', cap, '--db', join(dir, 'a.db')],
    ['replay', cap, '--db', cap],
    ['replay', cap, '--out', cap, '--db', join(dir, 'b.db')],
  ]) {
    const res = shadowtap(args);
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /would overwrite/);
    assert.deepEqual(readFileSync(cap), before);
  }
  const db = join(dir, 'c.db');
  assert.equal(shadowtap(['replay', cap, '--db', db, '--no-report']).status, 0);
  const res = shadowtap(['report', '--db', db, '--out', db]);
  assert.equal(res.status, 2);
  assert.equal(shadowtap(['report', '--db', db, '--format', 'json']).status, 0);
});

test('regression: --exchanges refuses a symlink and leaves a device mode alone', () => {
  const dir = tempDir();
  const target = join(dir, 'target.txt');
  writeFileSync(target, 'keep me\n', { mode: 0o644 });
  const link = join(dir, 'link.jsonl');
  symlinkSync(target, link);
  const res = shadowtap(['replay', SAMPLE, '--db', join(dir, 'a.db'), '--exchanges', link]);
  assert.equal(res.status, 2, res.stderr);
  assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
  assert.equal(statSync(target).mode & 0o777, 0o644);
  const nullMode = statSync('/dev/null').mode & 0o777;
  const ok = shadowtap(['replay', SAMPLE, '--db', join(dir, 'b.db'), '--exchanges', '/dev/null',
    '--no-report']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(statSync('/dev/null').mode & 0o777, nullMode);
});

test('regression: an output that cannot be written is refused before the replay runs', () => {
  const dir = tempDir();
  const db = join(dir, 'st.db');
  for (const [args, why] of [
    [['--out', join(dir, 'nosuch', 'r.txt')], /--out: the directory .*nosuch does not exist/],
    [['--exchanges', dir], /--exchanges is a directory/],
  ] as const) {
    const res = shadowtap(['replay', SAMPLE, '--db', db, ...args]);
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, why);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.equal(existsSync(db), false, 'no database, so a fixed rerun is not skipped');
  }
});

test('regression: a failed replay leaves no database behind', () => {
  const dir = tempDir();
  const db = join(dir, 'new.db');
  const res = shadowtap(['replay', join(dir, 'nosuch.pcap'), '--db', db]);
  assert.equal(res.status, 1);
  assert.equal(existsSync(db), false);
});

test('regression: the same content twice in one replay is counted once', () => {
  const dir = tempDir();
  const copy = join(dir, 'copy.pcap');
  copyFileSync(SAMPLE, copy);
  const res = shadowtap(['replay', SAMPLE, copy, '--db', join(dir, 'a.db'), '--format', 'json']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /same content/);
  const report = JSON.parse(res.stdout) as JsonReport;
  assert.equal(report.endpoints.reduce((s, e) => s + e.requests, 0), 88);
});

test('regression: files replayed together keep all exchanges whatever their time order', (t) => {
  const other = join(CORPUS, 'traffic', 'vampi', 'capture.pcap');
  if (!existsSync(other)) return t.skip('corpus capture missing: ../shared/corpus/traffic/vampi');
  const dir = tempDir();
  // The sample was captured later than the corpus file: given first, its clock
  // used to make the corpus flows look idle, and they were closed between rounds.
  for (const workers of ['0', '2']) {
    const out = join(dir, `ex${workers}.jsonl`);
    const res = shadowtap(['replay', SAMPLE, other, '--db', join(dir, `w${workers}.db`),
      '--workers', workers, '--exchanges', out, '--no-report']);
    assert.equal(res.status, 0, res.stderr);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 88 + 918);
    assert.equal(lines.filter((l) => l.status === null).length, 0);
  }
});
