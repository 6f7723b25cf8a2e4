/**
 * Guards against a mistyped output path destroying an input: an output (report,
 * exchanges file, alerts file, database) that is the same file as an input or as
 * another output is refused before anything is opened for writing.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ShadowtapError } from '../errors.js';

/** A path named on the command line, the option (or 'a capture') that named it. */
export interface NamedPath {
  what: string;
  path: string | undefined;
  /** Outputs are written; two inputs may well be the same file. */
  output?: boolean;
}

function identity(path: string): string {
  try {
    const st = statSync(path);
    // Devices such as /dev/null or /dev/stdout may be named by several outputs.
    if (st.isCharacterDevice()) return `dev:${resolve(path)}:${Math.random()}`;
    return `ino:${st.dev}:${st.ino}`;
  } catch {
    return `path:${resolve(path)}`;
  }
}

/** Throws a usage error when two of these name the same file. */
export function refuseSameFile(paths: readonly NamedPath[]): void {
  const seen = new Map<string, NamedPath>();
  for (const p of paths) {
    if (p.path === undefined || p.path === '-') continue;
    const id = identity(p.path);
    const other = seen.get(id);
    if (other !== undefined && (p.output === true || other.output === true)) {
      throw new ShadowtapError(
        'usage',
        `${p.path}: ${p.what} would overwrite the file given as ${other.what}; choose another path`,
      );
    }
    if (other === undefined || p.output === true) seen.set(id, p);
  }
}
