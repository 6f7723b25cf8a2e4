// Accuracy of the PII detectors on the labelled set (test/fixtures/pii-labelled.jsonl,
// made by scripts/make-pii-set.ts) and on the planted values of the corpus truth
// files: overall precision and recall must both reach 0.97 (PEERS.md: the libraries
// users would otherwise pick reach 0.48-0.74).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  evaluate, harvestCorpus, loadLabelled, precision, recall,
} from '../bench/pii-eval.js';
import { CORPUS } from './source-helpers.js';

const root = process.cwd();

function report(name: string, ev: ReturnType<typeof evaluate>): string {
  const wrong = ev.mistakes.slice(0, 10).map((m) => `${m.c.field ?? '-'}: expected ` +
    `${m.c.kinds.join('+') || 'none'}, got ${m.predicted.join('+') || 'none'}`);
  return `${name}: precision ${precision(ev.overall).toFixed(3)}, recall ` +
    `${recall(ev.overall).toFixed(3)}; ${wrong.join('; ')}`;
}

test('labelled set: overall precision and recall >= 0.97, every kind represented', () => {
  const cases = loadLabelled(join(root, 'test/fixtures/pii-labelled.jsonl'), 'labelled');
  assert.ok(cases.length >= 400, `only ${cases.length} labelled lines`);
  const decoys = cases.filter((c) => c.kinds.length === 0).length;
  assert.ok(decoys >= 150, `only ${decoys} decoys`);
  const ev = evaluate(cases);
  for (const [kind, s] of ev.perKind) assert.ok(s.tp + s.fn >= 8, `${kind}: ${s.tp + s.fn} labels`);
  assert.ok(precision(ev.overall) >= 0.97 && recall(ev.overall) >= 0.97, report('labelled', ev));
});

test('corpus truth files: planted values found, unplanted query and path values not', (t) => {
  const dir = join(CORPUS, 'traffic');
  if (!existsSync(dir)) {
    t.skip('corpus not present at ../shared/corpus/traffic');
    return;
  }
  const cases = harvestCorpus(dir);
  assert.ok(cases.length > 0, 'no truth.json found');
  const ev = evaluate(cases);
  assert.ok(precision(ev.overall) >= 0.97 && recall(ev.overall) >= 0.97, report('corpus', ev));
});
