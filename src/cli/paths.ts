/**
 * Guards against a mistyped output path destroying an input: an output (report,
 * exchanges file, alerts file, database) that is the same file as an input or as
 * another output is refused before anything is opened for writing; so is one that
 * cannot be written at all (a folder, or in a folder that does not exist), before a
 * replay has done its work and stored its run.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ShadowtapError } from '../errors.js';

/** A path named on the command line, the option (or 'a capture') that named it. */
export interface NamedPath {
  what: string;
  path: string | undefined;
  /** Outputs are written; two inputs may well be the same file. */
  output?: boolean;
  /** The command makes the output's folder itself when missing. */
  makesFolder?: boolean;
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

function isDirectory(path: string): boolean | null {
  try {
    return statSync(path).isDirectory();
  } catch {
    return null; // not there
  }
}

/** Throws when an output could never be written: it is a folder, or its folder is missing. */
function refuseUnwritable(p: NamedPath & { path: string }): void {
  if (isDirectory(p.path) === true) {
    throw new ShadowtapError('usage', `${p.path}: ${p.what} is a directory; name a file`);
  }
  const dir = dirname(resolve(p.path));
  if (p.makesFolder !== true && isDirectory(dir) !== true) {
    throw new ShadowtapError('usage', `${p.path}: ${p.what}: the directory ${dir} does not exist`);
  }
}

/**
 * Throws a usage error when two of these name the same file, or when an output is a
 * folder or lies in a folder that does not exist.
 */
export function refuseSameFile(paths: readonly NamedPath[]): void {
  const seen = new Map<string, NamedPath>();
  for (const p of paths) {
    if (p.path === undefined || p.path === '-') continue;
    if (p.output === true) refuseUnwritable({ ...p, path: p.path });
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
