/** Parsing and checking of option values shared by several commands. */
import { DEFAULT_LIMITS } from '../config/limits.js';
import { ShadowtapError } from '../errors.js';

/** A non-negative integer option, or a usage error naming the option. */
export function intOption(name: string, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) > max) {
      throw new ShadowtapError('usage',
        `${name} takes a whole number from 0 to ${max}, not '${value}'`);
    }
    return Number(value);
  };
}

/** Repeatable option values collect into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** One of a closed set of words, or a usage error. */
export function choiceOption<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new ShadowtapError('usage',
        `${name} takes one of ${choices.join(', ')}, not '${value}'`);
    }
    return value as T;
  };
}

/**
 * --full-scan-every, shared by replay and capture: one exchange in N has its personal
 * data scanned in full once fields have settled (see src/pipeline/settled.ts).
 */
export const FULL_SCAN_OPTION = [
  '--full-scan-every <n>',
  'scan one exchange in N for personal data in full; the others skip fields that have ' +
    'settled (0 or 1: every exchange in full)',
  intOption('--full-scan-every', 1_000_000),
  DEFAULT_LIMITS.fullScanEvery,
] as const;
