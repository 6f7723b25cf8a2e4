/**
 * Synthetic abuse benchmark: event streams of ordinary clients (browsers, mobile
 * apps, services, batch jobs, operators) with attacks injected from a few others
 * (id enumeration, credential stuffing, scraping, injection probes, floods). A
 * model is trained on an attack-free period, then the attack period is scored,
 * and the recall per attack type and the share of benign client-windows flagged
 * are printed. The scenario definitions are reused by the capture-based
 * `npm run bench:abuse` once the pipeline exists.
 *
 *   npx tsx bench/abuse-synth.ts [scenario]      (scenarios: default, small)
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_LIMITS, type Limits } from '../src/config/limits.js';
import { analyseEvents, trainOnEvents, type Analysis } from '../src/abuse/analyse.js';
import type { Alert } from '../src/abuse/alerts.js';
import { detectProbes } from '../src/abuse/detectors.js';
import { exampleLine, type ClientEvent } from '../src/abuse/events.js';
import { loginOutcome } from '../src/abuse/identity.js';
import { mulberry32 } from '../src/abuse/random.js';
import {
  ATTACK_TYPES, attacker, BENIGN, type AttackType, type Emit, type Rng,
} from './abuse-synth-profiles.js';

export { ATTACK_TYPES, type AttackType } from './abuse-synth-profiles.js';

/** A benchmark setup: how many of whom, for how long, and the PRNG seed. */
export interface Scenario {
  name: string;
  seed: number;
  /** Ordinary clients per profile. */
  benign: Record<keyof typeof BENIGN, number>;
  /** Attackers per attack type, each active for a block of minutes in the test period. */
  attackers: Record<AttackType, number>;
  trainMinutes: number;
  testMinutes: number;
  /** Minutes each attacker is active. */
  attackMinutes: number;
}

/** The scenarios: `default` for the printed benchmark, `small` pinned by a test. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.freeze({
  default: {
    name: 'default', seed: 20240605,
    benign: { browser: 16, mobile: 10, service: 8, batch: 4, ops: 2 },
    attackers: { enumeration: 2, 'credential-stuffing': 2, scraping: 2, injection: 2, flood: 2 },
    trainMinutes: 120, testMinutes: 60, attackMinutes: 8,
  },
  small: {
    name: 'small', seed: 7,
    benign: { browser: 6, mobile: 4, service: 3, batch: 2, ops: 1 },
    attackers: { enumeration: 1, 'credential-stuffing': 1, scraping: 1, injection: 1, flood: 1 },
    trainMinutes: 60, testMinutes: 20, attackMinutes: 5,
  },
});

/** One synthetic client and what it is. */
export interface SynthClient {
  id: string;
  address: string;
  profile: string;
  attack: AttackType | null;
}

/** A generated stream: training events, test events, and who is who. */
export interface SynthStream {
  scenario: Scenario;
  clients: SynthClient[];
  train: ClientEvent[];
  test: ClientEvent[];
}

const START = 1_700_000_000;
const HOST = 'shop.example.test';

/** Makes ClientEvents the way the pipeline will: probes detected, logins classified. */
function makeEmitter(out: ClientEvent[], limits: Limits): (c: SynthClient) => Emit {
  return (c) => (ts, r) => {
    let path = r.template;
    for (const [k, v] of Object.entries(r.params ?? {})) path = path.replace(`{${k}}`, v);
    out.push({
      ts, clientAddress: c.address, principal: r.principal, host: HOST, method: r.method,
      template: r.template, params: r.params ?? {}, status: r.status,
      responseBytes: r.bytes, userAgent: r.userAgent, shadow: r.template.startsWith('/internal/'),
      loginAttempt: loginOutcome(r.method, path, r.status),
      probes: detectProbes({ path, query: r.query ?? '', body: r.body ?? '' }, limits),
      example: exampleLine(r.method, r.template),
    });
  };
}

function byTime(a: ClientEvent, b: ClientEvent): number {
  return a.ts - b.ts || (a.clientAddress < b.clientAddress ? -1 : 1);
}

/**
 * Runs a scenario's clients: each benign profile over the training and the test
 * period, each attacker once inside the test period. The emitters decide what a
 * request becomes (an event here, a packet in the capture benchmark).
 */
export function playScenario(
  s: Scenario,
  rand: Rng,
  toTrain: (c: SynthClient) => Emit,
  toTest: (c: SynthClient) => Emit,
): SynthClient[] {
  const clients: SynthClient[] = [];
  const split = START + s.trainMinutes * 60;
  let n = 0;
  for (const profile of Object.keys(BENIGN) as Array<keyof typeof BENIGN>) {
    for (let i = 0; i < s.benign[profile]; i++, n++) {
      const c: SynthClient = {
        id: `${profile}-${i}`, address: `10.1.${n >> 8}.${(n & 255) + 1}`, profile, attack: null,
      };
      clients.push(c);
      const run = BENIGN[profile](c.id, rand);
      run(START, split, toTrain(c));
      run(split, split + s.testMinutes * 60, toTest(c));
    }
  }
  let a = 0;
  for (const type of ATTACK_TYPES) {
    for (let i = 0; i < s.attackers[type]; i++, a++) {
      const c: SynthClient = { id: `${type}-${i}`, address: `10.66.0.${a + 1}`, profile: type,
        attack: type };
      clients.push(c);
      const room = Math.max(1, s.testMinutes - s.attackMinutes);
      const begin = split + Math.floor(rand() * room) * 60 + rand() * 30;
      attacker(type, c.id, rand)(begin, begin + s.attackMinutes * 60, toTest(c));
    }
  }
  return clients;
}

/** Generates a scenario's streams; the same scenario always gives the same events. */
export function generate(s: Scenario, limits: Limits = DEFAULT_LIMITS): SynthStream {
  const rand: Rng = mulberry32(s.seed);
  const clients: SynthClient[] = [];
  const train: ClientEvent[] = [];
  const test: ClientEvent[] = [];
  const toTrain = makeEmitter(train, limits);
  const toTest = makeEmitter(test, limits);
  clients.push(...playScenario(s, rand, toTrain, toTest));
  train.sort(byTime);
  test.sort(byTime);
  return { scenario: s, clients, train, test };
}

/** Recall and false alarms of one run. */
export interface BenchResult {
  recall: Record<AttackType, { windows: number; detected: number }>;
  overallRecall: number;
  benignWindows: number;
  benignFlagged: number;
  /** Benign windows flagged, by detector. */
  benignByDetector: Record<string, number>;
  alerts: number;
}

function overlaps(a: Alert, w: { start: number; end: number }): boolean {
  return a.window.start < w.end && a.window.end > w.start;
}

/** Scores client-windows (address rows) against the truth of who attacked. */
export function evaluate(stream: SynthStream, analysis: Analysis): BenchResult {
  const byAddress = new Map(stream.clients.map((c) => [c.address, c]));
  const alertsBy = new Map<string, Alert[]>();
  for (const al of analysis.alerts) {
    const list = alertsBy.get(al.clientAddress) ?? [];
    list.push(al);
    alertsBy.set(al.clientAddress, list);
  }
  const recall = Object.fromEntries(ATTACK_TYPES.map((t) => [t, { windows: 0, detected: 0 }])) as
    BenchResult['recall'];
  let benignWindows = 0;
  let benignFlagged = 0;
  const benignByDetector: Record<string, number> = {};
  for (const row of analysis.rows) {
    if (row.kind !== 'address') continue;
    const c = byAddress.get(row.key);
    if (c === undefined) continue;
    const hits = (alertsBy.get(row.key) ?? []).filter((al) => overlaps(al, row.window));
    if (c.attack !== null) {
      recall[c.attack].windows++;
      if (hits.length > 0) recall[c.attack].detected++;
    } else {
      benignWindows++;
      if (hits.length > 0) benignFlagged++;
      for (const d of new Set(hits.map((h) => h.detector))) {
        benignByDetector[d] = (benignByDetector[d] ?? 0) + 1;
      }
    }
  }
  const all = Object.values(recall);
  const windows = all.reduce((x, r) => x + r.windows, 0);
  const detected = all.reduce((x, r) => x + r.detected, 0);
  return {
    recall, overallRecall: windows === 0 ? 0 : detected / windows, benignWindows,
    benignFlagged, benignByDetector, alerts: analysis.alerts.length,
  };
}

/**
 * Trains on the attack-free period and scores the attack period (`trained`, the
 * target), and scores the attack period with a model fitted on itself
 * (`selfFit`, what a replay without --model does).
 */
export function runBenchmark(
  s: Scenario,
  limits: Limits = DEFAULT_LIMITS,
): { trained: BenchResult; selfFit: BenchResult } {
  const stream = generate(s, limits);
  const model = trainOnEvents(stream.train, { limits, windowSec: 60 });
  const trained = analyseEvents(stream.test, { limits, windowSec: 60, model });
  const selfFit = analyseEvents(stream.test, { limits, windowSec: 60 });
  return { trained: evaluate(stream, trained), selfFit: evaluate(stream, selfFit) };
}

/** A result as lines: recall per attack type and overall, benign windows flagged. */
export function report(title: string, r: BenchResult): string[] {
  const lines = [`${title}: ${r.alerts} alerts`];
  for (const t of ATTACK_TYPES) {
    const { windows, detected } = r.recall[t];
    lines.push(`  ${t.padEnd(20)} recall ${(windows ? detected / windows : 0).toFixed(3)}` +
      ` (${detected}/${windows} windows)`);
  }
  lines.push(`  ${'overall'.padEnd(20)} recall ${r.overallRecall.toFixed(3)}`);
  const share = r.benignWindows ? (r.benignFlagged / r.benignWindows) * 100 : 0;
  lines.push(`  benign windows flagged ${share.toFixed(2)}% (${r.benignFlagged}/` +
    `${r.benignWindows}) by ${JSON.stringify(r.benignByDetector)}`);
  return lines;
}

function main(): void {
  const name = process.argv[2] ?? 'default';
  const s = SCENARIOS[name];
  if (s === undefined) {
    process.stderr.write(`unknown scenario '${name}' (${Object.keys(SCENARIOS).join(', ')})\n`);
    process.exitCode = 2;
    return;
  }
  const t0 = performance.now();
  const r = runBenchmark(s);
  const ms = performance.now() - t0;
  const lines = [
    `scenario ${s.name} (seed ${s.seed}), ${ms.toFixed(0)} ms`,
    ...report('trained on the clean period (target)', r.trained),
    ...report('fitted on the scored period itself (replay without --model)', r.selfFit),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
