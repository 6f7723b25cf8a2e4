/**
 * TCP sequence arithmetic. Sequence numbers are 32-bit and wrap (RFC 9293 §3.4);
 * reassembly works on "unwrapped" positions: plain numbers that keep growing past
 * 2^32, so comparisons and lengths are ordinary arithmetic. A JS number holds them
 * exactly far beyond any capture's length (2^53).
 */

const MOD = 2 ** 32;
const HALF = 2 ** 31;

/**
 * The unwrapped position congruent to `seq` (mod 2^32) that lies closest to `near`,
 * an already unwrapped position. Valid while the true distance is under 2^31 bytes,
 * which TCP's window rules guarantee for live data (RFC 9293 §3.4).
 */
export function unwrapSeq(seq: number, near: number): number {
  let diff = (seq - near) % MOD;
  if (diff < 0) diff += MOD;
  if (diff >= HALF) diff -= MOD;
  return near + diff;
}

/** Reduces an unwrapped position back to the 32-bit value seen on the wire. */
export function wrapSeq(pos: number): number {
  const v = pos % MOD;
  return v < 0 ? v + MOD : v;
}
