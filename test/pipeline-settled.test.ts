// Sampling of the personal-data scan once a field has settled: when locations
// settle and come undone, and that a replay gives the same findings, counts and
// tokens with sampling as without, for any worker count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { generate } from '../bench/gen/generate.js';
import { limitsWith } from '../src/config/limits.js';
import { replay, type ReplaySummary } from '../src/pipeline/replay.js';
import {
  SETTLE_SIGHTINGS, SettledFields, tallyValue, type LocationTally,
} from '../src/pipeline/settled.js';
import { Store } from '../src/store/db.js';
import { tempDir } from './helpers/cli.js';

const KEY = 'api.example\0GET\0/users/{}';

function tally(
  values: ReadonlyArray<readonly [string, string | number, 'email' | null, boolean]>,
): LocationTally {
  const t: LocationTally = {};
  for (const [at, value, kind, whole] of values) {
    tallyValue(t, at, { value, kind, confidence: kind === null ? 0 : 0.9, whole });
  }
  return t;
}

const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

test('a location settles after enough sightings: as nothing, or as its one kind', () => {
  const f = new SettledFields(10);
  const half = SETTLE_SIGHTINGS / 2;
  const round = (): LocationTally => tally([
    ...times(half, (i) => ['response|body:/id', i, null, false] as const),
    ...times(half, (i) => ['response|body:/email', `u${i}@example.com`, 'email', true] as const),
    ...times(half, () => ['response|body:/note', 'call me later', null, false] as const),
    ...times(half, (i) => ['response|body:/ref', i % 2 === 0 ? `u${i}@example.com` : 'x',
      i % 2 === 0 ? 'email' : null, true] as const),
  ]);
  f.absorb(0, [[KEY, round()]]);
  assert.deepEqual(f.takeUpTo(0), [], 'not yet seen often enough');
  f.absorb(1, [[KEY, round()]]);
  // Free text (note) and a mix of hits and misses (ref) never settle.
  assert.deepEqual(f.takeUpTo(1), [
    [KEY, 'response|body:/email', { kind: 'email', confidence: 0.9 }],
    [KEY, 'response|body:/id', 'none'],
  ]);
  // A full scan that finds a different behaviour undoes it.
  f.absorb(2, [[KEY, tally([['response|body:/id', '555-0100 call', null, false]])]]);
  assert.deepEqual(f.takeUpTo(2), [[KEY, 'response|body:/id', null]]);
});

test('a round gets only what had settled by the rounds handed out to it', () => {
  const f = new SettledFields(10);
  const many = tally(times(SETTLE_SIGHTINGS, (i) => ['request|query:page', i, null, false]));
  f.absorb(0, []);
  f.absorb(1, [[KEY, many]]);
  f.absorb(2, []);
  assert.deepEqual(f.takeUpTo(0), []);
  assert.deepEqual(f.takeUpTo(2), [[KEY, 'request|query:page', 'none']]);
  assert.deepEqual(f.takeUpTo(5), [], 'each change is handed out once');
});

test('sampling keeps the findings, counts and tokens of a full scan, any workers', async () => {
  const dir = tempDir('shadowtap-settled-');
  const file = join(dir, 'small.pcap');
  generate({ profile: 'small-json', bytes: 2_000_000, seed: 11, out: file });
  const secret = randomBytes(32);
  const runOnce = async (workers: number, fullScanEvery: number) => {
    const store = Store.open(join(tempDir(), 'st.db'));
    try {
      const summary: ReplaySummary = await replay({
        files: [file], catalog: null, store, workers, exchangesPath: null, force: false,
        limits: limitsWith({ fullScanEvery, batchPackets: 256 }), secret, command: 'test',
      });
      const endpoints = store.endpoints().map((e) => ({
        key: `${e.host} ${e.method} ${e.template}`, requests: e.requests, pii: e.pii,
      }));
      return { summary, endpoints };
    } finally {
      store.close();
    }
  };
  const full = await runOnce(0, 1);
  const sampled = await runOnce(0, 8);
  const sampledTwo = await runOnce(2, 8);
  assert.equal(full.summary.scans?.sampled, 0);
  assert.ok((sampled.summary.scans?.sampled ?? 0) > full.summary.exchanges / 4,
    `${sampled.summary.scans?.sampled} of ${full.summary.exchanges} exchanges sampled`);
  assert.deepEqual(sampledTwo.summary.scans, sampled.summary.scans);
  assert.ok(full.endpoints.some((e) => Object.keys(e.pii).length > 0), 'the capture has PII');
  assert.deepEqual(sampled.endpoints, full.endpoints);
  assert.deepEqual(sampledTwo.endpoints, full.endpoints);
});
