// Edits classic pcap files for tests: the same capture with some packets left out, as
// a sensor that missed them would have it. Both byte orders, µs or ns; not pcapng.
import { readFileSync, writeFileSync } from 'node:fs';

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** Writes `from` to `to` without the packets numbered in `drop` (1-based, as tshark). */
export function dropPackets(from: string, to: string, drop: readonly number[]): void {
  const buf = readFileSync(from);
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error(`${from}: not a classic pcap file`);
  }
  const parts: Buffer[] = [buf.subarray(0, GLOBAL_HEADER)];
  let off = GLOBAL_HEADER;
  for (let n = 1; off + RECORD_HEADER <= buf.length; n++) {
    const capLen = le ? buf.readUInt32LE(off + 8) : buf.readUInt32BE(off + 8);
    const end = off + RECORD_HEADER + capLen;
    if (!drop.includes(n)) parts.push(buf.subarray(off, end));
    off = end;
  }
  writeFileSync(to, Buffer.concat(parts));
}
