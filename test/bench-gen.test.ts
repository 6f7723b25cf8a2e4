// The benchmark's capture generator is honest: a tiny capture of each profile,
// replayed, holds exactly the exchanges the generator says it wrote, tshark sees
// the same requests, and the same seed writes the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generate } from '../bench/gen/generate.js';
import { PROFILE_NAMES, type ProfileName } from '../bench/gen/profiles.js';
import { limitsWith } from '../src/config/limits.js';
import { replay, type ReplaySummary } from '../src/pipeline/replay.js';
import { Store } from '../src/store/db.js';
import { tempDir } from './helpers/cli.js';
import { haveTshark, tsharkExchanges } from './helpers/tshark.js';

const SECRET = randomBytes(32);
const TINY = 300_000;
const dir = tempDir('shadowtap-bench-gen-');

async function replayFile(file: string, workers: number): Promise<ReplaySummary> {
  const store = Store.open(join(tempDir(), 'bench-gen.db'));
  try {
    return await replay({ files: [file], catalog: null, store, workers, exchangesPath: null,
      force: false, limits: limitsWith(), secret: SECRET, command: 'test' });
  } finally {
    store.close();
  }
}

const tshark = haveTshark();

for (const profile of PROFILE_NAMES) {
  test(`${profile}: a replay finds every exchange the generator wrote`, async (t) => {
    const file = join(dir, `${profile}.pcap`);
    const g = generate({ profile, bytes: TINY, seed: 7, out: file });
    assert.ok(g.exchanges > 0, 'the capture holds exchanges');
    assert.equal(readFileSync(file).length, g.bytes);
    const s = await replayFile(file, 0);
    assert.equal(s.packets, g.packets);
    assert.equal(s.flows, g.connections);
    assert.equal(s.exchanges, g.exchanges);
    assert.equal(s.gaps, 0);
    // Bodies past the kept-body limit are counted by design (large-bodies has them).
    const { 'body-over-limit': _over, ...others } = s.anomalies;
    assert.deepEqual(others, {}, 'no other anomaly in well-formed traffic');
    if (!tshark) {
      t.skip('tshark not installed: the reference count was not checked');
      return;
    }
    const seen = tsharkExchanges(file);
    assert.equal(seen.length, g.exchanges);
    assert.equal(seen.filter((x) => x.status !== null).length, g.exchanges);
  });
}

test('the same seed writes the same bytes; another seed, other bytes', () => {
  const one = (seed: number, name: string): Buffer => {
    const file = join(dir, name);
    generate({ profile: 'interleaved', bytes: 100_000, seed, out: file });
    return readFileSync(file);
  };
  const a = one(3, 'a.pcap');
  assert.ok(a.equals(one(3, 'b.pcap')));
  assert.ok(!a.equals(one(4, 'c.pcap')));
});

test('frames carry correct IP and TCP checksums and lengths (tshark expert info)', (t) => {
  if (!tshark) {
    t.skip('tshark not installed: checksums not checked');
    return;
  }
  const file = join(dir, 'check.pcap');
  generate({ profile: 'small-json' satisfies ProfileName, bytes: 100_000, seed: 5, out: file });
  const res = spawnSync('tshark', ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o',
    'tcp.check_checksum:TRUE', '-Y', 'ip.checksum.status == 0 || tcp.checksum.status == 0 ' +
    '|| tcp.analysis.flags || _ws.malformed || _ws.expert.severity >= warning'],
  { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  assert.equal(res.stdout.trim(), '', 'no frame is flagged');
});

// Found by this benchmark: a one-thread piscina pool ran queued rounds out of order
// (piscinajs/piscina#1031), so a shard saw segments late and declared gaps.
test('interleaved: 2 workers find the same exchanges as 0, with no gap', async () => {
  const file = join(dir, 'workers.pcap');
  const g = generate({ profile: 'interleaved', bytes: 2_000_000, seed: 9, out: file });
  const s = await replayFile(file, 2);
  assert.equal(s.exchanges, g.exchanges);
  assert.equal(s.gaps, 0);
});
