// A smaller version of the synthetic abuse benchmark, pinned: trained on an attack-free
// hour, every attack type is detected, recall >= 0.9 overall, <= 1% of benign windows
// flagged; and the generator gives the same streams for the same scenario.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACK_TYPES, generate, runBenchmark, SCENARIOS } from '../bench/abuse-synth.js';

const small = SCENARIOS.small;

test('the small benchmark scenario meets the target', () => {
  assert.ok(small !== undefined);
  const { trained } = runBenchmark(small);
  for (const t of ATTACK_TYPES) {
    const r = trained.recall[t];
    assert.ok(r.windows > 0, `${t}: no attack windows generated`);
    assert.ok(r.detected > 0, `${t}: not detected`);
  }
  assert.ok(trained.overallRecall >= 0.9, `recall ${trained.overallRecall}`);
  assert.ok(trained.benignWindows > 100, `only ${trained.benignWindows} benign windows`);
  assert.ok(trained.benignFlagged / trained.benignWindows <= 0.01,
    `${trained.benignFlagged}/${trained.benignWindows} benign windows flagged`);
});

test('fitted on the scored period itself, floods and credential stuffing are found', () => {
  // The detectors that read the server's own verdicts (refused logins, 429) find
  // them, and the forest no longer learns them as usual: before, the self-fitted
  // forest found none of the small scenario's flood windows (recall 0.6 overall).
  assert.ok(small !== undefined);
  const { selfFit } = runBenchmark(small);
  for (const t of ['flood', 'credential-stuffing', 'enumeration'] as const) {
    assert.equal(selfFit.recall[t].detected, selfFit.recall[t].windows, t);
  }
  assert.ok(selfFit.overallRecall >= 0.75, `recall ${selfFit.overallRecall}`);
  assert.ok(selfFit.benignFlagged / selfFit.benignWindows <= 0.01,
    `${selfFit.benignFlagged}/${selfFit.benignWindows} benign windows flagged`);
});

test('the generator is deterministic per scenario and seed', () => {
  assert.ok(small !== undefined);
  const a = generate(small);
  const b = generate(small);
  assert.deepEqual(a.test, b.test);
  assert.deepEqual(a.clients, b.clients);
  const c = generate({ ...small, seed: small.seed + 1 });
  assert.notDeepEqual(c.test.slice(0, 50), a.test.slice(0, 50));
  // Attackers only appear in the scored period.
  const attackers = new Set(a.clients.filter((x) => x.attack !== null).map((x) => x.address));
  assert.ok(a.train.every((e) => !attackers.has(e.clientAddress)));
  assert.ok(a.test.some((e) => attackers.has(e.clientAddress)));
});
