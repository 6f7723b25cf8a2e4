// Regressions from hostile captures (test/fixtures/hostile/README.md): a damaged chunk
// size once made the parser run backwards for ever. Each must end, count the damage,
// and keep every request tshark sees around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shadowtap, tempDir } from './helpers/cli.js';
import { haveTshark, tsharkExchanges } from './helpers/tshark.js';

const DIR = join(process.cwd(), 'test', 'fixtures', 'hostile');
const CASES = ['hang_chunk_neg_req', 'hang_chunk_neg_resp', 'hang_chunk_minus0', 'http_chunk_2_64'];

for (const name of CASES) {
  test(`regression: ${name} ends, counts a parse error and keeps the requests around it`, (t) => {
    const dir = tempDir();
    const file = join(DIR, `${name}.pcap`);
    const out = join(dir, 'ex.jsonl');
    const res = shadowtap(['replay', file, '--db', join(dir, 'a.db'), '--workers', '0',
      '--exchanges', out, '--no-report', '--no-abuse']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stderr, /http-parse-error 1/);
    const uris = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).uri);
    assert.equal(uris[0], '/api/before');
    assert.equal(uris.at(-1), '/api/after');
    assert.ok(uris.includes('/tail'), uris.join(' '));
    if (!haveTshark()) return t.skip('tshark not installed: cannot compare with the reference');
    assert.deepEqual(uris, tsharkExchanges(file).map((e) => e.uri));
  });
}
