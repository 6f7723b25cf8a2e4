// Edits classic pcap files for tests: the same capture with packets left out, or with
// copies added, as a sensor that missed packets, or saw them twice, would have it.
// Both byte orders, µs or ns timestamps; not pcapng.
import { readFileSync, writeFileSync } from 'node:fs';

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const ETHERNET_HEADER = 14;
const ETHERTYPE_IPV4 = 0x0800;

interface Pcap {
  header: Buffer;
  le: boolean;
  /** Fraction units per second: 1e6 (µs) or 1e9 (ns). */
  unit: number;
  records: Buffer[];
}

function readPcap(file: string): Pcap {
  const buf = readFileSync(file);
  const magics = [buf.readUInt32LE(0), buf.readUInt32BE(0)];
  const le = magics[0] === 0xa1b2c3d4 || magics[0] === 0xa1b23c4d;
  const magic = le ? magics[0] : magics[1];
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) {
    throw new Error(`${file}: not a classic pcap file`);
  }
  const records: Buffer[] = [];
  for (let off = GLOBAL_HEADER; off + RECORD_HEADER <= buf.length;) {
    const capLen = le ? buf.readUInt32LE(off + 8) : buf.readUInt32BE(off + 8);
    const end = off + RECORD_HEADER + capLen;
    records.push(buf.subarray(off, end));
    off = end;
  }
  return {
    header: buf.subarray(0, GLOBAL_HEADER), le, unit: magic === 0xa1b23c4d ? 1e9 : 1e6, records,
  };
}

function writePcap(file: string, p: Pcap): void {
  writeFileSync(file, Buffer.concat([p.header, ...p.records]));
}

/** A record's time in fraction units (µs or ns) since the epoch. */
function timeOf(p: Pcap, r: Buffer): number {
  const [s, f] = p.le
    ? [r.readUInt32LE(0), r.readUInt32LE(4)]
    : [r.readUInt32BE(0), r.readUInt32BE(4)];
  return s * p.unit + f;
}

/** A copy of record `r` stamped `dt` seconds later. */
function shifted(p: Pcap, r: Buffer, dt: number): Buffer {
  const copy = Buffer.from(r);
  const t = timeOf(p, r) + Math.round(dt * p.unit);
  const s = Math.floor(t / p.unit);
  const f = t - s * p.unit;
  if (p.le) {
    copy.writeUInt32LE(s, 0);
    copy.writeUInt32LE(f, 4);
  } else {
    copy.writeUInt32BE(s, 0);
    copy.writeUInt32BE(f, 4);
  }
  return copy;
}

/** Records in time order; records of equal time keep their order (as mergecap does). */
function byTime(p: Pcap, records: Buffer[]): Buffer[] {
  return records
    .map((r, i) => ({ r, i, t: timeOf(p, r) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.r);
}

/** Writes `from` to `to` without the packets numbered in `drop` (1-based, as tshark). */
export function dropPackets(from: string, to: string, drop: readonly number[]): void {
  const p = readPcap(from);
  writePcap(to, { ...p, records: p.records.filter((_, i) => !drop.includes(i + 1)) });
}

/**
 * Writes `from` merged with a copy of itself stamped `dt` seconds later: what two taps
 * on one link deliver, as `editcap -t DT a b; mergecap a b` makes it.
 */
export function mergeWithShiftedCopy(from: string, to: string, dt: number): void {
  const p = readPcap(from);
  const copies = p.records.map((r) => shifted(p, r, dt));
  writePcap(to, { ...p, records: byTime(p, [...p.records, ...copies]) });
}

/**
 * Writes `from` with packet `n` (1-based; Ethernet and IPv4) sent again `dt` seconds
 * later, its IP id raised by `ipIdDelta` (0: the same packet seen twice; else a new
 * datagram, a retransmission) and the IP header checksum made right again.
 */
export function repeatPacket(
  from: string, to: string, n: number, o: { dt: number; ipIdDelta: number },
): void {
  const p = readPcap(from);
  const copy = shifted(p, p.records[n - 1]!, o.dt);
  const ip = RECORD_HEADER + ETHERNET_HEADER;
  if (copy.readUInt16BE(ip - 2) !== ETHERTYPE_IPV4) throw new Error(`packet ${n}: not IPv4`);
  copy.writeUInt16BE((copy.readUInt16BE(ip + 4) + o.ipIdDelta) & 0xffff, ip + 4);
  copy.writeUInt16BE(0, ip + 10);
  const headerLen = (copy[ip]! & 0x0f) * 4;
  let sum = 0;
  for (let i = 0; i < headerLen; i += 2) sum += copy.readUInt16BE(ip + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  copy.writeUInt16BE(~sum & 0xffff, ip + 10);
  writePcap(to, { ...p, records: byTime(p, [...p.records, copy]) });
}
