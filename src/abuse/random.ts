/**
 * A small seeded PRNG, so training is reproducible: Math.random cannot be seeded.
 * mulberry32 (Tommy Ettinger's 32-bit generator) passes common statistical test
 * batteries at this size and is more than enough for picking features, split
 * points and sub-samples.
 */

/** A function returning uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
