// export overlay: the endpoints a reviewer accepted, as a valid OpenAPI 3.1 document
// that, loaded beside the partial catalog, documents exactly those endpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Store } from '../src/store/db.js';
import { shadowtap } from './helpers/cli.js';
import {
  corpusCaptures, jsonReport, leaked, plantedSecrets, replayCapture, rowKeys, TRAFFIC,
  type JsonReport,
} from './helpers/review.js';

for (const name of corpusCaptures()) {
  test(`${name}: accepted shadow endpoints join the catalog through the overlay`, async () => {
    const { db, dir } = replayCapture(name);
    const before = jsonReport(db);
    const shadow = before.endpoints.filter((e) => e.status === 'shadow');
    assert.ok(shadow.length > 0);
    const empty = shadowtap(['export', 'overlay', '--db', db]);
    assert.equal(empty.status, 0, empty.stderr);
    assert.deepEqual(JSON.parse(empty.stdout).paths, {}, 'nothing accepted yet');

    const store = Store.open(db);
    for (const e of shadow) {
      store.setTriage({ host: e.host, method: e.method, template: e.template,
        verdict: 'accepted', note: 'known', who: 'tester', at: 1 });
    }
    store.close();
    const file = join(dir, 'overlay.json');
    const r = shadowtap(['export', 'overlay', '--db', db, '--out', file]);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    const doc = JSON.parse(text) as { openapi: string; paths: Record<string, object> };
    assert.equal(doc.openapi, '3.1.0');
    await SwaggerParser.validate(structuredClone(doc) as never);
    assert.deepEqual(leaked(text, plantedSecrets(name)), []);

    const partial = join(TRAFFIC, name, 'catalog-partial.json');
    const withOverlay = shadowtap(['report', '--db', db, '--catalog', partial, '--catalog', file,
      '--format', 'json']);
    assert.equal(withOverlay.status, 0, withOverlay.stderr);
    const after = JSON.parse(withOverlay.stdout) as JsonReport;
    const key = (e: { host: string; method: string; template: string }) =>
      `${e.host} ${e.method} ${e.template}`;
    const wanted = new Set(shadow.map(key));
    const now = after.endpoints.filter((e) => wanted.has(key(e)));
    assert.deepEqual(now.map((e) => e.status), shadow.map(() => 'documented'),
      rowKeys(now.filter((e) => e.status !== 'documented')).join(', '));
    assert.equal(after.endpoints.filter((e) => e.status === 'shadow').length, 0);
    // Nothing else changed its verdict.
    const others = (rep: JsonReport) => rep.endpoints.filter((e) => !wanted.has(key(e)))
      .map((e) => `${key(e)} ${e.status}`).sort();
    assert.deepEqual(others(after), others(before));
  });
}
