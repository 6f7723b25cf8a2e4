/** Checks shared by commands. */
import { existsSync } from 'node:fs';
import { ShadowtapError } from '../../errors.js';

/** Throws a one-line error when a file the command needs does not exist. */
export function existsOrThrow(file: string, what: string): void {
  if (!existsSync(file)) {
    throw new ShadowtapError('file-not-found', `${file}: no such ${what}`);
  }
}
