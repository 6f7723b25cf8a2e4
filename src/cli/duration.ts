/** Durations on the command line: `90`, `90s`, `10m`, `1h`, `2d` (seconds when bare). */
import { ShadowtapError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses a duration option into milliseconds, or a usage error naming the option. */
export function durationOption(name: string, minSeconds: number) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value.trim());
    const seconds = m === null ? NaN : Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    if (!(seconds >= minSeconds) || !Number.isFinite(seconds)) {
      throw new ShadowtapError(
        'usage',
        `${name} takes a duration of at least ${minSeconds}s like 30s, 10m, 1h or 2d, ` +
          `not '${value}'`,
      );
    }
    return Math.round(seconds * 1000);
  };
}
