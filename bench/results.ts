/**
 * Figures derived from the timed runs: best and median throughput, rates per
 * second, peak memory, the ratio to tshark, and which of issue 6's targets hold.
 * Rendered as one pipe table that reads in a terminal and pastes into Markdown.
 */
import type { GenerateResult } from './gen/generate.js';
import type { Measurement } from './measure.js';

/** The runs of one tool setting on one capture. */
export interface ConfigResult {
  tool: 'shadowtap' | 'tshark';
  /** Flow workers (shadowtap only). */
  workers: number | null;
  runs: Measurement[];
}

/** Everything measured on one generated capture. */
export interface CaptureResult {
  label: string;
  generated: GenerateResult;
  configs: ConfigResult[];
}

/** One row of the table, as numbers. */
export interface Row {
  label: string;
  tool: string;
  runs: number;
  mbPerSecBest: number;
  mbPerSecMedian: number;
  packetsPerSec: number | null;
  exchangesPerSec: number;
  cpuSeconds: number | null;
  /** MB per CPU second (all threads): what an idle machine's cores would give. */
  mbPerCpuSec: number | null;
  peakRssMb: number | null;
  /** This row's best MB/s over tshark's best on the same file. */
  timesTshark: number | null;
  /** The same on CPU time: tshark's CPU seconds over this row's. */
  timesTsharkCpu: number | null;
  /** Exchanges found, and whether that equals what the generator wrote. */
  exchanges: number;
  exchangesAsWritten: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const minOf = (xs: number[]): number => Math.min(...xs);

/** The rows of one capture: each shadowtap setting, then tshark. */
export function rows(c: CaptureResult): Row[] {
  const mb = c.generated.bytes / 1e6;
  const best = (cfg: ConfigResult) => minOf(cfg.runs.map((r) => r.wallSeconds));
  const tshark = c.configs.find((x) => x.tool === 'tshark' && x.runs.length > 0);
  const tsharkRate = tshark === undefined ? null : mb / best(tshark);
  const tsharkCpu = tshark?.runs.map((r) => r.cpuSeconds)
    .filter((x): x is number => x !== null) ?? [];
  return c.configs.filter((cfg) => cfg.runs.length > 0).map((cfg) => {
    const wall = best(cfg);
    const last = cfg.runs[cfg.runs.length - 1]!;
    const cpus = cfg.runs.map((r) => r.cpuSeconds).filter((x): x is number => x !== null);
    const rss = cfg.runs.map((r) => r.peakRssMb).filter((x): x is number => x !== null);
    const rate = mb / wall;
    return {
      label: c.label,
      tool: cfg.tool === 'tshark' ? 'tshark' : `workers ${cfg.workers}`,
      runs: cfg.runs.length,
      mbPerSecBest: rate,
      mbPerSecMedian: mb / median(cfg.runs.map((r) => r.wallSeconds)),
      packetsPerSec: last.packets === null ? c.generated.packets / wall : last.packets / wall,
      exchangesPerSec: last.exchanges / wall,
      cpuSeconds: cpus.length > 0 ? minOf(cpus) : null,
      mbPerCpuSec: cpus.length > 0 ? mb / minOf(cpus) : null,
      peakRssMb: rss.length > 0 ? Math.max(...rss) : null,
      timesTshark: cfg.tool === 'tshark' || tsharkRate === null ? null : rate / tsharkRate,
      timesTsharkCpu: cfg.tool === 'tshark' || tsharkCpu.length === 0 || cpus.length === 0
        ? null : minOf(tsharkCpu) / minOf(cpus),
      exchanges: last.exchanges,
      exchangesAsWritten: cfg.runs.every((r) => r.exchanges === c.generated.exchanges),
    };
  });
}

/** How much faster the best run with `workers` is than the best with 0, or null. */
export function speedUp(c: CaptureResult, workers: number): number | null {
  const wall = (w: number) => {
    const cfg = c.configs.find((x) => x.tool === 'shadowtap' && x.workers === w);
    return cfg === undefined || cfg.runs.length === 0
      ? null : minOf(cfg.runs.map((r) => r.wallSeconds));
  };
  const zero = wall(0);
  const other = wall(workers);
  return zero === null || other === null ? null : zero / other;
}

const HEAD = ['capture', 'MB', 'tool', 'runs', 'MB/s best', 'MB/s median', 'packets/s',
  'exchanges/s', 'CPU s', 'MB/CPU s', 'peak RSS MB', '× tshark',
  '× tshark CPU', 'exchanges'];

/** The table of every capture's rows, columns aligned, Markdown pipe syntax. */
export function table(captures: CaptureResult[]): string {
  const body: string[][] = [];
  for (const c of captures) {
    for (const r of rows(c)) {
      body.push([r.label, (c.generated.bytes / 1e6).toFixed(0), r.tool, String(r.runs),
        r.mbPerSecBest.toFixed(1), r.mbPerSecMedian.toFixed(1), whole(r.packetsPerSec),
        whole(r.exchangesPerSec), r.cpuSeconds === null ? '-' : r.cpuSeconds.toFixed(1),
        r.mbPerCpuSec === null ? '-' : r.mbPerCpuSec.toFixed(1),
        r.peakRssMb === null ? '-' : r.peakRssMb.toFixed(0),
        r.timesTshark === null ? '' : r.timesTshark.toFixed(2),
        r.timesTsharkCpu === null ? '' : r.timesTsharkCpu.toFixed(2),
        `${r.exchanges.toLocaleString('en-US')}${r.exchangesAsWritten ? '' : ' (≠ written)'}`]);
    }
  }
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((x, i) => (i < 3 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)))
      .join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 3 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':'))
    .join('|')}|`;
  return [line(HEAD), rule, ...body.map(line)].join('\n');
}

function whole(x: number | null): string {
  return x === null ? '-' : Math.round(x).toLocaleString('en-US');
}

/** One of issue 6's targets and whether this run meets it (null: not measured). */
export interface Target {
  target: string;
  measured: string;
  met: boolean | null;
}

/** Issue 6's targets, judged on the captures measured. */
export function targets(captures: CaptureResult[]): Target[] {
  const out: Target[] = [];
  const small = captures.find((c) => c.label === 'small-json');
  const ours = small === undefined ? [] : rows(small).filter((r) => r.tool !== 'tshark');
  const fastest = ours.length === 0 ? null
    : ours.reduce((a, b) => (b.mbPerSecBest > a.mbPerSecBest ? b : a));
  out.push({
    target: 'small-json end to end at 100 MB/s or more',
    measured: fastest === null ? 'not run'
      : `${fastest.mbPerSecBest.toFixed(1)} MB/s (${fastest.tool})`,
    met: fastest === null ? null : fastest.mbPerSecBest >= 100,
  });
  out.push({
    target: 'small-json at 15 × tshark or more, same run',
    measured: fastest?.timesTshark == null ? 'not run' : `${fastest.timesTshark.toFixed(2)} × ` +
      `(on CPU time ${fastest.timesTsharkCpu?.toFixed(2) ?? '-'} ×)`,
    met: fastest?.timesTshark == null ? null : fastest.timesTshark >= 15,
  });
  const ups = captures.map((c) => [c.label, speedUp(c, 2)] as const)
    .filter((x): x is readonly [string, number] => x[1] !== null);
  const smallUp = ups.find(([l]) => l === 'small-json')?.[1] ?? null;
  out.push({
    target: '2 workers at 1.5 × workers 0 or more (small-json)',
    measured: ups.length === 0 ? 'not run'
      : ups.map(([l, x]) => `${l} ${x.toFixed(2)} ×`).join(', '),
    met: smallUp === null ? null : smallUp >= 1.5,
  });
  const big = captures.find((c) => c.generated.bytes >= 1.5e9);
  const bigRss = big === undefined ? null : maxRss(big);
  out.push({
    target: 'peak RSS under 400 MB on a 2 GB capture',
    measured: bigRss === null ? 'not run (--big)' : `${bigRss.toFixed(0)} MB`,
    met: bigRss === null ? null : bigRss < 400,
  });
  const many = captures.find((c) => c.label === 'many-flows');
  const manyRss = many === undefined ? null : maxRss(many);
  const open = many?.generated.peakOpenFlows ?? 0;
  out.push({
    target: '100,000 concurrent open flows within 1 GB',
    measured: manyRss === null ? 'not run'
      : `${manyRss.toFixed(0)} MB with ${open.toLocaleString('en-US')} flows open at once`,
    met: manyRss === null ? null : manyRss < 1024 && open >= 100_000,
  });
  return out;
}

/** The largest peak RSS of any shadowtap run on the capture. */
function maxRss(c: CaptureResult): number | null {
  const xs = c.configs.filter((x) => x.tool === 'shadowtap').flatMap((x) => x.runs)
    .map((r) => r.peakRssMb).filter((x): x is number => x !== null);
  return xs.length === 0 ? null : Math.max(...xs);
}
