// Runs the shadowtap command line as a user would: the built bin under plain node,
// or, when the tests themselves run from TypeScript sources, the source through tsx.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fromSource = import.meta.url.endsWith('.ts');
const entry = fileURLToPath(
  new URL(fromSource ? '../../src/cli/main.ts' : '../../src/cli/main.js', import.meta.url),
);

const CONFIG_HOME = mkdtempSync(join(tmpdir(), 'shadowtap-config-'));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `shadowtap ARGS...` to completion. */
export function shadowtap(args: string[], options: { cwd?: string } = {}): CliResult {
  const node = fromSource ? ['--import', 'tsx', entry] : [entry];
  const res = spawnSync(process.execPath, [...node, ...args], {
    cwd: options.cwd ?? process.cwd(),
    encoding: 'utf8',
    timeout: 120_000,
    // The tokenisation secret goes to a temporary config folder, not the user's own.
    env: { ...process.env, SHADOWTAP_LOG: 'info', XDG_CONFIG_HOME: CONFIG_HOME },
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A fresh temporary folder for one test. */
export function tempDir(prefix = 'shadowtap-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
