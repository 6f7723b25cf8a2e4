// Abuse alerts at the command line (src/cli/commands/alerts.ts, train.ts and the
// replay options): what a user runs, on captures of ../shared/corpus/traffic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Alert } from '../src/abuse/alerts.js';
import { parseTrustedProxies } from '../src/abuse/identity.js';
import { save } from '../src/abuse/model-file.js';
import { limitsWith } from '../src/config/limits.js';
import { replay } from '../src/pipeline/replay.js';
import type { ReplayAbuseOptions } from '../src/pipeline/abuse-run.js';
import type { AlertJson } from '../src/store/alerts.js';
import { Store } from '../src/store/db.js';
import { shadowtap, tempDir } from './helpers/cli.js';
import { CORPUS } from './source-helpers.js';

const TRAFFIC = join(CORPUS, 'traffic');
const capture = (name: string) => join(TRAFFIC, name, 'capture.pcap');
const HAVE = ['oai-petstore-expanded', 'vampi'].every((c) => existsSync(capture(c)));
const SKIP = '../shared/corpus/traffic is not here';

interface TruthRequest {
  concretePath: string;
  wireTemplate: string | null;
  queryString: string;
  auth: { value: string } | null;
}

function truth(name: string): TruthRequest[] {
  const t = JSON.parse(readFileSync(join(TRAFFIC, name, 'truth.json'), 'utf8')) as {
    requests: TruthRequest[];
  };
  return t.requests;
}

/** A fresh folder with db/ inside: the secret must live apart from databases. */
function newDir(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'db'));
  return dir;
}

function replayArgs(dir: string, name: string, extra: string[] = []): string[] {
  return ['replay', capture(name), '--db', join(dir, 'db', `${name}.db`), '--no-report',
    '--secret-file', join(dir, 'secret'), ...extra];
}

function jsonLines(file: string): AlertJson[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AlertJson);
}

/** No credential, concrete path or query string of the capture in any of `texts`. */
function assertNoRawValues(name: string, texts: string[]): void {
  for (const r of truth(name)) {
    const credential = r.auth?.value.split(' ').pop();
    const concrete = r.wireTemplate !== null && r.concretePath !== r.wireTemplate;
    for (const text of texts) {
      if (credential) assert.ok(!text.includes(credential), `${name}: credential in alerts`);
      if (concrete) assert.ok(!text.includes(r.concretePath), `${name}: ${r.concretePath}`);
      if (r.queryString) assert.ok(!text.includes(r.queryString), `${name}: a query string`);
    }
  }
}

function packetSeconds(stderr: string): number {
  const m = /packet pipeline: ([\d.]+) s/.exec(stderr);
  assert.ok(m, stderr);
  return Number(m[1]);
}

test('replay stores alerts; alerts prints them as JSON and a table; the JSONL file matches',
  (t) => {
    if (!HAVE) return t.skip(SKIP);
    const dir = newDir();
    const jsonl = join(dir, 'alerts.jsonl');
    const db = join(dir, 'db', 'oai-petstore-expanded.db');
    const run = shadowtap(replayArgs(dir, 'oai-petstore-expanded', ['--alerts-jsonl', jsonl]));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /abuse: 1 alert\(s\) \(enumeration 1\)/);
    const res = shadowtap(['alerts', '--db', db, '--format', 'json']);
    assert.equal(res.status, 0, res.stderr);
    const alerts = JSON.parse(res.stdout) as AlertJson[];
    assert.equal(alerts.length, 1);
    const [a] = alerts;
    assert.equal(a!.detector, 'enumeration');
    assert.equal(a!.clientAddress, '127.0.0.7');
    assert.deepEqual(Object.keys(a!).sort(), ['client', 'clientAddress', 'detector',
      'endpoints', 'examples', 'reasons', 'run', 'score', 'threshold', 'window']);
    assert.ok(a!.window.start > 1.5e9 && a!.window.end >= a!.window.start);
    assert.ok(a!.score >= a!.threshold);
    assert.equal(a!.endpoints[0]!.method, 'GET');
    assert.match(a!.reasons[0]!.feature, /^sequentialIds:/);
    assert.deepEqual(jsonLines(jsonl), alerts);
    assert.equal(statSync(jsonl).mode & 0o777, 0o600);
    assertNoRawValues('oai-petstore-expanded', [res.stdout, readFileSync(jsonl, 'utf8')]);
    // --since: capture time, epoch seconds or ISO.
    const after = shadowtap(['alerts', '--db', db, '--format', 'json', '--since',
      String(Math.ceil(a!.window.end + 1))]);
    assert.deepEqual(JSON.parse(after.stdout), []);
    const iso = new Date((a!.window.end - 1) * 1000).toISOString();
    const before = shadowtap(['alerts', '--db', db, '--format', 'json', '--since', iso]);
    assert.equal((JSON.parse(before.stdout) as AlertJson[]).length, 1);
    const table = shadowtap(['alerts', '--db', db]);
    assert.match(table.stdout, /enumeration/);
    assert.match(table.stdout, /127\.0\.0\.7/);
    assert.equal(shadowtap(['alerts', '--db', db, '--since', 'yesterday']).status, 2);
    // Replaying again appends to the JSONL file, and the run is new.
    const again = shadowtap(replayArgs(dir, 'oai-petstore-expanded',
      ['--alerts-jsonl', jsonl, '--force']));
    assert.equal(again.status, 0, again.stderr);
    const lines = jsonLines(jsonl);
    assert.equal(lines.length, 2);
    assert.notEqual(lines[1]!.run, lines[0]!.run);
  });

test('a model trained by the CLI, saved and loaded, scores as in memory; no raw values',
  async (t) => {
    if (!HAVE) return t.skip(SKIP);
    const dir = newDir();
    const file = join(dir, 'models', 'petstore.json');
    const trained = shadowtap(['train', capture('oai-petstore-expanded'), '--model', file,
      '--seed', '11', '--workers', '0']);
    assert.equal(trained.status, 0, trained.stderr);
    assert.match(trained.stderr, /trained .*client-windows/);
    // Training twice with the same seed gives the same file, byte for byte.
    const file2 = join(dir, 'models', 'again.json');
    assert.equal(shadowtap(['train', capture('oai-petstore-expanded'), '--model', file2,
      '--seed', '11']).status, 0);
    assert.equal(readFileSync(file2, 'utf8'), readFileSync(file, 'utf8'));
    const jsonl = join(dir, 'scored.jsonl');
    const scored = shadowtap(replayArgs(dir, 'vampi', ['--model', file, '--alerts-jsonl', jsonl]));
    assert.equal(scored.status, 0, scored.stderr);
    assert.match(scored.stderr, /the given model/);
    const fromFile = jsonLines(jsonl);

    // The same, in memory: train in a replay, score with the model object never saved.
    const secret = randomBytes(32);
    const run = async (name: string, abuse: Partial<ReplayAbuseOptions>) => {
      const store = Store.open(':memory:');
      try {
        return await replay({
          files: [capture(name)], catalog: null, store, workers: 0, exchangesPath: null,
          force: false, limits: limitsWith(), secret, command: 'test',
          abuse: { model: null, trustedProxies: parseTrustedProxies([]), timeoutSec: 60, ...abuse },
        });
      } finally {
        store.close();
      }
    };
    const model = (await run('oai-petstore-expanded', { train: { seed: 11, windowSec: 60 } }))
      .abuse?.fitted;
    assert.ok(model);
    assert.equal(save(model) + '\n', readFileSync(file, 'utf8'));
    const inMemory = (await run('vampi', { model })).abuse!.alerts;
    const forest = (as: Array<Alert | AlertJson>) => as
      .filter((a) => a.detector === 'isolation-forest')
      .map((a) => [a.clientAddress, a.client !== null, a.window.start, a.score]);
    assert.ok(forest(inMemory).length > 0, 'the test needs forest alerts to compare');
    assert.deepEqual(forest(fromFile), forest(inMemory));
    // Forest alerts name principals (tokens) and endpoints (templates), nothing raw.
    assert.ok(fromFile.some((a) => a.client !== null && /^[a-z]+:tk_/.test(a.client)));
    const listed = shadowtap(['alerts', '--db', join(dir, 'db', 'vampi.db'), '--format', 'json']);
    assert.deepEqual(JSON.parse(listed.stdout), fromFile);
    assertNoRawValues('vampi', [listed.stdout, readFileSync(jsonl, 'utf8')]);
  });

test('a slow model holds up the end of a replay, never its packets; the alerts are the same',
  (t) => {
    if (!HAVE) return t.skip(SKIP);
    const dir = newDir();
    const name = 'oai-petstore-expanded';
    const plain = shadowtap(replayArgs(dir, name, ['--alerts-jsonl', join(dir, 'plain.jsonl')]));
    assert.equal(plain.status, 0, plain.stderr);
    const DELAY_MS = 5000;
    process.env.SHADOWTAP_TEST_ABUSE_DELAY_MS = String(DELAY_MS);
    let slow;
    let late;
    try {
      slow = shadowtap(replayArgs(dir, name, ['--force', '--alerts-jsonl',
        join(dir, 'slow.jsonl')]));
      // Out of time: nothing scored, said so on stderr, the run still ends well.
      late = shadowtap(replayArgs(dir, name, ['--force', '--abuse-timeout', '1']));
    } finally {
      delete process.env.SHADOWTAP_TEST_ABUSE_DELAY_MS;
    }
    assert.equal(slow.status, 0, slow.stderr);
    const base = packetSeconds(plain.stderr);
    const delayed = packetSeconds(slow.stderr);
    // Every task of the abuse worker now sleeps 5 s. Were the packet path waiting on
    // it, the packet phase would take at least that long; it is not a timing target,
    // so the bound is generous (a busy machine slows both runs alike).
    assert.ok(delayed < DELAY_MS / 1000 && delayed < 3 * base + 1,
      `packet phase ${delayed} s with a slow model, ${base} s without`);
    assert.match(slow.stderr, /scored ([5-9]|\d\d+)\.\d+ s after the packets/);
    const strip = (as: AlertJson[]) => as.map(({ run: _run, ...rest }) => rest);
    assert.deepEqual(strip(jsonLines(join(dir, 'slow.jsonl'))),
      strip(jsonLines(join(dir, 'plain.jsonl'))));
    assert.equal(late.status, 0, late.stderr);
    assert.match(late.stderr, /abuse: not scored: 283 exchange\(s\).*time limit of 1 s/);
  });
