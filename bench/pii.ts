/**
 * npm run bench:pii — precision and recall of the PII detectors per kind and
 * overall, on the labelled set and the corpus truth files. Run from the repository
 * root after `npm run build`. Exits 1 when either overall figure is under 0.97.
 */
import { allCases, evaluate, precision, recall, type Score } from './pii-eval.js';

const TARGET = 0.97;
const cases = allCases(process.cwd());
const t0 = performance.now();
const ev = evaluate(cases);
const ms = performance.now() - t0;

const pct = (x: number): string => x.toFixed(3);
const pad = (n: number, w: number): string => String(n).padStart(w);
const row = (name: string, s: Score): string =>
  `${name.padEnd(14)} ${pad(s.tp + s.fn, 6)} ${pad(s.tp, 5)} ${pad(s.fp, 4)} ${pad(s.fn, 4)}  ` +
  `${pct(precision(s))}  ${pct(recall(s))}`;

const sources = new Map<string, number>();
for (const c of cases) sources.set(c.source, (sources.get(c.source) ?? 0) + 1);
const bySource = [...sources].map(([k, v]) => `${k} ${v}`).join(', ');
process.stdout.write(`cases: ${cases.length} (${bySource})\n`);
process.stdout.write(`kind           labels    tp   fp   fn  precision recall\n`);
for (const [kind, s] of ev.perKind) process.stdout.write(row(kind, s) + '\n');
process.stdout.write(row('overall', ev.overall) + '\n');
process.stdout.write(`scan time: ${ms.toFixed(1)} ms for ${cases.length} values\n`);
for (const m of ev.mistakes.slice(0, 40)) {
  const expected = m.c.kinds.join('+') || 'none';
  const got = m.predicted.join('+') || 'none';
  const note = m.c.note !== undefined ? ` (${m.c.note})` : '';
  process.stdout.write(`  wrong: [${m.c.source}] ${m.c.field ?? '-'} expected ${expected}` +
    ` got ${got}${note}\n`);
}
const ok = precision(ev.overall) >= TARGET && recall(ev.overall) >= TARGET;
process.exitCode = ok ? 0 : 1;
