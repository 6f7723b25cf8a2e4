/**
 * Seeded choices for the capture generator: the same seed gives the same file,
 * byte for byte, on any machine (Math.random cannot be seeded).
 */
import { mulberry32 } from '../../src/abuse/random.js';

/** A seeded source of the few kinds of random choice the generator makes. */
export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** An unsigned 32-bit integer (sequence numbers, tokens). */
  u32(): number {
    return Math.floor(this.next() * 0x1_0000_0000) >>> 0;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  }
}
