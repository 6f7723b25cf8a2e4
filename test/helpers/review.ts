// Shared by the review tests (report html/sarif, serve, overlay): corpus captures
// replayed into a fresh database, the JSON report, and the secrets each capture plants.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shadowtap, tempDir } from './cli.js';
import { CORPUS } from '../source-helpers.js';

export const TRAFFIC = join(CORPUS, 'traffic');

/** Corpus capture folders present on this machine. */
export function corpusCaptures(): string[] {
  return existsSync(TRAFFIC)
    ? readdirSync(TRAFFIC, { withFileTypes: true }).filter((d) => d.isDirectory())
      .map((d) => d.name).sort()
    : [];
}

/** A report row as the tests read it from `--format json`. */
export interface JsonEndpoint {
  host: string; method: string; path: string; template: string; status: string;
  requests: number; auth: string[]; new: boolean;
  pii: Array<{ kind: string; location: string; preview: string }>;
  drift?: unknown[];
  triage: { verdict: string; was: string; who: string; note: string } | null;
}

/** The JSON report. */
export interface JsonReport {
  endpoints: JsonEndpoint[];
  counts: Record<string, number>;
}

const replayed = new Map<string, string>();

/**
 * A new database holding one corpus capture replayed with its partial catalog. The
 * replay runs once per test file; later calls get a copy (the command closed the
 * database, so the file alone is the whole of it).
 */
export function replayCapture(name: string, file = 'capture.pcap'): { db: string; dir: string } {
  const dir = tempDir('shadowtap-review-');
  const db = join(dir, 'st.db');
  const done = replayed.get(name + '\0' + file);
  if (done !== undefined) {
    copyFileSync(done, db);
    return { db, dir };
  }
  const cap = join(TRAFFIC, name);
  const r = shadowtap(['replay', join(cap, file), '--catalog', join(cap, 'catalog-partial.json'),
    '--db', db, '--no-report']);
  assert.equal(r.status, 0, r.stderr);
  if (!existsSync(db + '-wal')) {
    const keep = join(tempDir('shadowtap-review-cache-'), 'st.db');
    copyFileSync(db, keep);
    replayed.set(name + '\0' + file, keep);
  }
  return { db, dir };
}

/** `report --format json` of a database. */
export function jsonReport(db: string): JsonReport {
  const r = shadowtap(['report', '--db', db, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonReport;
}

/** host, method and path of each row, in order: how views are compared. */
export function rowKeys(rows: ReadonlyArray<{ host: string; method: string; path: string }>) {
  return rows.map((e) => `${e.method} ${e.host}${e.path}`);
}

interface Truth {
  requests: Array<{
    planted_pii: Array<{ value: unknown }>;
    response_pii: Array<{ value: unknown }>;
    auth: { value: string } | null;
  }>;
}

/** Every planted value and credential of a capture (and the bare token of each credential). */
export function plantedSecrets(name: string): string[] {
  const truth = JSON.parse(readFileSync(join(TRAFFIC, name, 'truth.json'), 'utf8')) as Truth;
  const out = new Set<string>();
  for (const r of truth.requests) {
    for (const p of [...r.planted_pii, ...r.response_pii]) out.add(String(p.value));
    if (r.auth?.value) {
      out.add(r.auth.value);
      const bare = r.auth.value.replace(/^(Bearer|Basic)\s+/i, '');
      out.add(bare);
      if (/^Basic\s/i.test(r.auth.value)) out.add(Buffer.from(bare, 'base64').toString('utf8'));
    }
  }
  // Short values could turn up by chance in unrelated text; every planted one is longer.
  return [...out].filter((v) => v.length >= 8);
}

/** The planted values found in `text` (none, when the sensor keeps its promise). */
export function leaked(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s));
}
