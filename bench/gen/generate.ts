/**
 * Writes one profile's capture: keeps the profile's number of connections open,
 * steps a randomly chosen one by one packet at a time (so flows interleave packet
 * by packet as on a mirror port), starts a new connection when one ends, and stops
 * starting exchanges once the file has reached the size asked for. Capture time
 * advances by each frame's time on a 1 Gbit/s wire. Same seed, same file.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { writeTcpFrame } from './frames.js';
import { PcapWriter } from './pcap-writer.js';
import { profileNamed, type ProfileName } from './profiles.js';
import { Rng } from './rng.js';
import { Connection, type FrameSink } from './tcp-conn.js';

/** Bumped whenever the output for a given seed changes, so cached files are remade. */
export const GENERATOR_VERSION = 1;

/** What to write. */
export interface GenerateOptions {
  profile: ProfileName;
  /** Target file size in bytes; the file ends a little past it (open exchanges finish). */
  bytes: number;
  seed: number;
  out: string;
}

/** What was written: the counts a replay of the file should find. */
export interface GenerateResult {
  version: number;
  profile: ProfileName;
  seed: number;
  target: number;
  file: string;
  bytes: number;
  packets: number;
  connections: number;
  /** HTTP requests written, each followed by its response. */
  exchanges: number;
  /** Most connections open at once (SYN written, last packet not yet). */
  peakOpenFlows: number;
  captureSeconds: number;
}

/** 2024-01-15 10:00:00 UTC, in microseconds. */
const START_US = 1_705_312_800_000_000;
/** Wire time per byte at 1 Gbit/s, in microseconds. */
const US_PER_BYTE = 0.008;
/** Preamble, start delimiter, FCS and inter-frame gap take wire time too. */
const FRAME_OVERHEAD_BYTES = 24;

/** Writes the capture and returns its counts. */
export function generate(opts: GenerateOptions): GenerateResult {
  const profile = profileNamed(opts.profile);
  const rng = new Rng(opts.seed);
  const make = profile.exchanges(rng);
  const writer = new PcapWriter(opts.out);
  let clockUs = START_US;
  let packets = 0;
  const sink: FrameSink = (f, length, payload, start, end) => {
    const { buf, at } = writer.record(Math.floor(clockUs), length);
    writeTcpFrame(buf, at, f, payload, start, end);
    packets++;
    clockUs += (length + FRAME_OVERHEAD_BYTES) * US_PER_BYTE;
  };
  // LIMITATION: a connection that reaches its first request after the size is reached
  // closes without one (handshake and FIN only); it counts in `connections`.
  const full = (): boolean => writer.bytes >= opts.bytes;

  let connections = 0;
  let exchanges = 0;
  let open = 0;
  let peak = 0;
  const start = (): Connection => {
    const n = ++connections; // from 1: no client address ends in .0.0
    const host = rng.pick(profile.hosts);
    let left = profile.exchangesPerConn === null
      ? Infinity
      : rng.int(profile.exchangesPerConn[0], profile.exchangesPerConn[1]);
    const c = new Connection({
      // One client address per connection (10.64.0.0/10 holds four million).
      clientIp: ((10 << 24) | ((64 + ((n >>> 16) & 63)) << 16) | (n & 0xffff)) >>> 0,
      clientPort: rng.int(32768, 60999), // Linux's default ephemeral range
      serverIp: host.ip, serverPort: host.port,
      clientIsn: rng.u32(), serverIsn: rng.u32(), serverCloses: profile.serverCloses,
    }, () => {
      if (left <= 0 || full()) return null;
      left--;
      exchanges++;
      return make(rng, host);
    });
    if (profile.burstOpen) for (let i = 0; i < 3; i++) step(c);
    return c;
  };
  const step = (c: Connection): void => {
    const was = c.opened;
    c.step(sink, clockUs / 1000);
    if (!was && c.opened && ++open > peak) peak = open;
    if (c.done) open--;
  };

  const concurrency = Math.max(1, Math.min(profile.concurrency,
    Math.floor(opts.bytes / profile.connBytes)));
  const active: Connection[] = [];
  while (active.length < concurrency) active.push(start());
  while (active.length > 0) {
    const i = Math.floor(rng.float() * active.length);
    const c = active[i]!;
    step(c);
    if (!c.done) continue;
    if (!full()) {
      active[i] = start();
    } else {
      active[i] = active[active.length - 1]!;
      active.pop();
    }
  }
  writer.close();
  return {
    version: GENERATOR_VERSION, profile: profile.name, seed: opts.seed, target: opts.bytes,
    file: opts.out, bytes: writer.bytes, packets, connections, exchanges, peakOpenFlows: peak,
    captureSeconds: (clockUs - START_US) / 1e6,
  };
}

/**
 * Generates unless `out` already holds this profile, size and seed (told by the
 * `out.json` written beside it), and returns the counts either way.
 */
export function generateCached(opts: GenerateOptions): GenerateResult & { cached: boolean } {
  const meta = `${opts.out}.json`;
  if (existsSync(opts.out) && existsSync(meta)) {
    const r = JSON.parse(readFileSync(meta, 'utf8')) as GenerateResult;
    if (r.version === GENERATOR_VERSION && r.profile === opts.profile && r.seed === opts.seed &&
      r.target === opts.bytes && statSync(opts.out).size === r.bytes) {
      return { ...r, cached: true };
    }
  }
  const r = generate(opts);
  writeFileSync(meta, JSON.stringify(r, null, 2) + '\n');
  return { ...r, cached: false };
}
