/**
 * npm run bench — issue 6's throughput and memory benchmark. For each profile it
 * generates a capture once into bench/out/ (kept for the next run), replays it
 * with 0, 1, 2 and 4 flow workers and runs tshark's HTTP field extraction on the
 * same file, a few times each in turns, then prints the table, the 2-worker
 * speed-up and the targets, and writes everything to bench/out/results.json.
 * Run from the repository root after `npm run build`:
 *
 *   npm run bench -- [--profiles a,b] [--mb N] [--runs N] [--workers 0,1,2,4]
 *                    [--tshark-runs N] [--no-tshark] [--quick] [--big] [--seed N]
 *                    [--results NAME]
 *
 * --quick: 10 MB captures, one run each. --big: also a 2 GB small-json capture,
 * replayed once with 2 workers (peak memory target; tshark is not run on it);
 * `--profiles '' --big` runs that one alone. --results names the file in bench/out;
 * --from F1,F2 prints the tables of saved results files instead of running.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCached } from './gen/generate.js';
import { PROFILE_NAMES, profileNamed, type ProfileName } from './gen/profiles.js';
import { runOurs, runTshark, type Measurement } from './measure.js';
import { speedUp, table, targets, type CaptureResult, type ConfigResult } from './results.js';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: PROFILE_NAMES.join(',') },
    mb: { type: 'string' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '0,1,2,4' },
    'tshark-runs': { type: 'string' },
    'no-tshark': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    big: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    results: { type: 'string', default: 'results.json' },
    from: { type: 'string' },
  },
});

if (values.from !== undefined) {
  // Only print: the tables of earlier runs, merged (e.g. a size-limited run and --big).
  const captures = values.from.split(',').flatMap((f) =>
    (JSON.parse(readFileSync(f, 'utf8')) as { captures: CaptureResult[] }).captures);
  printResults(captures);
  process.exit(0);
}

const root = process.cwd();
const out = resolve(root, 'bench', 'out');
const cli = resolve(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(cli)) throw new Error(`${cli} not found: run npm run build first`);
for (const d of ['db', 'key']) mkdirSync(join(out, d), { recursive: true });
// One database per bench process, so two benches running at once do not share one.
const db = join(out, 'db', `bench-${process.pid}.db`);
const setup = { cli, db, secretFile: join(out, 'key', 'secret') };

const runs = values.quick ? 1 : positive('--runs', values.runs!);
const tsharkRuns = values['tshark-runs'] === undefined ? runs
  : positive('--tshark-runs', values['tshark-runs']);
const workers = values.workers!.split(',').map((w) => positive('--workers', w, true));
const mbOverride = values.mb !== undefined ? positive('--mb', values.mb) : values.quick ? 10 : null;
const seed = Number(values.seed);
const tshark = !values['no-tshark'] && tsharkVersion() !== null;

interface Plan { label: string; profile: ProfileName; mb: number; workers: number[];
  runs: number; tshark: boolean }
const plans: Plan[] = values.profiles!.split(',').filter((n) => n.trim() !== '').map((name) => {
  const p = profileNamed(name.trim());
  return { label: p.name, profile: p.name, mb: mbOverride ?? p.benchMb, workers, runs, tshark };
});
if (values.big) {
  plans.push({ label: 'small-json 2 GB', profile: 'small-json', mb: 2000, workers: [2], runs: 1,
    tshark: false });
}

const started = new Date();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length,
  memoryGb: Number((totalmem() / 2 ** 30).toFixed(1)), kernel: release(), node: process.version,
  tshark: tsharkVersion(), loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
};
note(`${machine.cores} × ${machine.cpu}, load average ${machine.loadAverageAtStart.join(' ')}`);
if (!tshark) note('tshark not run: ' + (values['no-tshark'] ? '--no-tshark' : 'not installed'));

const captures: CaptureResult[] = [];
for (const plan of plans) {
  const file = join(out, `${plan.profile}-${plan.mb}mb-seed${seed}.pcap`);
  const t0 = performance.now();
  const bytes = plan.mb * 1e6;
  const generated = generateCached({ profile: plan.profile, bytes, seed, out: file });
  note(`${plan.label}: ${generated.cached ? 'reusing' : 'generated'} ${file} ` +
    `(${(generated.bytes / 1e6).toFixed(0)} MB, ${generated.packets.toLocaleString('en-US')} ` +
    `packets, ${generated.exchanges.toLocaleString('en-US')} exchanges, ` +
    `${generated.peakOpenFlows.toLocaleString('en-US')} flows open at most` +
    `${generated.cached ? '' : `, ${((performance.now() - t0) / 1000).toFixed(1)} s`})`);
  const { cached: _, ...counts } = generated;
  const configs: ConfigResult[] = plan.workers.map((w) => ({ tool: 'shadowtap', workers: w,
    runs: [] }));
  if (plan.tshark) configs.push({ tool: 'tshark', workers: null, runs: [] });
  const capture: CaptureResult = { label: plan.label, generated: counts, configs };
  captures.push(capture);
  // Settings take turns run by run, so a burst of load elsewhere hits all of them.
  for (let i = 0; i < Math.max(plan.runs, plan.tshark ? tsharkRuns : 0); i++) {
    for (const cfg of configs) {
      const wanted = cfg.tool === 'tshark' ? tsharkRuns : plan.runs;
      if (i >= wanted) continue;
      const m = cfg.tool === 'tshark'
        ? await runTshark(file, out)
        : await runOurs(setup, file, cfg.workers!);
      cfg.runs.push(m);
      note(`  ${cfg.tool === 'tshark' ? 'tshark' : `workers ${cfg.workers}`} run ${i + 1}: ` +
        describe(m, generated.bytes));
    }
  }
  save();
}

printResults(captures);
save();
for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
process.stdout.write(`\nresults: ${join(out, values.results!)}\n`);

/** The table, the speed-ups over 0 workers and the targets, on stdout. */
function printResults(captures: CaptureResult[]): void {
  process.stdout.write(`\n${table(captures)}\n\n`);
  for (const c of captures) {
    const up = [1, 2, 4].map((w) => [w, speedUp(c, w)] as const).filter(([, x]) => x !== null);
    if (up.length > 0) {
      process.stdout.write(`${c.label}: speed-up over workers 0: ` +
        `${up.map(([w, x]) => `${w} workers ${x!.toFixed(2)} ×`).join(', ')}\n`);
    }
  }
  process.stdout.write('\n');
  for (const t of targets(captures)) {
    const verdict = t.met === null ? 'not measured' : t.met ? 'met' : 'NOT met';
    process.stdout.write(`target: ${t.target}: ${t.measured}: ${verdict}\n`);
  }
}

function save(): void {
  const results = {
    date: started.toISOString(), finished: new Date().toISOString(),
    machine: { ...machine, loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))) },
    options: { runs, tsharkRuns, workers, mb: mbOverride, seed, big: values.big },
    captures, targets: targets(captures),
  };
  writeFileSync(join(out, values.results!), JSON.stringify(results, null, 2) + '\n');
}

function describe(m: Measurement, bytes: number): string {
  const rss = m.peakRssMb === null ? '' : `, peak RSS ${m.peakRssMb.toFixed(0)} MB`;
  const cpu = m.cpuSeconds === null ? '' : `, CPU ${m.cpuSeconds.toFixed(1)} s`;
  return `${m.wallSeconds.toFixed(2)} s (${(bytes / 1e6 / m.wallSeconds).toFixed(1)} MB/s)` +
    `${cpu}${rss}, ${m.exchanges.toLocaleString('en-US')} exchanges`;
}

function tsharkVersion(): string | null {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : null;
}

function positive(name: string, value: string, zeroOk = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) {
    throw new Error(`${name} takes a whole number${zeroOk ? '' : ' above 0'}, not '${value}'`);
  }
  return n;
}

function note(line: string): void {
  process.stderr.write(line + '\n');
}
