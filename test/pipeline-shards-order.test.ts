// Regression: a shard's rounds reached its worker out of order whenever rounds
// waited in piscina's queue (a one-thread pool ran them 0,1,3,4,5,2,...), so a
// live capture, whose batches are small and frequent, saw holes in streams that
// were whole on the wire. Small batches through workers must give what one
// in-process shard gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitsWith } from '../src/config/limits.js';
import { Ingest } from '../src/pipeline/ingest.js';
import { openCapture } from '../src/source/open.js';
import type { CapturedPacket } from '../src/source/types.js';

const SAMPLE = 'samples/petstore.pcap';

async function packets(): Promise<CapturedPacket[]> {
  const all: CapturedPacket[] = [];
  const source = await openCapture(SAMPLE, limitsWith());
  for await (const batch of source.batches()) {
    for (const p of batch) all.push({ ...p, data: Uint8Array.from(p.data) });
  }
  return all;
}

async function ingestInBatches(all: CapturedPacket[], size: number, workers: number) {
  const ingest = new Ingest({
    limits: limitsWith(), workers, exchangesPath: null, secret: new Uint8Array(32),
  });
  for (let i = 0; i < all.length; i += size) await ingest.push(all.slice(i, i + size));
  await ingest.finish();
  return { exchanges: ingest.totals.exchanges, anomalies: ingest.anomalies.counts };
}

test('rounds of one packet through two workers give what one in-process shard gives', {
  timeout: 120_000,
}, async () => {
  const all = await packets();
  const reference = await ingestInBatches(all, all.length, 0);
  assert.ok(reference.exchanges > 50);
  assert.equal(reference.anomalies['tcp-gap'] ?? 0, 0);
  const small = await ingestInBatches(all, 1, 2);
  assert.deepEqual(small, reference);
});
