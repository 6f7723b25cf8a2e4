/**
 * Sampling of the personal-data scan once a field has settled. Every exchange gets
 * its schema counted; the scan of its values (the dearest step after parsing) is
 * left out at a location that has settled: seen often enough, never free text, and
 * either never personal data or always wholly one kind of it. A value at a location
 * settled as a kind is taken as that kind without the validators (so sightings and
 * distinct tokens stay counted); one at a location settled as nothing is not looked
 * at. One exchange in `fullScanEvery`, chosen by a hash of the exchange, is still
 * scanned in full, which is also how a settled location comes undone; new field
 * names and free text are always scanned.
 *
 * What has settled is decided on the main thread from the merged tallies, and a
 * round gets what had settled by the round `lag` rounds before it. Rounds are the
 * same batches of packets whatever the worker count, and an exchange completes in
 * the same round, so every worker count scans the same values and gives the same
 * result.
 */
import type { Exchange } from '../http/types.js';
import type { ScannedValue, Settled } from '../pii/scan-exchange.js';
import type { PiiKind } from '../pii/types.js';

/**
 * Per location (`request|body:/email`): values scanned, values with a finding, free
 * text seen (0/1), the kind every finding had ('' none yet, '*' several or partial)
 * and the highest confidence.
 */
export type LocationTally = Record<
  string, [seen: number, hits: number, text: 0 | 1, kind: string, confidence: number]
>;

/**
 * Changes to what has settled: [detail key (see detailKey), location, state]; null
 * unsettles a location whose full scans turned mixed or free text.
 */
export type SettledDelta = Array<[string, string, Settled | null]>;

/** Sightings of a location before it can settle. */
export const SETTLE_SIGHTINGS = 32;
// Locations tallied per path shape; past it new locations are simply always scanned.
const MAX_LOCATIONS_PER_SHAPE = 256;

/** Text that may carry personal data anywhere in it: never sampled. */
export function isFreeText(v: string | number): boolean {
  return typeof v === 'string' && (v.length > 64 || /\s/.test(v));
}

/**
 * True when the exchange is scanned in full whatever has settled: a fixed hash of
 * where it is in the capture (its first packet, its client port), so the choice
 * does not depend on which worker holds it.
 */
export function scannedInFull(ex: Exchange, every: number): boolean {
  if (every <= 1) return true;
  let h = Math.imul(ex.packet ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13) ^ ex.client.port, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h % every === 0;
}

function entryOf(t: LocationTally, loc: string): LocationTally[string] | undefined {
  let e = t[loc];
  if (e === undefined) {
    if (Object.keys(t).length >= MAX_LOCATIONS_PER_SHAPE) return undefined;
    e = t[loc] = [0, 0, 0, '', 0];
  }
  return e;
}

/**
 * Adds one scanned value to a tally. A value that is wholly one piece of personal
 * data (a phone number with spaces, a street line) is that, not free text.
 */
export function tallyValue(t: LocationTally, loc: string, v: ScannedValue): void {
  const e = entryOf(t, loc);
  if (e === undefined) return;
  e[0]++;
  if (v.kind !== null) {
    e[1]++;
    const kind = v.whole ? v.kind : '*';
    e[3] = e[3] === '' || e[3] === kind ? kind : '*';
    e[4] = Math.max(e[4], v.confidence);
  }
  if (!v.whole && isFreeText(v.value)) e[2] = 1;
}

/** What a tally entry says of its location, null when it has not settled. */
function settledAs(e: LocationTally[string]): Settled | null {
  if (e[0] < SETTLE_SIGHTINGS || e[2] === 1) return null;
  if (e[1] === 0) return 'none';
  if (e[1] === e[0] && e[3] !== '*' && e[3] !== '') {
    return { kind: e[3] as PiiKind, confidence: e[4] };
  }
  return null;
}

function same(a: Settled | null, b: Settled | null): boolean {
  if (a === null || b === null || a === 'none' || b === 'none') return a === b;
  return a.kind === b.kind && a.confidence === b.confidence;
}

/** Main thread: merges the tallies of each round and hands settled locations out. */
export class SettledFields {
  private readonly tallies = new Map<string, LocationTally>();
  private readonly settled = new Map<string, Settled>();
  // Per round absorbed and not yet handed out, the locations that changed in it.
  private readonly byRound = new Map<number, SettledDelta>();
  private handedOut = 0;

  constructor(private readonly maxShapes: number) {}

  /** Merges the tallies of round `round` (every round absorbed, in order, from 0). */
  absorb(round: number, tallies: ReadonlyArray<[string, LocationTally]>): void {
    const delta: SettledDelta = [];
    for (const [key, t] of tallies) {
      let into = this.tallies.get(key);
      if (into === undefined) {
        if (this.tallies.size >= this.maxShapes) continue;
        into = {};
        this.tallies.set(key, into);
      }
      for (const [loc, [seen, hits, text, kind, confidence]] of Object.entries(t)) {
        const e = entryOf(into, loc);
        if (e === undefined) continue;
        e[0] += seen;
        e[1] += hits;
        if (text === 1) e[2] = 1;
        if (kind !== '') e[3] = e[3] === '' || e[3] === kind ? kind : '*';
        e[4] = Math.max(e[4], confidence);
        const id = key + '\0' + loc;
        const was = this.settled.get(id) ?? null;
        const now = settledAs(e);
        if (same(was, now)) continue;
        if (now === null) this.settled.delete(id);
        else this.settled.set(id, now);
        delta.push([key, loc, now]);
      }
    }
    delta.sort((a, b) => (a[0] + '\0' + a[1] < b[0] + '\0' + b[1] ? -1 : 1));
    this.byRound.set(round, delta);
  }

  /** What changed in rounds up to `round` and was not handed out yet. */
  takeUpTo(round: number): SettledDelta {
    const out: SettledDelta = [];
    while (this.handedOut <= round) {
      const d = this.byRound.get(this.handedOut);
      if (d === undefined) break;
      for (const x of d) out.push(x);
      this.byRound.delete(this.handedOut);
      this.handedOut++;
    }
    return out;
  }
}

/** Worker side: the locations settled so far, per detail key. */
export class SettledView {
  private readonly byKey = new Map<string, Map<string, Settled>>();

  learn(delta: SettledDelta): void {
    for (const [key, loc, state] of delta) {
      let m = this.byKey.get(key);
      if (m === undefined) this.byKey.set(key, (m = new Map()));
      if (state === null) m.delete(loc);
      else m.set(loc, state);
    }
  }

  /** The settled locations of a detail key, undefined when none. */
  of(key: string): ReadonlyMap<string, Settled> | undefined {
    const m = this.byKey.get(key);
    return m === undefined || m.size === 0 ? undefined : m;
  }
}
