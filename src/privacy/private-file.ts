/**
 * Opens an output file that may hold sensitive lines (raw request lines, alerts)
 * so that only its owner can read it. A regular file is created or reused with mode
 * 0600; a symlink is refused (it could point anywhere, /etc/passwd included); a
 * device or pipe such as /dev/null is written to as it is, its mode left alone.
 */
import { constants, fchmodSync, fstatSync, lstatSync, openSync } from 'node:fs';
import { ShadowtapError } from '../errors.js';

/** Opens `path` for writing (truncating) or appending; returns the descriptor. */
export function openPrivateFile(path: string, how: 'truncate' | 'append', what: string): number {
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(path);
  } catch {
    existing = undefined;
  }
  if (existing?.isSymbolicLink()) {
    throw new ShadowtapError('usage', `${path}: is a symbolic link; give the ${what} a real path`);
  }
  if (existing?.isDirectory()) {
    throw new ShadowtapError('usage', `${path}: is a directory, not a file for the ${what}`);
  }
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW |
    (how === 'append' ? constants.O_APPEND : constants.O_TRUNC);
  try {
    const fd = openSync(path, flags, 0o600);
    // An existing regular file keeps its old mode on open: tighten it.
    if (fstatSync(fd).isFile()) fchmodSync(fd, 0o600);
    return fd;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : e instanceof Error ? e.message : String(e);
    throw new ShadowtapError('file-unreadable', `${path}: cannot write the ${what}: ${why}`);
  }
}
