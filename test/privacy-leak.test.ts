// The sensor must never become the leak: after replaying every corpus capture with
// its partial catalog, none of the planted personal data nor any credential the
// clients sent may appear in the database files (WAL included), in any report
// format, or in what the run printed. Values come from truth.json at test time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shadowtap, tempDir } from './helpers/cli.js';
import { plantedSecrets } from './helpers/review.js';
import { CORPUS } from './source-helpers.js';

const TRAFFIC = join(CORPUS, 'traffic');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).map((f) => join(dir, f));
}

const folders = existsSync(TRAFFIC)
  ? readdirSync(TRAFFIC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
  : [];

for (const name of folders) {
  test(`${name}: no planted value or credential is stored, reported or logged`, async () => {
    const dir = join(TRAFFIC, name);
    const secrets = plantedSecrets(name);
    assert.ok(secrets.length > 10, 'the capture plants values to look for');
    const work = tempDir();
    const db = join(work, 'st.db');
    const catalog = join(dir, 'catalog-partial.json');
    const outputs: string[] = [];
    const replay = shadowtap(['replay', join(dir, 'capture.pcap'), '--catalog', catalog, '--db', db,
      '--format', 'json']);
    assert.equal(replay.status, 0, replay.stderr);
    outputs.push(replay.stdout, replay.stderr);
    const report = JSON.parse(replay.stdout) as { endpoints: Array<{ pii: unknown[] }> };
    assert.ok(report.endpoints.some((e) => e.pii.length > 0), 'PII was found and reported');
    for (const format of ['table', 'md', 'json']) {
      const r = shadowtap(['report', '--db', db, '--format', format]);
      assert.equal(r.status, 0, r.stderr);
      outputs.push(r.stdout, r.stderr);
    }
    const stored = filesUnder(work).filter((f) => /st\.db/.test(f)).map((f) => readFileSync(f));
    assert.ok(stored.length >= 1);
    for (const s of secrets) {
      const needle = Buffer.from(s, 'utf8');
      for (const bytes of stored) assert.equal(bytes.indexOf(needle), -1, `database holds ${s}`);
      for (const text of outputs) assert.ok(!text.includes(s), `output holds ${s}`);
    }
  });
}
