// The offline HTML report on every corpus capture: one file that loads nothing from
// anywhere (a policy allowing only its own inline script and style), whose embedded
// data has the same rows as `report --format json`, and that holds no planted value
// or credential; and the capture loss it lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shadowtap, tempDir } from './helpers/cli.js';
import { CORPUS } from './source-helpers.js';
import {
  corpusCaptures, jsonReport, leaked, plantedSecrets, replayCapture, type JsonEndpoint,
} from './helpers/review.js';

for (const name of corpusCaptures()) {
  test(`${name}: self-contained page with the JSON report's rows and no planted value`, () => {
    const { db, dir } = replayCapture(name);
    const file = join(dir, 'r.html');
    const r = shadowtap(['report', '--db', db, '--format', 'html', '--out', file]);
    assert.equal(r.status, 0, r.stderr);
    const html = readFileSync(file, 'utf8');
    assert.deepEqual(leaked(html, plantedSecrets(name)), []);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp !== undefined);
    const policy = csp.replaceAll('&#39;', "'");
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /connect-src 'none'/);
    assert.doesNotMatch(html, /\s(src|href)="(https?:)?\/\//i, 'no outside reference');
    const data = /<script type="application\/json" id="shadowtap-data">([^<]*)<\/script>/
      .exec(html)?.[1];
    assert.ok(data !== undefined && data.length > 0);
    const page = JSON.parse(data) as { report: { endpoints: JsonEndpoint[] };
      details: unknown[] };
    const json = jsonReport(db);
    const pick = (rows: JsonEndpoint[]) => rows.filter((e) => e.status === 'shadow');
    assert.deepEqual(pick(page.report.endpoints), pick(json.endpoints));
    assert.deepEqual(page.report.endpoints.map((e) => [e.host, e.method, e.path, e.status]),
      json.endpoints.map((e) => [e.host, e.method, e.path, e.status]));
    assert.equal(page.details.length, json.endpoints.length);
  });
}

test('the page lists capture loss: the 14 bytes gap-simple lost, on their endpoint', (t) => {
  const file = join(CORPUS, 'pcaps', 'gap-simple.pcap');
  if (!existsSync(file)) return t.skip(`${file} not found (the shared corpus)`);
  const dir = tempDir();
  const db = join(dir, 'st.db');
  const replay = shadowtap(['replay', file, '--db', db, '--no-report']);
  assert.equal(replay.status, 0, replay.stderr);
  const out = join(dir, 'r.html');
  const r = shadowtap(['report', '--db', db, '--format', 'html', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const data = /<script type="application\/json" id="shadowtap-data">([^<]*)<\/script>/
    .exec(readFileSync(out, 'utf8'))?.[1];
  const page = JSON.parse(data ?? '{}') as { summary: { loss: unknown[] } };
  assert.deepEqual(page.summary.loss, [
    { host: '127.0.0.1', method: 'GET', path: '/{id}', gapBytes: 14, requests: 3 },
  ]);
});
