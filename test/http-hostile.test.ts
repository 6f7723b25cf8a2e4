// Regressions from hostile captures (test/fixtures/hostile/README.md): a damaged chunk
// size once made the parser run backwards for ever. Each must end, count the damage,
// and keep every request tshark sees around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { FlowEngine } from '../src/reassembly/engine.js';
import { openCapture } from '../src/source/open.js';
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

test('regression: a client-only capture with gaps emits requests as it goes', async () => {
  // oneway_gaps_8.pcap: one keep-alive connection whose server side was not captured,
  // 4,000 requests with 100 bytes missing every 500. Each gap used to leave a
  // placeholder at the head of the request queue that held every later request back
  // until the flow ended (memory grew with the capture, time with its square).
  const anomalies = new AnomalyCounter();
  // A small reassembly buffer declares each hole soon, as a long capture would.
  const limits = limitsWith({ maxBufferedSegmentsPerDirection: 16 });
  const decoder = new PacketDecoder(limits, anomalies);
  const engine = new FlowEngine(limits, anomalies);
  let beforeEnd = 0;
  const source = await openCapture(join(DIR, 'oneway_gaps_8.pcap'));
  for await (const batch of source.batches()) {
    for (const p of batch) {
      const seg = decoder.decode(p);
      if (seg !== null) engine.push(seg);
    }
    beforeEnd += engine.drain().length;
  }
  engine.finish();
  const atEnd = engine.drain().length;
  assert.equal(beforeEnd + atEnd, 4002);
  assert.ok(beforeEnd >= 3900, `${beforeEnd} exchanges before the end of the flow`);
});

test('regression: one packet stamped far in the future does not close live flows', () => {
  const dir = tempDir();
  const res = shadowtap(['replay', join(DIR, 'ts_future_arp.pcap'), '--db', join(dir, 'a.db'),
    '--workers', '2', '--no-report', '--no-abuse']);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /HTTP exchanges 3,000\b/);
});
