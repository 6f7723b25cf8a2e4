/**
 * One timed run of a capture through shadowtap or tshark, as a child process:
 * wall time from spawn to exit, CPU time and peak resident memory of the child.
 * shadowtap reports its own resource use (worker threads included) through the
 * hidden SHADOWTAP_REPORT_RUSAGE switch; tshark's comes from /usr/bin/time when
 * that is installed, and is left out otherwise.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What one run measured. Null where the tool could not tell. */
export interface Measurement {
  wallSeconds: number;
  /** User plus system CPU time, all threads. */
  cpuSeconds: number | null;
  peakRssMb: number | null;
  packets: number | null;
  /** HTTP exchanges (shadowtap) or requests (tshark) found. */
  exchanges: number;
  /** tshark only: responses found. */
  responses?: number;
}

/** Paths the shadowtap runs need. */
export interface OursSetup {
  /** The built command line, dist/src/cli/main.js. */
  cli: string;
  /** A database file, deleted before each run so every run does the same work. */
  db: string;
  /** The tokenisation key, kept outside the database's folder as the CLI asks. */
  secretFile: string;
}

/** Replays `file` with `workers` flow workers into a fresh database. */
export async function runOurs(setup: OursSetup, file: string,
  workers: number): Promise<Measurement> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(setup.db + suffix, { force: true });
  const args = [setup.cli, 'replay', file, '--db', setup.db, '--workers', String(workers),
    '--no-report', '--secret-file', setup.secretFile];
  const env = { ...process.env, SHADOWTAP_REPORT_RUSAGE: '1', SHADOWTAP_LOG: 'info' };
  const t0 = performance.now();
  const { code, stderr } = await child(process.execPath, args, env, () => undefined);
  const wallSeconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`shadowtap replay ${file} exited ${code}: ${stderr.trim()}`);
  const usage = stderr.split('\n').filter((l) => l.startsWith('{"userCPUTime"')).pop();
  if (usage === undefined) throw new Error('shadowtap did not report its resource use');
  const u = JSON.parse(usage) as { userCPUTime: number; systemCPUTime: number; maxRSS: number };
  return {
    wallSeconds,
    cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6,
    peakRssMb: u.maxRSS / 1024,
    packets: count(/([\d,]+) packets/, stderr),
    exchanges: count(/HTTP exchanges ([\d,]+)/, stderr) ?? 0,
  };
}

const TIME = '/usr/bin/time';

/**
 * tshark's extraction of the HTTP request and response fields, the reference the
 * issue names: `tshark -r F -Y http -T fields -e http.request.method ...`.
 */
export async function runTshark(file: string, scratch: string): Promise<Measurement> {
  const fields = ['-r', file, '-Y', 'http', '-T', 'fields', '-e', 'http.request.method',
    '-e', 'http.request.uri', '-e', 'http.response.code'];
  const timed = existsSync(TIME);
  const timeOut = join(scratch, 'tshark.time');
  rmSync(timeOut, { force: true });
  const [cmd, args] = timed
    ? [TIME, ['-f', '%U %S %M', '-o', timeOut, 'tshark', ...fields]]
    : ['tshark', fields];
  let requests = 0;
  let responses = 0;
  const t0 = performance.now();
  const { code, stderr } = await child(cmd, args, process.env, (line) => {
    const [method, , status] = line.split('\t');
    // One frame may carry several pipelined messages, comma-joined.
    if (method) requests += method.split(',').length;
    if (status) responses += status.split(',').length;
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`tshark on ${file} exited ${code}: ${stderr.trim()}`);
  let cpuSeconds: number | null = null;
  let peakRssMb: number | null = null;
  if (timed && existsSync(timeOut)) {
    const [user, sys, rssKb] = readFileSync(timeOut, 'utf8').trim().split(/\s+/).slice(-3)
      .map(Number);
    cpuSeconds = user! + sys!;
    peakRssMb = rssKb! / 1024;
  }
  return { wallSeconds, cpuSeconds, peakRssMb, packets: null, exchanges: requests, responses };
}

function count(re: RegExp, text: string): number | null {
  const m = re.exec(text);
  return m === null ? null : Number(m[1]!.replaceAll(',', ''));
}

/** Runs a command to its end, handing each stdout line to `onLine`, keeping stderr. */
function child(cmd: string, args: string[], env: NodeJS.ProcessEnv,
  onLine: (line: string) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (s: string) => {
      // Keep the tail only: a run that warns a lot must not grow this process.
      stderr = (stderr + s).slice(-64 * 1024);
    });
    createInterface({ input: p.stdout }).on('line', onLine);
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stderr }));
  });
}
