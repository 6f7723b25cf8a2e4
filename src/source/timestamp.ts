/**
 * Capture timestamps to seconds. A pcapng timestamp is a 64-bit count of ticks;
 * at nanosecond resolution it is above 2^53, so it is divided exactly in pieces
 * rather than converted to a double first: the whole seconds come out exact and
 * only the fraction is rounded, so µs and ns copies of a capture agree.
 */

/** Largest tick rate the exact division handles: remainders times 2^16 stay below 2^53. */
const EXACT_TICK_LIMIT = 2 ** 36;

/**
 * Seconds since the epoch of a 64-bit tick count given as two unsigned 32-bit halves,
 * at `ticksPerSec` ticks per second.
 */
export function ticksToSeconds(hi: number, lo: number, ticksPerSec: number): number {
  if (ticksPerSec > EXACT_TICK_LIMIT) {
    // LIMITATION: finer than 2^-36 s the sum is done in doubles and loses sub-µs digits.
    return (hi * 4294967296 + lo) / ticksPerSec;
  }
  // Long division of hi:lo by ticksPerSec in 32/16/16-bit steps; every product
  // below stays under 2^53, so each step is exact.
  const qHi = Math.floor(hi / ticksPerSec);
  let r = hi - qHi * ticksPerSec;
  const mid = r * 65536 + (lo >>> 16);
  const qMid = Math.floor(mid / ticksPerSec);
  r = mid - qMid * ticksPerSec;
  const low = r * 65536 + (lo & 0xffff);
  const qLow = Math.floor(low / ticksPerSec);
  r = low - qLow * ticksPerSec;
  return qHi * 4294967296 + qMid * 65536 + qLow + r / ticksPerSec;
}

/**
 * Seconds of a classic pcap record: whole seconds plus a fraction counted in
 * 1e6 (µs magic) or 1e9 (ns magic) parts. Dividing the integer fraction once gives
 * the same double for the same instant in either resolution.
 */
export function pcapSeconds(sec: number, frac: number, fracPerSec: number): number {
  return sec + frac / fracPerSec;
}
