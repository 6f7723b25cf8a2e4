/**
 * The traffic shapes the benchmark replays, each stressing a different part of
 * the pipeline: per-exchange work (small-json), body handling (large-bodies),
 * flow setup and teardown (short-conns), decoding (gzip), flow-table locality
 * (interleaved) and memory per open flow (many-flows).
 */
import { API_HOSTS, apiExchange, type ApiHost, type BodyStyle } from './api.js';
import { BodyPools, LARGE_HOSTS, largeExchange } from './large.js';
import type { Rng } from './rng.js';
import type { WireExchange } from './tcp-conn.js';

/** The profile names, in the order the benchmark runs them. */
export const PROFILE_NAMES = ['small-json', 'large-bodies', 'short-conns', 'gzip', 'interleaved',
  'many-flows'] as const;

/** A profile's name. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** How one profile's capture is shaped. */
export interface Profile {
  name: ProfileName;
  description: string;
  /** Connections open at once (fewer when the capture is too small to hold them). */
  concurrency: number;
  /** Exchanges per connection, lowest and highest; null keeps every connection to the end. */
  exchangesPerConn: [number, number] | null;
  /** The server closes after its response (Connection: close); otherwise the client. */
  serverCloses: boolean;
  /** A new connection's handshake is written at once, so all of them are open together. */
  burstOpen: boolean;
  /** About what one connection takes in the file; small captures open fewer at once. */
  connBytes: number;
  /** Capture size the benchmark uses unless told otherwise, in MB. */
  benchMb: number;
  hosts: readonly ApiHost[];
  /** Makes the exchange maker; called once per capture (large pools are made here). */
  exchanges(r: Rng): (r: Rng, host: ApiHost) => WireExchange;
}

const SMALL: BodyStyle = { gzip: false, chunkedShare: 0.1, listItems: [1, 8] };
const GZIP: BodyStyle = { gzip: true, chunkedShare: 0.5, listItems: [10, 60] };
const api = (style: BodyStyle) => () => (r: Rng, host: ApiHost) => apiExchange(r, host, style);

/** Every profile by name. */
export const PROFILES: Record<ProfileName, Profile> = {
  'small-json': {
    name: 'small-json',
    description: 'small JSON API calls over keep-alive connections, ~40 endpoints with ids',
    concurrency: 64, exchangesPerConn: [5, 60], serverCloses: false, burstOpen: false,
    connBytes: 30_000,
    benchMb: 100, hosts: API_HOSTS, exchanges: api(SMALL),
  },
  'large-bodies': {
    name: 'large-bodies',
    description: 'responses of 100 KB-2 MB (chunked and Content-Length), some uploads',
    concurrency: 8, exchangesPerConn: [1, 4], serverCloses: false, burstOpen: false,
    connBytes: 2_500_000, benchMb: 100, hosts: LARGE_HOSTS,
    exchanges: (r) => {
      const pools = new BodyPools(r);
      return (r2, host) => largeExchange(r2, host, pools);
    },
  },
  'short-conns': {
    name: 'short-conns',
    description: 'one request per connection (Connection: close), tens of thousands of them',
    concurrency: 64, exchangesPerConn: [1, 1], serverCloses: true, burstOpen: false,
    connBytes: 1300,
    benchMb: 100, hosts: API_HOSTS, exchanges: api(SMALL),
  },
  gzip: {
    name: 'gzip',
    description: 'gzip-compressed JSON responses of 1-20 KB decoded, half of them chunked',
    concurrency: 32, exchangesPerConn: [5, 30], serverCloses: false, burstOpen: false,
    connBytes: 40_000,
    benchMb: 100, hosts: API_HOSTS, exchanges: api(GZIP),
  },
  interleaved: {
    name: 'interleaved',
    description: '20,000 connections open at once, interleaved packet by packet',
    concurrency: 20_000, exchangesPerConn: [1, 8], serverCloses: false, burstOpen: false,
    connBytes: 1300,
    benchMb: 100, hosts: API_HOSTS, exchanges: api(SMALL),
  },
  'many-flows': {
    name: 'many-flows',
    description: '100,000 connections opened first, all open until the end of the capture',
    concurrency: 100_000, exchangesPerConn: null, serverCloses: false, burstOpen: true,
    connBytes: 1300,
    // 100,000 handshakes, closes and one exchange each take about 130 MB.
    benchMb: 200, hosts: API_HOSTS, exchanges: api(SMALL),
  },
};

/** The profile called `name`, or an error listing the names. */
export function profileNamed(name: string): Profile {
  const p = (PROFILES as Record<string, Profile | undefined>)[name];
  if (p === undefined) {
    throw new Error(`unknown profile '${name}': one of ${PROFILE_NAMES.join(', ')}`);
  }
  return p;
}
