/**
 * Command line of the capture generator:
 *
 *   node dist/bench/gen/main.js --profile small-json --mb 100 [--seed 1] [--out FILE]
 *
 * Prints the counts of what was written as one JSON object on stdout.
 */
import { parseArgs } from 'node:util';
import { generate } from './generate.js';
import { PROFILE_NAMES, profileNamed } from './profiles.js';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'small-json' },
    mb: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write('usage: main.js --profile NAME --mb N [--seed N] [--out FILE]\n' +
    `profiles: ${PROFILE_NAMES.join(', ')}\n`);
} else {
  const profile = profileNamed(values.profile!);
  const mb = Number(values.mb);
  if (!(mb > 0)) throw new Error(`--mb takes a positive number, not '${values.mb}'`);
  const out = values.out ?? `${profile.name}-${values.mb}mb.pcap`;
  const t0 = performance.now();
  const bytes = Math.round(mb * 1e6);
  const r = generate({ profile: profile.name, bytes, seed: Number(values.seed), out });
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ ...r, seconds: Number(seconds.toFixed(2)) }) + '\n');
}
