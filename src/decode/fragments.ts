/**
 * IP fragment reassembly for IPv4 (RFC 791 section 3.2) and IPv6 (RFC 8200 section
 * 4.5), the one place the decoder keeps state. Fragments are copied (they must
 * outlive their packet) into one buffer per datagram, with a coverage map in
 * 8-byte units, the granularity fragment offsets come in. Overlaps keep the bytes
 * that arrived first. Memory is bounded by maxFragmentDatagrams and
 * maxFragmentBytes; datagrams older than fragmentTimeoutSec in capture time are
 * dropped.
 */
import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';

/** A datagram whose fragments have all arrived. */
export interface Reassembled {
  /** The upper-layer protocol named by the offset-0 fragment. */
  protocol: number;
  /** The whole payload; owned by the caller from now on. */
  payload: Uint8Array;
}

/** Neither IPv4 nor (non-jumbo) IPv6 can describe a datagram longer than this. */
const MAX_DATAGRAM_BYTES = 65535;
const UNIT = 8;
const INITIAL_BYTES = 2048;

interface Datagram {
  /** Capture time of its first fragment. */
  firstTs: number;
  buf: Uint8Array;
  /** One byte per 8-byte unit of buf: 1 once the unit's bytes arrived. */
  cover: Uint8Array;
  /** Distinct payload bytes received. */
  have: number;
  /** Payload length, known once the last fragment (no More Fragments) arrived. */
  total: number;
  /** Largest end offset seen. */
  maxEnd: number;
  protocol: number;
}

/** Reassembles fragmented IP datagrams within the named limits. */
export class FragmentReassembler {
  private readonly pending = new Map<string, Datagram>();
  private held = 0;

  constructor(
    private readonly limits: Limits,
    private readonly anomalies: AnomalyCounter,
  ) {}

  /** Datagrams in progress. */
  get size(): number {
    return this.pending.size;
  }

  /** Bytes held across all datagrams in progress. */
  get bytesHeld(): number {
    return this.held;
  }

  /**
   * Adds a fragment of the datagram `key` (which must name source, destination,
   * identification and, for IPv4, protocol). `offset` is in bytes; `data` is the
   * fragment's payload, a view that is copied. Returns the datagram when this
   * fragment completed it. Impossible fragments count 'bad-ip-header'.
   */
  add(
    key: string,
    ts: number,
    offset: number,
    data: Uint8Array,
    more: boolean,
    protocol: number,
  ): Reassembled | null {
    const end = offset + data.length;
    // RFC 791/8200: every fragment but the last carries a multiple of 8 bytes.
    if (end > MAX_DATAGRAM_BYTES || (more && (data.length === 0 || data.length % UNIT !== 0))) {
      this.anomalies.add('bad-ip-header');
      return null;
    }
    let d = this.pending.get(key);
    if (d === undefined) {
      if (this.pending.size >= this.limits.maxFragmentDatagrams) this.evictOldest(null);
      d = {
        firstTs: ts,
        buf: new Uint8Array(0),
        cover: new Uint8Array(0),
        have: 0,
        total: -1,
        maxEnd: 0,
        protocol: -1,
      };
      this.pending.set(key, d);
    }
    // A fragment that contradicts the known end of the datagram is dropped.
    const knownEnd = d.total >= 0;
    const pastEnd = knownEnd && end > d.total;
    const badLast = !more && (end < d.maxEnd || (knownEnd && end !== d.total));
    if (pastEnd || badLast) {
      this.anomalies.add('bad-ip-header');
      return null;
    }
    if (!this.makeRoom(key, d, end)) return null;
    if (!more) d.total = end;
    if (end > d.maxEnd) d.maxEnd = end;
    if (offset === 0) d.protocol = protocol;
    if (copyUncovered(d, offset, data)) this.anomalies.add('fragment-overlap');
    if (d.total < 0 || d.have !== d.total) return null;
    this.drop(key, d);
    return { protocol: d.protocol, payload: d.buf.subarray(0, d.total) };
  }

  /** Drops datagrams whose first fragment is older than the timeout at capture time `now`. */
  expire(now: number): void {
    const limit = now - this.limits.fragmentTimeoutSec;
    // Map order is arrival order, so the oldest come first.
    for (const [key, d] of this.pending) {
      if (d.firstTs > limit) break;
      this.drop(key, d);
      this.anomalies.add('fragment-timeout');
    }
  }

  /** End of input: every datagram still incomplete is given up as timed out. */
  finish(): void {
    for (const [key, d] of this.pending) {
      this.drop(key, d);
      this.anomalies.add('fragment-timeout');
    }
  }

  /** Grows d's buffer to hold `end` bytes within maxFragmentBytes, evicting others. */
  private makeRoom(key: string, d: Datagram, end: number): boolean {
    if (end <= d.buf.length) return true;
    const grown = Math.max(end, INITIAL_BYTES, d.buf.length * 2);
    const size = Math.min(MAX_DATAGRAM_BYTES + UNIT, grown);
    const units = Math.ceil(size / UNIT);
    const extra = size + units - (d.buf.length + d.cover.length);
    while (this.held + extra > this.limits.maxFragmentBytes && this.evictOldest(key)) {
      // evicted one; try again
    }
    if (this.held + extra > this.limits.maxFragmentBytes) {
      this.drop(key, d);
      this.anomalies.add('fragment-limit');
      return false;
    }
    const buf = new Uint8Array(size);
    buf.set(d.buf);
    const cover = new Uint8Array(units);
    cover.set(d.cover);
    d.buf = buf;
    d.cover = cover;
    this.held += extra;
    return true;
  }

  /** Evicts the oldest datagram other than `keep`; false when there is none. */
  private evictOldest(keep: string | null): boolean {
    for (const [key, d] of this.pending) {
      if (key === keep) continue;
      this.drop(key, d);
      this.anomalies.add('fragment-limit');
      return true;
    }
    return false;
  }

  private drop(key: string, d: Datagram): void {
    this.pending.delete(key);
    this.held -= d.buf.length + d.cover.length;
  }
}

/**
 * Copies the bytes of [offset, offset + data.length) whose units have not arrived
 * yet; returns true when some had (an overlap). Fragment offsets are multiples
 * of 8, so a unit is either wholly new or already there; only the datagram's last
 * unit can be partial, and the end checks in add() keep it consistent.
 */
function copyUncovered(d: Datagram, offset: number, data: Uint8Array): boolean {
  const end = offset + data.length;
  const lastUnit = Math.ceil(end / UNIT);
  let overlap = false;
  let u = offset / UNIT;
  while (u < lastUnit) {
    if (d.cover[u] === 1) {
      overlap = true;
      u++;
      continue;
    }
    let v = u;
    while (v < lastUnit && d.cover[v] !== 1) d.cover[v++] = 1;
    const from = u * UNIT;
    const to = Math.min(v * UNIT, end);
    d.buf.set(data.subarray(from - offset, to - offset), from);
    d.have += to - from;
    u = v;
  }
  return overlap;
}
