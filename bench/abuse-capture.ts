/**
 * `npm run bench:abuse`: the abuse benchmark through capture files and the
 * command line, as a user would run it. The synthetic scenarios of
 * bench/abuse-synth.ts are written as pcaps (ordinary clients for the training
 * period; the same clients plus attackers for the scored period), `shadowtap
 * train` fits a model on the first, `shadowtap replay --model` scores the second,
 * and the alerts it writes (--alerts-jsonl) are scored against who attacked:
 * recall per attack type and the share of benign client-windows flagged.
 *
 *   npm run bench:abuse -- [default|small] [--bodies] [--keep DIR]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Alert } from '../src/abuse/alerts.js';
import { detectProbes } from '../src/abuse/detectors.js';
import { exampleLine, type ClientEvent } from '../src/abuse/events.js';
import { extractWindows } from '../src/abuse/features.js';
import { loginOutcome } from '../src/abuse/identity.js';
import { DEFAULT_LIMITS } from '../src/config/limits.js';
import {
  ATTACK_TYPES, evaluate, report, SCENARIOS, type BenchResult, type Scenario,
} from './abuse-synth.js';
import {
  concretePath, generateTraffic, HOST, writeCapture, type TimedRequest,
} from './abuse-traffic.js';

const fromSource = import.meta.url.endsWith('.ts');
const CLI = fileURLToPath(
  new URL(fromSource ? '../src/cli/main.ts' : '../src/cli/main.js', import.meta.url),
);

/** The shop API the ordinary clients use; /internal/ is left out, so it shows as shadow. */
const CATALOG = {
  openapi: '3.0.3',
  info: { title: 'shop', version: '1' },
  servers: [{ url: `http://${HOST}` }],
  paths: Object.fromEntries([
    ['/api/products', 'get'], ['/api/products/{id}', 'get'], ['/api/search', 'get'],
    ['/api/cart', 'get'], ['/api/users/{id}', 'get'], ['/api/orders', 'post'],
    ['/api/orders/{orderId}', 'get'], ['/api/login', 'post'], ['/api/auth/token', 'post'],
  ].map(([path, method]) => {
    const params = [...(path as string).matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1], in: 'path', required: true, schema: { type: 'integer' },
    }));
    return [path, { [method as string]: { parameters: params, responses: { 200: {
      description: 'ok' } } } }];
  })),
};

/** Runs the command line; throws with its stderr when it fails. */
function shadowtap(args: string[]): string {
  const node = fromSource ? ['--import', 'tsx', CLI] : [CLI];
  const res = spawnSync(process.execPath, [...node, ...args], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`shadowtap ${args[0]} failed: ${res.stderr}`);
  return res.stderr;
}

/** The events of the scored period as the pipeline builds them, for the client-windows. */
function eventsOf(requests: readonly TimedRequest[]): ClientEvent[] {
  return requests.map(({ ts, client, req: r }) => {
    const path = concretePath(r);
    return {
      ts, clientAddress: client.address, principal: r.principal, host: HOST, method: r.method,
      template: r.template, params: r.params ?? {}, status: r.status, responseBytes: r.bytes,
      userAgent: r.userAgent, shadow: r.template.startsWith('/internal/'),
      loginAttempt: loginOutcome(r.method, path, r.status),
      probes: detectProbes({ path, query: r.query ?? '', body: r.body ?? '' }, DEFAULT_LIMITS),
      example: exampleLine(r.method, r.template),
    };
  });
}

/** What one run of the benchmark measured. */
export interface CaptureBenchResult {
  trained: BenchResult;
  /** Null when not asked for. */
  selfFit: BenchResult | null;
  packets: { train: number; test: number };
  exchanges: { train: number; test: number };
  seconds: { write: number; train: number; replay: number };
  /** The replay's own account of its packet phase and of the abuse stage (stderr lines). */
  replayLines: string[];
}

function readAlerts(file: string): Alert[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // no alert raised: the file is only written when there is one
  }
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Alert);
}

/**
 * Writes the scenario's captures into `dir`, trains, replays with and without the
 * model, and scores the alerts. Client-windows are the address rows of the scored
 * period at the model's window length (60 s), counted from its first request as the
 * pipeline counts them.
 */
export function runCaptureBenchmark(
  s: Scenario,
  dir: string,
  opts: { bodies?: boolean; selfFit?: boolean } = {},
): CaptureBenchResult {
  const traffic = generateTraffic(s);
  const t0 = performance.now();
  const written = { bodies: opts.bodies ?? false, idleCloseSec: 30 };
  const trainPcap = join(dir, 'train.pcap');
  const testPcap = join(dir, 'test.pcap');
  const packets = {
    train: writeCapture(trainPcap, traffic.train, written),
    test: writeCapture(testPcap, traffic.test, written),
  };
  const catalog = join(dir, 'shop.openapi.json');
  writeFileSync(catalog, JSON.stringify(CATALOG));
  const t1 = performance.now();
  const model = join(dir, 'model.json');
  const common = ['--catalog', catalog, '--workers', '2'];
  shadowtap(['train', trainPcap, '--model', model, '--window', '60', ...common]);
  const t2 = performance.now();
  // The secret must live apart from the databases (src/privacy/secret.ts).
  const secret = ['--secret-file', join(dir, 'secret')];
  const dbs = join(dir, 'db');
  mkdirSync(dbs, { recursive: true });
  const replayed = shadowtap(['replay', testPcap, '--model', model, '--db', join(dbs, 'a.db'),
    '--alerts-jsonl', join(dir, 'trained.jsonl'), '--no-report', ...secret, ...common]);
  const t3 = performance.now();
  if (opts.selfFit ?? true) {
    shadowtap(['replay', testPcap, '--db', join(dbs, 'b.db'), '--alerts-jsonl',
      join(dir, 'self-fit.jsonl'), '--no-report', ...secret, ...common]);
  }
  const test = eventsOf(traffic.test);
  const { rows, stats } = extractWindows(test, { windowSec: 60, limits: DEFAULT_LIMITS });
  const stream = { scenario: s, clients: traffic.clients, train: [], test: [] };
  const score = (alerts: Alert[]): BenchResult => evaluate(stream, {
    windowSec: 60, rows, findings: [], model: null, selfFitted: false, alerts,
    stats: { ...stats, enumerationSeriesEvicted: 0 },
  });
  return {
    trained: score(readAlerts(join(dir, 'trained.jsonl'))),
    selfFit: opts.selfFit ?? true ? score(readAlerts(join(dir, 'self-fit.jsonl'))) : null,
    packets,
    exchanges: { train: traffic.train.length, test: traffic.test.length },
    seconds: { write: (t1 - t0) / 1000, train: (t2 - t1) / 1000, replay: (t3 - t2) / 1000 },
    replayLines: replayed.split('\n')
      .filter((l) => /^(packet pipeline|abuse|run |anomalies)/.test(l)),
  };
}

/** True when a result meets the target. */
export function meetsTarget(r: BenchResult): boolean {
  const everyType = ATTACK_TYPES.every((t) => r.recall[t].detected > 0);
  const share = r.benignWindows ? r.benignFlagged / r.benignWindows : 0;
  return everyType && r.overallRecall >= 0.9 && share <= 0.01;
}

function main(): void {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith('--')) ?? 'default';
  const s = SCENARIOS[name];
  if (s === undefined) {
    process.stderr.write(`unknown scenario '${name}' (${Object.keys(SCENARIOS).join(', ')})\n`);
    process.exitCode = 2;
    return;
  }
  const keepAt = args.indexOf('--keep');
  const keep = keepAt >= 0 ? args[keepAt + 1] : undefined;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'shadowtap-abuse-bench-'));
  mkdirSync(dir, { recursive: true });
  try {
    const r = runCaptureBenchmark(s, dir, { bodies: args.includes('--bodies') });
    const lines = [
      `scenario ${s.name} (seed ${s.seed}) through captures and the CLI: ` +
        `${r.exchanges.train.toLocaleString('en-US')} training exchanges ` +
        `(${r.packets.train.toLocaleString('en-US')} packets), ` +
        `${r.exchanges.test.toLocaleString('en-US')} scored ` +
        `(${r.packets.test.toLocaleString('en-US')} packets)`,
      `  write ${r.seconds.write.toFixed(1)} s, train ${r.seconds.train.toFixed(1)} s, ` +
        `replay --model ${r.seconds.replay.toFixed(1)} s`,
      ...r.replayLines.map((l) => `  replay: ${l}`),
      ...report('trained on the clean period (target)', r.trained),
      `  target (every type detected, recall >= 0.9, <= 1% benign windows flagged): ` +
        (meetsTarget(r.trained) ? 'met' : 'NOT met'),
      ...(r.selfFit === null ? [] :
        report('fitted on the scored period itself (replay without --model)', r.selfFit)),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
