/** Helpers for the capture source tests: reading whole files and the corpus tables. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCapture, type OpenOptions } from '../src/source/open.js';
import type { SourceSummary } from '../src/source/types.js';

/** The shared corpus: $SHADOWTAP_CORPUS, else ../shared/corpus from the repository root. */
export const CORPUS = process.env.SHADOWTAP_CORPUS ?? join(process.cwd(), '..', 'shared', 'corpus');
const MISSING = existsSync(join(CORPUS, 'pcaps'))
  ? false
  : `corpus not found at ${CORPUS} (set SHADOWTAP_CORPUS): test needs its captures`;

/** A test that reads the corpus: skipped, saying why, where the corpus is absent. */
export function corpusTest(
  name: string,
  fn: (t: import('node:test').TestContext) => Promise<void> | void,
): void {
  test(name, { skip: MISSING }, fn);
}
export const PCAPS = join(CORPUS, 'pcaps');
export const TRAFFIC = join(CORPUS, 'traffic');

/** A packet with its bytes copied out of the reader's chunk. */
export interface Copied {
  index: number;
  linkType: number;
  ts: number;
  data: Buffer;
  origLen: number;
}

/** Reads every packet of a file (copying each one) and the final summary. */
export async function readAll(
  file: string,
  options: OpenOptions = {},
): Promise<{ packets: Copied[]; summary: SourceSummary; batches: number }> {
  const source = await openCapture(file, options);
  const packets: Copied[] = [];
  let batches = 0;
  for await (const batch of source.batches()) {
    batches++;
    for (const p of batch) {
      packets.push({ ...p, data: Buffer.from(p.data) });
    }
  }
  return { packets, summary: source.summary, batches };
}

/** File name -> packet count, from the packets column of pcaps/SOURCES.md. */
export function sourcesPacketCounts(): Map<string, number> {
  const md = readFileSync(join(PCAPS, 'SOURCES.md'), 'utf8');
  const counts = new Map<string, number>();
  for (const line of md.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | `file` | origin | licence | format | packets | ... |
    const name = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    const packets = Number(cells[5]);
    if (name !== undefined && Number.isInteger(packets)) counts.set(name, packets);
  }
  return counts;
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shadowtap-source-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
