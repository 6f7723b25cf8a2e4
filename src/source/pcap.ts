/**
 * Classic pcap files: a 24-byte file header, then records of a 16-byte header and
 * the captured bytes. Both byte orders and both timestamp resolutions (magic
 * a1b2c3d4 for µs, a1b23c4d for ns) are read; the writer's byte order is told by
 * how the magic reads.
 */
import { ShadowtapError } from '../errors.js';
import { isSupportedLinkType, supportedLinkTypesText } from '../decode/link-types.js';
import type { CapturedPacket } from './types.js';
import { fill, hexBytes, markTruncated, type ReadContext } from './context.js';
import { pcapSeconds } from './timestamp.js';
import type { ByteWindow } from './window.js';

/** Length of the pcap file header. */
export const PCAP_FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

/** Magic numbers as read big-endian from the first 4 bytes. */
const MAGIC_US_BE = 0xa1b2c3d4;
const MAGIC_US_LE = 0xd4c3b2a1;
const MAGIC_NS_BE = 0xa1b23c4d;
const MAGIC_NS_LE = 0x4d3cb2a1;

/**
 * A record may exceed the snap length a little (some writers get snaplen wrong),
 * but not by more than a whole IP datagram: past that it is garbage, not data.
 */
const SNAPLEN_SLACK = 65535;

/** What the file header says. */
export interface PcapHeader {
  littleEndian: boolean;
  /** 1e6 for µs files, 1e9 for ns files. */
  fracPerSec: number;
  snaplen: number;
  linkType: number;
}

/** True when the 4 bytes at `at` are one of the pcap magic numbers. */
export function isPcapMagic(b: Uint8Array, at = 0): boolean {
  const m = ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  return m === MAGIC_US_BE || m === MAGIC_US_LE || m === MAGIC_NS_BE || m === MAGIC_NS_LE;
}

/**
 * Reads and checks the file header at the window's position. Throws when the file
 * cannot hold any usable packet: header cut short or a link type we cannot decode.
 */
export async function readPcapHeader(w: ByteWindow, ctx: ReadContext): Promise<PcapHeader> {
  if (!(await fill(w, PCAP_FILE_HEADER_BYTES, ctx, 0))) {
    throw new ShadowtapError(
      'bad-capture',
      `${ctx.file}: file ends inside the pcap file header (${w.available} of ` +
        `${PCAP_FILE_HEADER_BYTES} bytes)`,
    );
  }
  const at = w.pos;
  const magic = w.view.getUint32(at, false);
  const littleEndian = magic === MAGIC_US_LE || magic === MAGIC_NS_LE;
  if (!isPcapMagic(w.buf, at)) {
    throw new ShadowtapError(
      'not-a-capture',
      `${ctx.file}: first bytes ${hexBytes(w.buf.subarray(at))} are not a pcap magic number`,
    );
  }
  const fracPerSec = magic === MAGIC_NS_BE || magic === MAGIC_NS_LE ? 1e9 : 1e6;
  const snaplen = w.view.getUint32(at + 16, littleEndian);
  // The upper bits of the link-type field carry FCS information (libpcap's
  // LT_FCS_* macros); the link type is the low 16 bits. A trailing FCS needs no
  // handling here: IP decoding trims to the IP length.
  const linkType = w.view.getUint32(at + 20, littleEndian) & 0xffff;
  if (!isSupportedLinkType(linkType)) {
    throw new ShadowtapError(
      'unknown-link-type',
      `${ctx.file}: pcap link type ${linkType} is not supported (supported: ` +
        `${supportedLinkTypesText()})`,
    );
  }
  w.pos += PCAP_FILE_HEADER_BYTES;
  return { littleEndian, fracPerSec, snaplen, linkType };
}

/** Yields the records after the header in batches; stops quietly at a broken tail. */
export async function* readPcapRecords(
  w: ByteWindow,
  h: PcapHeader,
  ctx: ReadContext,
): AsyncGenerator<CapturedPacket[]> {
  const { littleEndian: le, fracPerSec, linkType } = h;
  const maxCap = Math.min(
    ctx.maxRecordBytes,
    h.snaplen > 0 ? h.snaplen + SNAPLEN_SLACK : ctx.maxRecordBytes,
  );
  const summary = ctx.summary;
  let batch: CapturedPacket[] = [];
  let index = 0;
  for (;;) {
    // The hot loop: parse every complete record in the window without awaiting.
    const view = w.view;
    const buf = w.buf;
    let pos = w.pos;
    const end = w.end;
    let caplen = 0;
    while (end - pos >= RECORD_HEADER_BYTES) {
      caplen = view.getUint32(pos + 8, le);
      if (caplen > maxCap || end - pos - RECORD_HEADER_BYTES < caplen) break;
      const data = buf.subarray(pos + RECORD_HEADER_BYTES, pos + RECORD_HEADER_BYTES + caplen);
      batch.push({
        index: ++index,
        linkType,
        ts: pcapSeconds(view.getUint32(pos, le), view.getUint32(pos + 4, le), fracPerSec),
        data,
        origLen: view.getUint32(pos + 12, le),
      });
      summary.bytes += caplen;
      pos += RECORD_HEADER_BYTES + caplen;
      if (batch.length >= ctx.batchPackets) break;
    }
    w.pos = pos;
    summary.packets = index;
    if (batch.length >= ctx.batchPackets) {
      yield batch;
      batch = [];
      continue;
    }
    if (w.available >= RECORD_HEADER_BYTES && caplen > maxCap) {
      markTruncated(ctx, index + 1, w.offset, absurdLength(caplen, h.snaplen, ctx));
      break;
    }
    // Hand out what we have before waiting on I/O, then make room for one record.
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
    const want =
      w.available >= RECORD_HEADER_BYTES ? RECORD_HEADER_BYTES + caplen : RECORD_HEADER_BYTES;
    if (!(await fill(w, want, ctx, index + 1))) {
      if (w.available > 0) markTruncated(ctx, index + 1, w.offset, cutShort(w.available, want));
      break;
    }
  }
  if (batch.length > 0) yield batch;
}

function absurdLength(caplen: number, snaplen: number, ctx: ReadContext): string {
  const bound =
    caplen > ctx.maxRecordBytes
      ? `the ${ctx.maxRecordBytes}-byte record limit`
      : `snaplen ${snaplen} by far`;
  return `record claims ${caplen} captured bytes, over ${bound}: taken as corruption`;
}

function cutShort(have: number, want: number): string {
  return want === RECORD_HEADER_BYTES
    ? `file ends inside a record header (${have} of ${RECORD_HEADER_BYTES} bytes)`
    : `file ends inside a record (${have} of ${want} bytes)`;
}
