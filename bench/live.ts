/**
 * npm run bench:live — the packet rate live capture sustains with no drops. Two
 * network namespaces joined by a veth (created here, removed at the end, the
 * machine's own namespace untouched); an HTTP server in one, keep-alive clients
 * in the other, and the sensor on the server's veth end. Load rises step by step.
 *
 * Two sensors are measured: the capture path alone (libpcap to batches), and the
 * whole `shadowtap capture` (decode, reassembly, HTTP, analysis, SQLite). Each
 * step reports packets per second captured, libpcap's drops, whether every
 * exchange the clients completed was counted, and the sensor's CPU per packet,
 * which says what the rate would be if the load generator, sharing this
 * machine's cores, were not the limit. Needs root. Run from the repository root
 * after `npm run build`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createNetnsPair, startLoad, startScript, startShadowtap, storedCounts, type Child,
  type NetnsPair,
} from '../test/helpers/live.js';

const PORT = 8080;
const LOAD_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 8);
/** Load steps: client processes x keep-alive connections each. */
const STEPS: Array<{ clients: number; connections: number }> = [
  { clients: 1, connections: 8 },
  { clients: 1, connections: 64 },
  { clients: 2, connections: 64 },
];
// Linux reports process times in clock ticks; USER_HZ is 100 on every common build.
const TICKS_PER_SECOND = 100;

type Mode = 'capture path' | 'shadowtap capture';

interface StepResult {
  exchangesClient: number;
  /** Exchanges the sensor stored, or null when it does not parse HTTP. */
  exchangesSensor: number | null;
  packets: number;
  dropped: number;
  sensorCpu: number;
}

/** utime + stime of a process and its threads, in seconds, or NaN once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // stat fields 14, 15
  } catch {
    return NaN;
  }
}

function lastNumber(text: string, pattern: RegExp): number {
  const all = [...text.matchAll(new RegExp(pattern.source, 'g'))];
  const m = all[all.length - 1];
  return m === undefined ? NaN : Number(m[1]!.replace(/,/g, ''));
}

function startSensor(mode: Mode, pair: NetnsPair, dir: string): Child {
  const o = { netns: pair.a, timeoutMs: (LOAD_SECONDS + 60) * 1000 };
  const seconds = LOAD_SECONDS + 3;
  if (mode === 'capture path') {
    return startScript(new URL('./live-capture-only.js', import.meta.url),
      [pair.ifA, String(PORT), String(seconds)], o);
  }
  return startShadowtap([
    'capture', '--interface', pair.ifA, '--filter', `tcp port ${PORT}`,
    '--db', join(dir, 'st.db'), '--flush-every', '2s', '--workers', '1',
    '--duration', `${seconds}s`,
  ], o);
}

async function step(mode: Mode, pair: NetnsPair, clients: number, conns: number) {
  const dir = mkdtempSync(join(tmpdir(), 'shadowtap-bench-live-'));
  const sensor = startSensor(mode, pair, dir);
  await sensor.waitFor(/capturing on /, 30_000);
  // `ip netns exec` execs node in place, so the child's pid is the sensor's.
  const startCpu = cpuSeconds(sensor.pid);
  let lastCpu = startCpu;
  const sampler = setInterval(() => {
    const now = cpuSeconds(sensor.pid);
    if (!Number.isNaN(now)) lastCpu = now;
  }, 200);
  const load: Child[] = [];
  for (let c = 0; c < clients; c++) {
    load.push(startLoad([
      'client', '--host', pair.addrA, '--port', String(PORT), '--count', '100000000',
      '--concurrency', String(conns), '--seconds', String(LOAD_SECONDS),
      '--prefix', `/c${c}`, '--count-only',
    ], { netns: pair.b, timeoutMs: (LOAD_SECONDS + 30) * 1000 }));
  }
  let exchangesClient = 0;
  for (const l of load) {
    await l.exited;
    exchangesClient += (JSON.parse(l.stdout) as { count: number }).count;
  }
  const exit = await sensor.exited;
  clearInterval(sampler);
  if (exit.code !== 0) throw new Error(`${mode} failed: ${sensor.stderr}`);
  if (mode === 'capture path') {
    const r = JSON.parse(sensor.stdout) as {
      packets: number; counters: { dropped: number; ifDropped: number };
    };
    return {
      exchangesClient, exchangesSensor: null, packets: r.packets,
      dropped: r.counters.dropped + r.counters.ifDropped, sensorCpu: lastCpu - startCpu,
    };
  }
  const stored = storedCounts(join(dir, 'st.db'));
  const ifDropped = lastNumber(sensor.stderr, /\(\+([\d,]+) by the interface\)/);
  return {
    exchangesClient, exchangesSensor: stored.runExchanges,
    packets: lastNumber(sensor.stderr, /live capture on \S+, (\d+) packets/),
    dropped: (stored.dropped ?? 0) + (Number.isNaN(ifDropped) ? 0 : ifDropped),
    sensorCpu: lastCpu - startCpu,
  };
}

function row(cells: Array<string | number>, widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ') + '\n';
}

async function measure(mode: Mode, pair: NetnsPair): Promise<void> {
  const widths = [8, 26, 10, 8, 12, 16];
  process.stdout.write(`\n${mode}\n` + row(['load', 'exchanges client/sensor', 'packets/s',
    'dropped', 'sensor CPU', 'µs CPU/packet'], widths));
  let best: (StepResult & { pps: number }) | null = null;
  for (const s of STEPS) {
    const r: StepResult = await step(mode, pair, s.clients, s.connections);
    const pps = r.packets / LOAD_SECONDS;
    const complete = r.exchangesSensor === null || r.exchangesSensor === r.exchangesClient;
    process.stdout.write(row([
      `${s.clients}x${s.connections}`,
      `${r.exchangesClient} / ${r.exchangesSensor ?? '-'}${complete ? '' : ' (differ)'}`,
      Math.round(pps), r.dropped, `${(r.sensorCpu / LOAD_SECONDS).toFixed(2)} core`,
      (r.sensorCpu * 1e6 / r.packets).toFixed(1),
    ], widths));
    if (r.dropped === 0 && complete && (best === null || pps > best.pps)) best = { ...r, pps };
  }
  if (best === null) {
    process.stdout.write(`${mode}: no step ran without drops\n`);
    return;
  }
  const perCore = best.packets / best.sensorCpu;
  process.stdout.write(
    `${mode}: sustained ${Math.round(best.pps)} packets/s with no drops ` +
      `(the most this machine's load generator offered); at ` +
      `${(best.sensorCpu * 1e6 / best.packets).toFixed(1)} µs CPU per packet one core ` +
      `would carry about ${Math.round(perCore / 1000)}k packets/s\n`,
  );
}

async function main(): Promise<void> {
  const pair = createNetnsPair();
  if (typeof pair === 'string') {
    process.stderr.write(`bench:live: ${pair} (needs root)\n`);
    process.exitCode = 1;
    return;
  }
  const server = startLoad(['server', '--host', pair.addrA, '--port', String(PORT)], {
    netns: pair.a, timeoutMs: 900_000,
  });
  try {
    await server.waitFor(/"listening"/, 30_000);
    process.stdout.write(`load ${LOAD_SECONDS} s per step over veth ${pair.ifB} -> ${pair.ifA}\n`);
    await measure('capture path', pair);
    await measure('shadowtap capture', pair);
  } finally {
    server.kill('SIGTERM');
    await server.exited;
    pair.remove();
  }
}

await main();
