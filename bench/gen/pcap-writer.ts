/**
 * Writes a classic pcap file (little-endian, microsecond timestamps, Ethernet)
 * through one fixed buffer flushed with synchronous writes, so memory stays flat
 * whatever the file size: the generator writes gigabytes with a few MiB in use.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Link type of the records written (LINKTYPE_ETHERNET). */
const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262_144;
const FILE_HEADER_BYTES = 24;
/** Bytes of one record header: seconds, microseconds, captured and wire length. */
export const RECORD_HEADER_BYTES = 16;
/** Flushing in large pieces keeps the system-call count low. */
const BUFFER_BYTES = 8 << 20;

/** A pcap file being written front to back. */
export class PcapWriter {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(BUFFER_BYTES);
  private used = 0;
  private flushed = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    const h = this.buf;
    h.writeUInt32LE(0xa1b2c3d4, 0); // µs resolution; read back as a1 b2 c3 d4 reversed
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeInt32LE(0, 8);
    h.writeUInt32LE(0, 12);
    h.writeUInt32LE(SNAPLEN, 16);
    h.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    this.used = FILE_HEADER_BYTES;
  }

  /** Bytes in the file so far, buffered ones included. */
  get bytes(): number {
    return this.flushed + this.used;
  }

  /**
   * Starts a record of `length` bytes at capture time `ts` (microseconds since the
   * epoch) and returns the buffer and offset where the caller writes the frame.
   * The returned buffer is valid until the next call.
   */
  record(tsMicros: number, length: number): { buf: Buffer; at: number } {
    if (length > SNAPLEN) throw new Error(`generator bug: frame of ${length} bytes`);
    if (this.used + RECORD_HEADER_BYTES + length > BUFFER_BYTES) this.flush();
    const b = this.buf;
    const at = this.used;
    b.writeUInt32LE(Math.floor(tsMicros / 1e6), at);
    b.writeUInt32LE(tsMicros % 1e6, at + 4);
    b.writeUInt32LE(length, at + 8);
    b.writeUInt32LE(length, at + 12);
    this.used += RECORD_HEADER_BYTES + length;
    return { buf: b, at: at + RECORD_HEADER_BYTES };
  }

  /** Writes what is buffered and closes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.flushed += this.used;
    this.used = 0;
  }
}
