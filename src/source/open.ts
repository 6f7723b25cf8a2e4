/**
 * Opens a capture file of any supported format: classic pcap (µs or ns, either
 * byte order), pcapng, and either one gzip-compressed. The format is told by the
 * magic number, never by the file name.
 */
import { DEFAULT_LIMITS } from '../config/limits.js';
import { ShadowtapError } from '../errors.js';
import type { CapturedPacket, PacketSource, SourceSummary } from './types.js';
import { fill, hexBytes, type ReadContext } from './context.js';
import { openInput } from './input.js';
import { isPcapMagic, readPcapHeader, readPcapRecords } from './pcap.js';
import { checkPcapngStart, isPcapngMagic, readPcapngBlocks } from './pcapng.js';
import { ByteWindow, DEFAULT_CHUNK_BYTES } from './window.js';

/** Tuning for openCapture; the defaults suit replay. */
export interface OpenOptions {
  /** Largest captured length of one record (default: the named limit). */
  maxCaptureRecordBytes?: number;
  /** Packets per batch (default: the named limit). */
  batchPackets?: number;
  /** Bytes read per chunk (default 1 MiB); tests use tiny chunks to split records. */
  chunkBytes?: number;
}

/**
 * Opens `file` and checks its headers, so a missing file, a file that is not a
 * capture, or an undecodable link type fails here with a ShadowtapError. The file
 * is closed again before returning: batches() reopens it, so a source that is
 * never read holds no file descriptor.
 */
export async function openCapture(file: string, options: OpenOptions = {}): Promise<PacketSource> {
  const source = new FileCaptureSource(file, options);
  for await (const _ of source.read(true)) {
    // check only: read(true) yields nothing.
  }
  return source;
}

/** Magic of the "modified" pcap format some old Linux tools wrote, in both byte orders. */
const KUZNETZOV_MAGIC = [
  [0xa1, 0xb2, 0xcd, 0x34],
  [0x34, 0xcd, 0xb2, 0xa1],
];

/** A capture file read in batches. */
class FileCaptureSource implements PacketSource {
  readonly summary: SourceSummary;

  constructor(
    private readonly file: string,
    private readonly options: OpenOptions,
  ) {
    this.summary = newSummary(file);
  }

  batches(): AsyncIterable<CapturedPacket[]> {
    return this.read(false);
  }

  /** Opens the file, checks its headers, and unless `checkOnly` yields its packets. */
  async *read(checkOnly: boolean): AsyncGenerator<CapturedPacket[]> {
    // Reading again starts the summary afresh.
    Object.assign(this.summary, newSummary(this.file));
    delete this.summary.truncatedAt;
    const input = await openInput(this.file);
    try {
      const ctx: ReadContext = {
        file: this.file,
        summary: this.summary,
        maxRecordBytes: this.options.maxCaptureRecordBytes ?? DEFAULT_LIMITS.maxCaptureRecordBytes,
        batchPackets: this.options.batchPackets ?? DEFAULT_LIMITS.batchPackets,
      };
      this.summary.compressed = input.compressed;
      const w = new ByteWindow(input.bytes, this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
      const format = await detectFormat(w, ctx, input.compressed);
      this.summary.format = format;
      if (format === 'pcap') {
        const header = await readPcapHeader(w, ctx);
        if (!checkOnly) yield* readPcapRecords(w, header, ctx);
      } else {
        await checkPcapngStart(w, ctx);
        if (!checkOnly) yield* readPcapngBlocks(w, ctx);
      }
    } finally {
      await input.bytes.close();
    }
  }
}

function newSummary(file: string): SourceSummary {
  return { file, format: 'pcap', compressed: false, packets: 0, bytes: 0, warnings: [] };
}

/** Tells pcap from pcapng by the first four bytes; throws 'not-a-capture' otherwise. */
async function detectFormat(
  w: ByteWindow,
  ctx: ReadContext,
  compressed: boolean,
): Promise<'pcap' | 'pcapng'> {
  const ok = await fill(w, 4, ctx, 0);
  const broken = ctx.summary.truncatedAt;
  if (broken !== undefined) {
    throw new ShadowtapError('bad-capture', `${ctx.file}: ${broken.detail}`);
  }
  const what = compressed ? 'decompressed bytes' : 'first bytes';
  if (!ok && w.available === 0) {
    const empty = compressed ? 'decompresses to nothing' : 'is empty';
    throw new ShadowtapError('not-a-capture', `${ctx.file}: not a capture file: it ${empty}`);
  }
  const b = w.buf;
  const at = w.pos;
  if (ok && isPcapMagic(b, at)) return 'pcap';
  if (ok && isPcapngMagic(b, at)) return 'pcapng';
  const first = hexBytes(b.subarray(at, w.end));
  if (ok && KUZNETZOV_MAGIC.some((m) => m.every((x, i) => b[at + i] === x))) {
    throw new ShadowtapError(
      'not-a-capture',
      `${ctx.file}: ${what} ${first} are the modified (Kuznetzov) pcap magic, which is ` +
        'not supported; convert the file with editcap',
    );
  }
  throw new ShadowtapError(
    'not-a-capture',
    `${ctx.file}: not a capture file: ${what} ${first} are not a pcap ` +
      '(a1 b2 c3 d4 or a1 b2 3c 4d, either byte order), pcapng (0a 0d 0d 0a) or gzip (1f 8b) magic',
  );
}
