// The capture-based abuse benchmark (bench/abuse-capture.ts), pinned on its small
// scenario: pcaps written, `shadowtap train` on the clean period, `replay --model`
// on the attacked one, alerts read back from --alerts-jsonl. The target
// must hold: every attack type detected, recall >= 0.9, <= 1% of benign windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meetsTarget, runCaptureBenchmark } from '../bench/abuse-capture.js';
import { ATTACK_TYPES, SCENARIOS } from '../bench/abuse-synth.js';

test('bench:abuse small scenario through captures and the CLI meets the target', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shadowtap-abuse-bench-'));
  try {
    const r = runCaptureBenchmark(SCENARIOS.small!, dir, { selfFit: false });
    // Every request written came back as an exchange and was scored.
    assert.match(r.replayLines.join('\n'),
      new RegExp(`abuse: .* ${r.exchanges.test.toLocaleString('en-US')} exchanges`));
    for (const t of ATTACK_TYPES) {
      assert.ok(r.trained.recall[t].windows > 0, `${t}: no attack windows`);
      assert.ok(r.trained.recall[t].detected > 0, `${t}: not detected`);
    }
    assert.ok(r.trained.benignWindows > 100, 'too few benign windows to measure');
    assert.ok(meetsTarget(r.trained), JSON.stringify(r.trained));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
