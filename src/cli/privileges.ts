/**
 * Dropping root once the capture handle is open (`--user`). What was opened
 * before keeps working through its open descriptor: the capture socket, the
 * database and the exchanges file. Those files are handed to the user too, so a
 * later run as that user (or as a service) can open them again.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, readFileSync } from 'node:fs';
import { ShadowtapError } from '../errors.js';
import { log } from '../log.js';

interface Ids {
  uid: number;
  gid: number;
}

function fromPasswd(user: string): Ids | null {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === user && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return null;
}

// Users from NSS (LDAP, sssd) are not in /etc/passwd; id(1) asks NSS.
function fromId(user: string): Ids | null {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, '--', user], { encoding: 'utf8', stdio: 'pipe' }).trim());
    const ids = { uid: id('-u'), gid: id('-g') };
    return Number.isInteger(ids.uid) && Number.isInteger(ids.gid) ? ids : null;
  } catch {
    return null;
  }
}

/** The user's uid and primary gid, or a usage error. */
export function lookupUser(user: string): Ids {
  const ids = fromPasswd(user) ?? fromId(user);
  if (ids === null) throw new ShadowtapError('usage', `--user ${user}: no such user`);
  return ids;
}

/**
 * Becomes `user` (groups, gid, then uid: the order that leaves no way back)
 * after handing `files` to it. Setting the uid away from 0 also clears
 * every capability, CAP_NET_RAW included.
 * LIMITATION: capabilities given without root (systemd's AmbientCapabilities) are
 * kept for the life of the process: Node cannot drop them without native code.
 */
export function dropPrivileges(user: string, files: readonly string[]): void {
  const { uid, gid } = lookupUser(user);
  const current = process.getuid?.() ?? -1;
  if (current === uid) return;
  if (current !== 0) {
    throw new ShadowtapError(
      'permission-denied',
      `--user ${user}: switching user needs root (running as uid ${current})`,
    );
  }
  for (const file of files) {
    try {
      chownSync(file, uid, gid);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.warn(`${file}: could not hand it to ${user} (${(e as Error).message}); ` +
          'this run keeps writing it, a later run as that user may not');
      }
    }
  }
  try {
    process.setgroups!([gid]); // root's supplementary groups go; the user's are not added
    process.setgid!(gid);
    process.setuid!(uid);
  } catch (e) {
    throw new ShadowtapError('permission-denied', `--user ${user}: ${(e as Error).message}`);
  }
  if (process.getuid!() !== uid || process.geteuid!() !== uid || process.getegid!() !== gid) {
    throw new ShadowtapError('permission-denied', `--user ${user}: privileges were not dropped`);
  }
}
