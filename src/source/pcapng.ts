/**
 * pcapng files (draft-ietf-opsawg-pcapng): a sequence of blocks, each framed by
 * its type and a total length repeated at both ends. A Section Header Block sets
 * the byte order and starts a new list of interfaces; packets come from Enhanced,
 * Simple and (obsolete) Packet Blocks. Everything else is skipped by its length,
 * streamed past without buffering, so a huge block costs no memory.
 */
import { ShadowtapError } from '../errors.js';
import { isSupportedLinkType, supportedLinkTypesText } from '../decode/link-types.js';
import type { CapturedPacket } from './types.js';
import { fill, hexBytes, markTruncated, skip, type ReadContext } from './context.js';
import { parseInterface, type PcapngInterface } from './pcapng-options.js';
import { ticksToSeconds } from './timestamp.js';
import type { ByteWindow } from './window.js';

const SHB = 0x0a0d0d0a; // a palindrome: reads the same in either byte order
const IDB = 0x00000001;
const PB = 0x00000002; // obsolete Packet Block
const SPB = 0x00000003;
const EPB = 0x00000006;
/** Blocks we know and deliberately ignore: NRB, ISB, systemd journal, decryption secrets. */
const IGNORED = new Set([0x00000004, 0x00000005, 0x00000009, 0x0000000a]);
const CUSTOM = new Set([0x00000bad, 0x40000bad]);
const BOM = 0x1a2b3c4d;

const MIN_BLOCK = 12;
const SHB_MIN = 28;
const IDB_MIN = 20;
const EPB_MIN = 32;
const SPB_MIN = 16;
const PB_MIN = 32;
const MIN_LENGTH = new Map([
  [SHB, SHB_MIN],
  [IDB, IDB_MIN],
  [EPB, EPB_MIN],
  [SPB, SPB_MIN],
  [PB, PB_MIN],
]);
/** Room for options after a packet's data before a parsed block is taken as garbage. */
const OPTIONS_SLACK = 65536;

/** True when the bytes at `at` start a pcapng file (a Section Header Block). */
export function isPcapngMagic(b: Uint8Array, at = 0): boolean {
  return b[at] === 0x0a && b[at + 1] === 0x0d && b[at + 2] === 0x0d && b[at + 3] === 0x0a;
}

/** Checks the first Section Header Block without consuming it; throws if unusable. */
export async function checkPcapngStart(w: ByteWindow, ctx: ReadContext): Promise<void> {
  const ok = await fill(w, SHB_MIN, ctx, 0);
  const at = w.pos;
  if (!ok || !isPcapngMagic(w.buf, at)) {
    throw new ShadowtapError(
      'bad-capture',
      `${ctx.file}: file ends inside the first pcapng section header (${w.available} bytes)`,
    );
  }
  const problem = sectionProblem(w.view, at);
  if (problem !== null) throw new ShadowtapError('bad-capture', `${ctx.file}: ${problem}`);
}

/** Why a Section Header Block at `at` cannot be read, or null when it can. */
function sectionProblem(view: DataView, at: number): string | null {
  const bom = view.getUint32(at + 8, false);
  if (bom !== BOM && bom !== 0x4d3c2b1a) {
    const bytes = hexBytes(new Uint8Array(view.buffer, view.byteOffset + at + 8, 4));
    return `pcapng section header has byte-order magic ${bytes}, not 1a 2b 3c 4d`;
  }
  const major = view.getUint16(at + 12, bom === 0x4d3c2b1a);
  if (major !== 1) return `pcapng major version ${major} is not supported (only 1)`;
  return null;
}

/** Reads every block after the current position, yielding packets in batches. */
export async function* readPcapngBlocks(
  w: ByteWindow,
  ctx: ReadContext,
): AsyncGenerator<CapturedPacket[]> {
  const summary = ctx.summary;
  const maxBlock = ctx.maxRecordBytes + OPTIONS_SLACK;
  const skipped = new Map<number, number>();
  const unsupported = new Set<number>();
  let le = true;
  let section = 0;
  let ifaces: PcapngInterface[] = [];
  let index = 0;
  let lastTs = 0;
  let orphans = 0;
  let undecodable = 0;
  let batch: CapturedPacket[] = [];

  /** Stops reading: what was read is kept, the rest is reported as corrupt. */
  const corrupt = (offset: number, detail: string): void =>
    markTruncated(ctx, index + 1, offset, detail);

  for (;;) {
    const view = w.view;
    const buf = w.buf;
    const end = w.end;
    let pos = w.pos;
    let want = MIN_BLOCK; // bytes needed at pos to go on
    let stop = false;
    let bigSkip = 0;
    while (end - pos >= MIN_BLOCK) {
      const type = view.getUint32(pos, le);
      if (type === SHB) le = view.getUint32(pos + 8, true) === BOM;
      const len = view.getUint32(pos + 4, le);
      if (len < MIN_BLOCK || len % 4 !== 0) {
        corrupt(w.offsetAt(pos), `block length ${len} is not a valid pcapng length`);
        stop = true;
        break;
      }
      const parsed = type === SHB || type === IDB || type === EPB || type === SPB || type === PB;
      if (!parsed) {
        if (!IGNORED.has(type)) skipped.set(type, (skipped.get(type) ?? 0) + 1);
        if (end - pos < len) {
          bigSkip = len;
          break;
        }
        pos += len;
        continue;
      }
      if (len > maxBlock) {
        corrupt(w.offsetAt(pos), `block of ${len} bytes is over the size limit`);
        stop = true;
        break;
      }
      if (end - pos < len) {
        want = len;
        break;
      }
      const problem = checkBlock(view, pos, len, le, type);
      if (problem !== null) {
        corrupt(w.offsetAt(pos), problem);
        stop = true;
        break;
      }
      if (type === SHB) {
        section++;
        ifaces = [];
      } else if (type === IDB) {
        const { iface, note } = parseInterface(view, pos, len, le);
        if (note !== null) summary.warnings.push(`section ${section}: ${note}`);
        if (!isSupportedLinkType(iface.linkType) && !unsupported.has(iface.linkType)) {
          unsupported.add(iface.linkType);
          summary.warnings.push(
            `interface link type ${iface.linkType} is not decoded (supported: ` +
              `${supportedLinkTypesText()}); its packets are counted as non-IP`,
          );
        }
        ifaces.push(iface);
      } else {
        // A packet block: EPB, SPB or PB. SPB has no interface id and no timestamp:
        // it belongs to interface 0 and its length is bounded by that snaplen.
        let ifId = 0;
        if (type === EPB) ifId = view.getUint32(pos + 8, le);
        else if (type === PB) ifId = view.getUint16(pos + 8, le);
        const iface = ifaces[ifId];
        if (iface === undefined) {
          orphans++;
          pos += len;
          continue;
        }
        let dataAt: number;
        let caplen: number;
        let origLen: number;
        let ts: number;
        if (type === SPB) {
          origLen = view.getUint32(pos + 8, le);
          dataAt = pos + 12;
          caplen = Math.min(origLen, len - SPB_MIN);
          if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
          ts = lastTs; // LIMITATION: SPB carries no time; the previous packet's is used.
        } else {
          caplen = view.getUint32(pos + 20, le);
          origLen = view.getUint32(pos + 24, le);
          dataAt = pos + 28;
          if (caplen > ctx.maxRecordBytes || caplen > len - EPB_MIN) {
            corrupt(w.offsetAt(pos), `packet block claims ${caplen} captured bytes`);
            stop = true;
            break;
          }
          const hi = view.getUint32(pos + 12, le);
          const lo = view.getUint32(pos + 16, le);
          ts = ticksToSeconds(hi, lo, iface.ticksPerSec) + iface.offsetSec;
          lastTs = ts;
        }
        if (!isSupportedLinkType(iface.linkType)) undecodable++;
        batch.push({
          index: ++index,
          linkType: iface.linkType,
          ts,
          data: buf.subarray(dataAt, dataAt + caplen),
          origLen,
        });
        summary.bytes += caplen;
      }
      pos += len;
      if (batch.length >= ctx.batchPackets) break;
    }
    const blockStart = w.offsetAt(pos);
    w.pos = pos;
    summary.packets = index;
    if (batch.length >= ctx.batchPackets && !stop) {
      yield batch;
      batch = [];
      continue;
    }
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (stop) break;
    if (bigSkip > 0) {
      if (!(await skip(w, bigSkip, ctx, index + 1))) {
        markTruncated(ctx, index + 1, blockStart, `file ends inside a ${bigSkip}-byte block`);
        break;
      }
      continue;
    }
    if (!(await fill(w, want, ctx, index + 1))) {
      if (w.available > 0) {
        markTruncated(ctx, index + 1, blockStart, cutShort(w.available, want));
      }
      break;
    }
  }
  if (batch.length > 0) yield batch;
  for (const [type, n] of skipped) {
    const kind = CUSTOM.has(type) ? 'custom' : 'unknown';
    summary.warnings.push(`skipped ${n} ${kind} pcapng block(s) of type 0x${hex8(type)}`);
  }
  if (orphans > 0) {
    summary.warnings.push(`skipped ${orphans} packet block(s) naming an undefined interface`);
  }
  if (index > 0 && undecodable === index) {
    // As with a classic pcap of an unknown link type: nothing in it can be read.
    throw new ShadowtapError('unknown-link-type',
      `${ctx.file}: no packet is on a supported link type (interfaces use ` +
        `${[...unsupported].join(', ')}; supported: ${supportedLinkTypesText()})`);
  }
}

/** Why a complete parsed block is malformed, or null. */
function checkBlock(
  v: DataView,
  at: number,
  len: number,
  le: boolean,
  type: number,
): string | null {
  if (v.getUint32(at + len - 4, le) !== len) {
    return `block of type 0x${hex8(type)} has mismatched leading and trailing lengths`;
  }
  const min = MIN_LENGTH.get(type) ?? MIN_BLOCK;
  if (len < min) return `block of type 0x${hex8(type)} is ${len} bytes, below its minimum ${min}`;
  if (type === SHB) return sectionProblem(v, at);
  return null;
}

function cutShort(have: number, want: number): string {
  return want === MIN_BLOCK
    ? `file ends inside a block header (${have} of ${MIN_BLOCK} bytes)`
    : `file ends inside a block (${have} of ${want} bytes)`;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
