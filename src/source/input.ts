/**
 * Opens a capture file for reading, turning file-system failures into one-line
 * operator errors, and puts a streaming gunzip in front when the file starts with
 * the gzip magic (1f 8b, RFC 1952 section 2.3.1).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { ShadowtapError } from '../errors.js';
import { fileBytes, gunzipBytes, type ByteSource } from './byte-source.js';
import { readFailure } from './context.js';

/** An opened capture input. */
export interface Input {
  bytes: ByteSource;
  /** True when the file is gzip-compressed; offsets then count decompressed bytes. */
  compressed: boolean;
  /** Size of the file on disk. */
  size: number;
}

/** Opens `file`; throws ShadowtapError ('file-not-found', 'file-unreadable'). */
export async function openInput(file: string): Promise<Input> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw openFailure(file, e);
  }
  try {
    const st = await fh.stat();
    // LIMITATION: only regular files: the header is read once to check the file and
    // again when reading starts, which a pipe or FIFO cannot do.
    if (!st.isFile()) {
      const what = st.isDirectory() ? 'a directory' : 'not a regular file';
      throw new ShadowtapError('file-unreadable', `${file}: is ${what}`);
    }
    const head = new Uint8Array(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    const compressed = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    const bytes = compressed ? gunzipBytes(fh) : fileBytes(fh, st.size);
    return { bytes, compressed, size: st.size };
  } catch (e) {
    await fh.close().catch(() => undefined);
    if (e instanceof ShadowtapError) throw e;
    throw readFailure(file, 0, e);
  }
}

function openFailure(file: string, e: unknown): ShadowtapError {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ShadowtapError('file-not-found', `${file}: no such file`, { cause: e });
  }
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : e instanceof Error
        ? e.message
        : String(e);
  return new ShadowtapError('file-unreadable', `${file}: cannot open: ${why}`, { cause: e });
}
