/** Where results go: a file named by --out, else stdout. */
import { writeFileSync } from 'node:fs';
import { ShadowtapError } from '../errors.js';

export function writeResult(text: string, out: string | undefined): void {
  if (out === undefined || out === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ShadowtapError('file-unreadable', `${out}: cannot write: ${why}`);
  }
}
