/**
 * The tokenisation secret: 32 random bytes created on first use in the user's
 * configuration directory (XDG Base Directory: $XDG_CONFIG_HOME, else ~/.config),
 * mode 0600, never beside the database, never exported or served. Whoever holds
 * it can test guesses against tokens, so it is refused when others can read it.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync,
  writeSync, fchmodSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ShadowtapError } from '../errors.js';

/** Bytes of secret: HMAC-SHA-256 gains nothing from a key longer than its output. */
export const SECRET_BYTES = 32;

/** Where the secret lives when no path is given: $XDG_CONFIG_HOME/shadowtap/secret. */
export function defaultSecretPath(env: NodeJS.ProcessEnv = process.env): string {
  // The XDG spec says a relative $XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const valid = xdg !== undefined && xdg !== '' && isAbsolute(xdg);
  const base = valid ? xdg : join(homedir(), '.config');
  return join(base, 'shadowtap', 'secret');
}

/** Where to find the secret and which database it must not sit beside. */
export interface SecretOptions {
  /** Explicit file (--secret-file); the default path otherwise. */
  path?: string;
  /** The database in use; a secret in the same directory is refused. */
  dbPath?: string;
  env?: NodeJS.ProcessEnv;
}

/** A loaded secret and where it came from. */
export interface LoadedSecret {
  secret: Buffer;
  path: string;
  created: boolean;
}

/** Reads the secret, creating it (atomically, mode 0600) when the file does not exist. */
export function loadOrCreateSecret(opts: SecretOptions = {}): LoadedSecret {
  const path = resolve(opts.path ?? defaultSecretPath(opts.env));
  if (opts.dbPath !== undefined && dirname(path) === dirname(resolve(opts.dbPath))) {
    throw new ShadowtapError('usage',
      `secret file ${path} is in the database directory; keep it elsewhere (--secret-file)`);
  }
  const existing = readSecret(path);
  if (existing !== null) return { secret: existing, path, created: false };
  // Write a private temporary file, then link it into place: link never replaces an
  // existing file, so two processes starting at once end up sharing one secret.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    fd = openSync(tmp, 'wx', 0o600);
  } catch (e) {
    throw wrap(path, e);
  }
  writeFreshSecret(fd);
  let created = true;
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') created = false;
    else if (code === 'EPERM' || code === 'ENOTSUP') created = writeExclusive(path);
    else throw wrap(path, e);
  } finally {
    unlinkSync(tmp);
  }
  const secret = readSecret(path);
  if (secret === null) throw new ShadowtapError('file-unreadable', `secret file ${path} vanished`);
  return { secret, path, created };
}

// For file systems without hard links: exclusive create, same outcome, not atomic.
function writeExclusive(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw wrap(path, e);
  }
  writeFreshSecret(fd);
  return true;
}

/** Fills a newly created private file with a fresh secret and closes it. */
function writeFreshSecret(fd: number): void {
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, randomBytes(SECRET_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readSecret(path: string): Buffer | null {
  let mode: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) {
      throw new ShadowtapError('usage', `secret file ${path}: is a directory, not a file`);
    }
    mode = st.mode;
  } catch (e) {
    if (e instanceof ShadowtapError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw wrap(path, e);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new ShadowtapError('permission-denied',
      `secret file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}); ` +
        `run chmod 600 ${path}`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw wrap(path, e);
  }
  if (bytes.length !== SECRET_BYTES) {
    throw new ShadowtapError('file-unreadable',
      `secret file ${path} holds ${bytes.length} bytes, not ${SECRET_BYTES}`);
  }
  return bytes;
}

function wrap(path: string, e: unknown): ShadowtapError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EROFS' ? 'read-only file system'
    : code === 'EISDIR' ? 'is a directory'
    : code ?? String(e);
  return new ShadowtapError(code === 'EACCES' ? 'permission-denied' : 'file-unreadable',
    `secret file ${path}: ${why} (choose another place with --secret-file)`, { cause: e });
}
