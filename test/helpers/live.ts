// Helpers for the live-capture tests: run shadowtap (or a helper program) as a child
// process, possibly inside a network namespace, with every wait bounded; create and
// always remove a pair of namespaces joined by a veth, and tunnels over it; read and
// check what a capture stored.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadCap } from '../../src/source/cap-binding.js';

const fromSource = import.meta.url.endsWith('.ts');
const ext = fromSource ? '.ts' : '.js';
const CLI = fileURLToPath(new URL(`../../src/cli/main${ext}`, import.meta.url));
const LOAD = fileURLToPath(new URL(`./http-load${ext}`, import.meta.url));

/** Configuration folder for children (the tokenisation secret lands here). */
export const CONFIG_HOME = mkdtempSync(join(tmpdir(), 'shadowtap-live-config-'));

/** node's arguments to run a script of ours, from sources (tsx) or from dist. */
function nodeArgs(script: string): string[] {
  return fromSource ? ['--import', 'tsx', script] : [script];
}

/** A running child with its output gathered and bounded waits. */
export class Child {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly proc: ChildProcess;

  constructor(argv: string[], timeoutMs: number) {
    this.proc = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SHADOWTAP_LOG: 'info', XDG_CONFIG_HOME: CONFIG_HOME },
    });
    this.proc.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const killer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        clearTimeout(killer);
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  kill(signal: NodeJS.Signals): void {
    this.proc.kill(signal);
  }

  /** Waits until stdout or stderr matches, or fails after `ms`. */
  async waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(this.stderr) ?? pattern.exec(this.stdout);
      if (m !== null) return m;
      if (Date.now() > deadline || this.proc.exitCode !== null) {
        throw new Error(`no ${pattern} within ${ms} ms; stderr: ${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Starts `shadowtap ARGS` (in namespace `netns` when given). */
export function startShadowtap(args: string[], o: { netns?: string; timeoutMs: number }): Child {
  const prefix = o.netns === undefined ? [] : ['ip', 'netns', 'exec', o.netns];
  return new Child([...prefix, process.execPath, ...nodeArgs(CLI), ...args], o.timeoutMs);
}

/** Starts a script of ours, given as a file URL (in namespace `netns` when given). */
export function startScript(
  url: URL,
  args: string[],
  o: { netns?: string; timeoutMs: number },
): Child {
  const prefix = o.netns === undefined ? [] : ['ip', 'netns', 'exec', o.netns];
  const file = fileURLToPath(url).replace(/\.[jt]s$/, ext);
  return new Child([...prefix, process.execPath, ...nodeArgs(file), ...args], o.timeoutMs);
}

/** Starts the http-load helper (in namespace `netns` when given). */
export function startLoad(args: string[], o: { netns?: string; timeoutMs: number }): Child {
  const prefix = o.netns === undefined ? [] : ['ip', 'netns', 'exec', o.netns];
  return new Child([...prefix, process.execPath, ...nodeArgs(LOAD), ...args], o.timeoutMs);
}

/** Runs the http-load helper to completion, blocking this thread (no event loop turns). */
export function runLoadSync(args: string[]): { completed: Array<{ path: string }> } {
  const res = spawnSync(process.execPath, [...nodeArgs(LOAD), ...args], {
    encoding: 'utf8', timeout: 60_000,
  });
  if (res.status !== 0) throw new Error(`http-load ${args[0]} failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as { completed: Array<{ path: string }> };
}

/** Why live capture cannot be tested here, or null when it can. */
export async function liveUnavailable(): Promise<string | null> {
  try {
    await loadCap();
  } catch (e) {
    return `live capture unavailable: ${(e as Error).message}`;
  }
  if (process.getuid?.() !== 0) return 'capturing needs root (CAP_NET_RAW); tests run as non-root';
  return null;
}

function ip(args: string[]): { ok: boolean; err: string } {
  const res = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  return { ok: res.status === 0, err: (res.stderr ?? String(res.error ?? '')).trim() };
}

/** Two namespaces joined by a veth, addresses from 10.213.X.0/30 inside them only. */
export interface NetnsPair {
  a: string;
  b: string;
  /** The veth end inside `a`, and its address; the same for `b`. */
  ifA: string;
  addrA: string;
  ifB: string;
  addrB: string;
  remove(): void;
}

/**
 * Creates the pair, or returns why it cannot (not root, no CAP_SYS_ADMIN, no `ip`).
 * The machine's own namespace gets no address, route or link: the veth is created
 * inside `a` with its peer placed straight into `b`.
 */
export function createNetnsPair(): NetnsPair | string {
  const tag = randomBytes(3).toString('hex');
  const a = `st-test-${tag}-a`;
  const b = `st-test-${tag}-b`;
  const x = 1 + (randomBytes(1)[0]! % 250);
  const pair: NetnsPair = {
    a, b, ifA: `st${tag}a`, addrA: `10.213.${x}.1`, ifB: `st${tag}b`, addrB: `10.213.${x}.2`,
    remove: () => {
      ip(['netns', 'del', a]);
      ip(['netns', 'del', b]);
    },
  };
  const first = ip(['netns', 'add', a]);
  if (!first.ok) return `cannot create network namespaces here (${first.err || 'ip failed'})`;
  const steps: string[][] = [
    ['netns', 'add', b],
    ['-n', a, 'link', 'add', pair.ifA, 'type', 'veth', 'peer', 'name', pair.ifB, 'netns', b],
    ['-n', a, 'addr', 'add', `${pair.addrA}/30`, 'dev', pair.ifA],
    ['-n', b, 'addr', 'add', `${pair.addrB}/30`, 'dev', pair.ifB],
    ['-n', a, 'link', 'set', pair.ifA, 'up'],
    ['-n', b, 'link', 'set', pair.ifB, 'up'],
    ['-n', a, 'link', 'set', 'lo', 'up'],
    ['-n', b, 'link', 'set', 'lo', 'up'],
  ];
  for (const step of steps) {
    const r = ip(step);
    if (!r.ok) {
      pair.remove();
      return `cannot set up the veth pair (ip ${step.join(' ')}: ${r.err})`;
    }
  }
  return pair;
}

/** A tunnel device joining the two namespaces of a pair, over its veth (the underlay). */
export interface Tunnel {
  /** What was created, as a skip or assertion message says it ('erspan v2', 'gretap'). */
  kind: string;
  /** The tunnel id shadowtap gives flows inside it ('vxlan:N', 'erspan:N', 'gre:key=N'). */
  label: string;
  /** Overlay addresses, on the tunnel device in `a` and in `b`. */
  addrA: string;
  addrB: string;
  /** BPF filter that keeps the encapsulated frames on the underlay veth, fragments too. */
  outerFilter: string;
}

/** The ways of carrying the overlay that addTunnel knows. */
export type TunnelKind = 'vxlan' | 'erspan1' | 'erspan2' | 'gretap';

/** How `ip link add` makes a device of `kind` with id `id`, and what shadowtap will call it. */
function tunnelDevice(
  kind: TunnelKind,
  id: number,
): { args: string[]; label: string; name: string; filter: string } {
  switch (kind) {
    case 'vxlan':
      return {
        args: ['type', 'vxlan', 'id', String(id), 'dstport', '4789'],
        // A port matches only an IP datagram's first fragment: the outer datagram of
        // a full-size inner frame is fragmented on the underlay, so keep the rest too.
        label: `vxlan:${id}`, name: 'vxlan', filter: 'udp port 4789 or (ip[6:2] & 0x1fff != 0)',
      };
    case 'erspan1':
    case 'erspan2': {
      // Linux's erspan_ver 1 sends ERSPAN type II, erspan_ver 2 type III, both over
      // GRE with a sequence number; the session id is the GRE key's low 10 bits.
      const session = id & 0x3ff;
      const version = kind === 'erspan1'
        ? ['erspan_ver', '1', 'erspan', '1']
        : ['erspan_ver', '2', 'erspan_dir', 'ingress', 'erspan_hwid', '7'];
      return {
        args: ['type', 'erspan', 'seq', 'key', String(session), ...version],
        label: `erspan:${session}`, name: `erspan v${kind.slice(-1)}`, filter: 'ip proto 47',
      };
    }
    case 'gretap':
      return {
        args: ['type', 'gretap', 'key', String(id)],
        label: `gre:key=${id}`, name: 'gretap', filter: 'ip proto 47',
      };
  }
}

/**
 * Adds a tunnel of `kind` between the pair's namespaces, over its veth, with overlay
 * addresses from 10.214.X.0/30, or returns why the kernel refused (no such device
 * type: the module is missing or not allowed). Removed with the pair's namespaces.
 */
export function addTunnel(pair: NetnsPair, kind: TunnelKind): Tunnel | string {
  const device = tunnelDevice(kind, 1 + (randomBytes(2).readUInt16BE(0) % 1000));
  const x = 1 + (randomBytes(1)[0]! % 250);
  const dev = 'st-tun0';
  const sides = [
    { ns: pair.a, local: pair.addrA, remote: pair.addrB, addr: `10.214.${x}.1` },
    { ns: pair.b, local: pair.addrB, remote: pair.addrA, addr: `10.214.${x}.2` },
  ];
  for (const side of sides) {
    const ends = ['local', side.local, 'remote', side.remote];
    const steps = [
      ['-n', side.ns, 'link', 'add', dev, ...device.args, ...ends],
      ['-n', side.ns, 'addr', 'add', `${side.addr}/30`, 'dev', dev],
      ['-n', side.ns, 'link', 'set', dev, 'up'],
    ];
    for (const step of steps) {
      const r = ip(step);
      if (!r.ok) {
        const why = `ip ${step.join(' ')}: ${r.err}`;
        return `the kernel here refused tunnel device type ${device.name} (${why})`;
      }
    }
  }
  return {
    kind: device.name, label: device.label, addrA: sides[0]!.addr, addrB: sides[1]!.addr,
    outerFilter: device.filter,
  };
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'shadowtap-live-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The request targets in an --exchanges file, one per exchange. */
export function exchangeUris(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { uri: string }).uri);
}

/** What a capture stored: the run's own exchange count and the endpoints' requests. */
export function storedCounts(dbFile: string): {
  runs: number;
  runExchanges: number;
  endpointRequests: number;
  finished: boolean;
  received: number | null;
  dropped: number | null;
} {
  const db = new Database(dbFile, { readonly: true });
  try {
    const runs = db.prepare('SELECT * FROM runs ORDER BY id').all() as Array<{
      exchanges: number; finished_at: number | null; pcap_received: number | null;
      pcap_dropped: number | null;
    }>;
    const last = runs[runs.length - 1];
    const sum = db.prepare('SELECT COALESCE(SUM(requests), 0) AS n FROM endpoints').get() as {
      n: number;
    };
    return {
      runs: runs.length,
      runExchanges: last?.exchanges ?? 0,
      endpointRequests: sum.n,
      finished: last?.finished_at !== null && last?.finished_at !== undefined,
      received: last?.pcap_received ?? null,
      dropped: last?.pcap_dropped ?? null,
    };
  } finally {
    db.close();
  }
}

/**
 * What a capture into `dir` (st.db, ex.jsonl) kept equals the client's own: the run's
 * exchanges, the endpoints' requests and the --exchanges lines, request for request.
 */
export function assertStoredExactly(dir: string, paths: string[]): void {
  const stored = storedCounts(join(dir, 'st.db'));
  assert.equal(stored.runExchanges, paths.length);
  assert.equal(stored.endpointRequests, paths.length);
  assert.equal(stored.finished, true);
  assert.equal(stored.dropped, 0);
  assert.deepEqual(exchangeUris(join(dir, 'ex.jsonl')).sort(), [...paths].sort());
}
