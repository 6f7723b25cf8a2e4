// Capture loss per endpoint, end to end: a capture with a missing segment is
// replayed, and the database and the report name the bytes missing on the endpoint
// they fell in (or, for a request lost whole, on its host), beside the run's total.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { limitsWith } from '../src/config/limits.js';
import { HostLossTally, OTHER_LOSS_HOST } from '../src/pipeline/loss.js';
import type { Report } from '../src/report/model.js';
import { shadowtap, tempDir } from './helpers/cli.js';
import { dropPackets } from './helpers/pcap-edit.js';
import { CORPUS } from './source-helpers.js';

const corpus = join(CORPUS, 'pcaps');

interface Loss {
  runGapBytes: number;
  endpoints: string[];
  hosts: string[];
  markdown: string;
}

/** Replays `file` into a fresh database; what the JSON and Markdown reports say of loss. */
function replayLoss(file: string): Loss {
  const db = join(tempDir(), 'st.db');
  const replay = shadowtap(['replay', file, '--db', db, '--no-report', '--no-abuse']);
  assert.equal(replay.status, 0, replay.stderr);
  const json = shadowtap(['report', '--db', db, '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  const r = JSON.parse(json.stdout) as Report;
  const md = shadowtap(['report', '--db', db, '--format', 'md']);
  assert.equal(md.status, 0, md.stderr);
  return {
    runGapBytes: r.run!.gapBytes,
    endpoints: r.endpoints.map((e) => `${e.host} ${e.method} ${e.path}: ${e.gapBytes}`),
    hosts: r.hostLoss.map((h) => `${h.host}: ${h.gapBytes}`),
    markdown: md.stdout,
  };
}

test('gap-simple: the 14 bytes missing from a response body are on its endpoint', (t) => {
  const file = join(corpus, 'gap-simple.pcap');
  if (!existsSync(file)) return t.skip(`${file} not found (the shared corpus)`);
  const loss = replayLoss(file);
  assert.equal(loss.runGapBytes, 14);
  assert.deepEqual(loss.endpoints, ['127.0.0.1 GET /{id}: 14']);
  assert.deepEqual(loss.hosts, []);
  assert.match(loss.markdown, /## capture loss\n\n.* 14 in run 1, the latest;/);
  assert.match(loss.markdown, /\| 127\.0\.0\.1 \| GET \| `\/\{id\}` \| 14 \| 3 \|/);
});

test('a response lost whole is charged to the endpoint of the request without it', (t) => {
  const file = join(corpus, '1000-requests-one-dropped-response.pcap.gz');
  if (!existsSync(file)) return t.skip(`${file} not found (the shared corpus)`);
  const loss = replayLoss(file);
  assert.equal(loss.runGapBytes, 238);
  assert.deepEqual(loss.endpoints, ['localhost GET /: 238']);
  assert.deepEqual(loss.hosts, []);
});

test('a request segment deleted from a capture: its bytes are charged to the host', (t) => {
  const file = join(corpus, 'gap-simple.pcap');
  if (!existsSync(file)) return t.skip(`${file} not found (the shared corpus)`);
  // Packet 11 is `GET /2` (40 bytes); its response, now without a request, keeps
  // the 14-byte hole gap-simple already has: no exchange can be charged with either.
  const cut = join(tempDir(), 'gap-simple-no-request-2.pcap');
  dropPackets(file, cut, [11]);
  const loss = replayLoss(cut);
  assert.equal(loss.runGapBytes, 40 + 14);
  assert.deepEqual(loss.endpoints, ['127.0.0.1 GET /{id}: 0']);
  assert.deepEqual(loss.hosts, ['127.0.0.1: 54']);
  assert.match(loss.markdown, /\| 127\.0\.0\.1 \| {2}\| \(outside any exchange\) \| 54 \| {2}\|/);
});

test('loss is summed per host, and hosts past the limit share one row', () => {
  const tally = new HostLossTally(limitsWith({ maxLossHosts: 2 }));
  tally.add({ host: 'Shop.test:8080', serverIp: '10.0.0.2', bytes: 10, ts: 5 });
  tally.add({ host: '', serverIp: '10.0.0.3', bytes: 7, ts: 6 });
  tally.add({ host: 'shop.test', serverIp: '10.0.0.2', bytes: 1, ts: 4 });
  tally.add({ host: 'other.test', serverIp: '10.0.0.4', bytes: 3, ts: 9 });
  tally.add({ host: 'more.test', serverIp: '10.0.0.5', bytes: 2, ts: 8 });
  assert.deepEqual(tally.take(), [
    { host: OTHER_LOSS_HOST, gapBytes: 5, lastSeen: 9 },
    { host: '10.0.0.3', gapBytes: 7, lastSeen: 6 },
    { host: 'shop.test', gapBytes: 11, lastSeen: 5 },
  ]);
  assert.deepEqual(tally.take(), []);
});
