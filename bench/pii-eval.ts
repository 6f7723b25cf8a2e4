/**
 * Scoring of the PII detectors on labelled values: the committed set
 * (test/fixtures/pii-labelled.jsonl) and, when the corpus is present, the planted
 * values of ../shared/corpus/traffic/<name>/truth.json, read at run time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanValue } from '../src/pii/scan-value.js';
import { PII_KINDS, PII_MIN_CONFIDENCE } from '../src/pii/types.js';

/** One labelled value: its field name, location and true kinds (none for a decoy). */
export interface LabelledCase {
  value: string | number;
  field: string | null;
  location: string;
  kinds: string[];
  source: string;
  note?: string;
}

/** True positives, false positives and false negatives of one kind (or all). */
export interface Score {
  tp: number;
  fp: number;
  fn: number;
}

/** Scores per kind and overall, with the cases that went wrong. */
export interface Evaluation {
  perKind: Map<string, Score>;
  overall: Score;
  mistakes: Array<{ c: LabelledCase; predicted: string[] }>;
}

/** Reads a labelled JSONL file. */
export function loadLabelled(path: string, source: string): LabelledCase[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => {
    const o = JSON.parse(l) as { value: string | number; field: string | null;
      kind: string | string[] | null; location?: string; note?: string };
    const kinds = o.kind === null ? [] : Array.isArray(o.kind) ? o.kind : [o.kind];
    const location = o.location ?? (o.field === null ? 'body:' : `body:/${o.field}`);
    const c: LabelledCase = { value: o.value, field: o.field, location, kinds, source };
    if (o.note !== undefined) c.note = o.note;
    return c;
  });
}

interface Planted {
  location: string;
  kind: string;
  value: string;
}
interface TruthRequest {
  concretePath: string;
  wireTemplate: string | null;
  query?: Record<string, string | string[]>;
  planted_pii?: Planted[] | null;
  response_pii?: Planted[] | null;
}

// The truth files label five kinds; query coordinates they leave unlabelled are
// geolocation by this product's definition, so they are scored as such.
const GEO_NAME = /(^|_)(lat|latitude|lng|lon|longitude)$/i;

/**
 * Labelled cases from every truth.json under `root` (../shared/corpus/traffic):
 * planted and echoed values as positives at their locations; query values and path
 * parameters that were not planted as decoys. Empty when the corpus is absent.
 */
export function harvestCorpus(root: string): LabelledCase[] {
  if (!existsSync(root)) return [];
  const out: LabelledCase[] = [];
  const seen = new Set<string>();
  const push = (c: LabelledCase): void => {
    const key = `${c.kinds.join(',')}\0${c.location}\0${String(c.value)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  for (const name of readdirSync(root).sort()) {
    const file = join(root, name, 'truth.json');
    if (!existsSync(file)) continue;
    const truth = JSON.parse(readFileSync(file, 'utf8')) as { requests: TruthRequest[] };
    for (const r of truth.requests) {
      const planted = [...(r.planted_pii ?? []), ...(r.response_pii ?? [])];
      for (const p of planted) {
        const location = p.location.replace(/\/\d+(?=\/|$)/g, '/*');
        push({ value: p.value, field: fieldOf(location), location, kinds: [p.kind],
          source: `corpus:${name}` });
      }
      const plantedAt = new Set(planted.map((p) => p.location));
      for (const [k, v] of Object.entries(r.query ?? {})) {
        if (plantedAt.has('query:' + k)) continue;
        for (const value of Array.isArray(v) ? v : [v]) {
          push({ value, field: k, location: 'query:' + k, kinds: GEO_NAME.test(k) ? ['geo'] : [],
            source: `corpus:${name}` });
        }
      }
      for (const [param, value] of pathParams(r.wireTemplate, r.concretePath)) {
        push({ value, field: param, location: `path:{${param}}`, kinds: [],
          source: `corpus:${name}` });
      }
    }
  }
  return out;
}

function fieldOf(location: string): string | null {
  const rest = location.slice(location.indexOf(':') + 1);
  const segs = rest.split('/').filter((s) => s !== '' && s !== '*');
  return segs.length > 0 ? segs[segs.length - 1]! : null;
}

function pathParams(template: string | null, path: string): Array<[string, string]> {
  if (template === null) return [];
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return [];
  const out: Array<[string, string]> = [];
  t.forEach((seg, i) => {
    if (seg.startsWith('{') && seg.endsWith('}')) {
      out.push([seg.slice(1, -1), decodeURIComponent(p[i]!)]);
    }
  });
  return out;
}

/** Kinds reported for one case at the reporting threshold. */
export function predict(c: LabelledCase): string[] {
  const hits = scanValue(c.value, { fieldName: c.field, location: c.location });
  return [...new Set(hits.filter((h) => h.confidence >= PII_MIN_CONFIDENCE).map((h) => h.kind))];
}

/** Scores the detectors on the cases. */
export function evaluate(cases: LabelledCase[]): Evaluation {
  const perKind = new Map<string, Score>(PII_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  const overall: Score = { tp: 0, fp: 0, fn: 0 };
  const mistakes: Evaluation['mistakes'] = [];
  for (const c of cases) {
    const predicted = predict(c);
    let wrong = false;
    for (const k of c.kinds) {
      const s = perKind.get(k)!;
      if (predicted.includes(k)) {
        s.tp++;
        overall.tp++;
      } else {
        s.fn++;
        overall.fn++;
        wrong = true;
      }
    }
    for (const k of predicted) {
      if (c.kinds.includes(k)) continue;
      perKind.get(k)!.fp++;
      overall.fp++;
      wrong = true;
    }
    if (wrong) mistakes.push({ c, predicted });
  }
  return { perKind, overall, mistakes };
}

/** tp / (tp + fp), 1 when nothing was predicted. */
export function precision(s: Score): number {
  return s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
}

/** tp / (tp + fn), 1 when nothing was expected. */
export function recall(s: Score): number {
  return s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
}

/** The committed labelled set plus the corpus harvest, paths from the repository root. */
export function allCases(repoRoot: string): LabelledCase[] {
  return [
    ...loadLabelled(join(repoRoot, 'test/fixtures/pii-labelled.jsonl'), 'labelled'),
    ...harvestCorpus(join(repoRoot, '../shared/corpus/traffic')),
  ];
}
