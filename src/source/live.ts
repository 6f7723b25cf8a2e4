/**
 * Live capture from a network interface through libpcap (via `cap`, patched; see
 * docs/live-capture.md). Strictly passive: nothing here can transmit, and the
 * patched addon has no send at all.
 *
 * The addon packs records into one buffer it reuses and announces them once per
 * wake-up; each announcement is copied into a chunk we own, so packets stay valid
 * after the addon moves on. Batches go down the pipeline when `limits.batchPackets`
 * have gathered or `limits.liveBatchIntervalMs` has passed, whichever is first.
 * When the pipeline falls behind by `limits.liveMaxPendingBytes`, reading pauses
 * and packets wait in libpcap's kernel buffer, whose overflow libpcap counts.
 *
 * LIMITATION: Linux (POSIX) only: the patch's pause, resume and drain do not exist
 * on Windows builds. Timestamps have microsecond precision. A packet may wait up to
 * `limits.liveBatchIntervalMs` in the kernel before it is read (no immediate mode).
 */
import type { Limits } from '../config/limits.js';
import { isSupportedLinkType, supportedLinkTypesText } from '../decode/link-types.js';
import { ShadowtapError } from '../errors.js';
import { loadCap } from './cap-binding.js';
import { ChunkPool } from './live-chunks.js';
import { openError } from './live-errors.js';
import { interfaceNames } from './interfaces.js';
import type { CapturedPacket, PacketSource, SourceSummary } from './types.js';

/** What to capture and how. */
export interface LiveOptions {
  /** Device name, as `shadowtap interfaces` lists it. */
  interface: string;
  /** BPF expression (pcap-filter(7)) compiled by libpcap; '' keeps everything. */
  filter: string;
  /** Bytes kept of each packet. */
  snapLength: number;
  /** libpcap's kernel buffer, in bytes. */
  bufferBytes: number;
  limits: Limits;
}

/** libpcap's counters for this capture (pcap_stats). */
export interface CaptureCounters {
  /**
   * Packets that passed the filter, as the kernel counts them.
   * LIMITATION: on loopback each packet is counted twice (libpcap sees the outgoing
   * copy too, then discards it), so received is twice what is delivered.
   */
  received: number;
  /** Packets the kernel dropped because the buffer was full. */
  dropped: number;
  /** Packets the interface dropped (driver or NIC). */
  ifDropped: number;
}

// Each record the addon packs: caplen, wire length, seconds, microseconds (u32 LE).
const RECORD_HEADER = 16;
// The addon's buffer: room for many small packets per wake-up and at least two
// records of the largest snap length (the addon needs room for one before reading).
const MIN_RECV_BYTES = 4 << 20;

// Past the read timeout, the kernel may take a moment more to hand over its block.
const BLOCK_RETIRE_MARGIN_MS = 50;

// cap names the link type; these are the LINKTYPE numbers it stands for.
const LINK_TYPES: Record<string, number> = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101, // DLT_RAW: raw IPv4/IPv6
  LINKTYPE_LINUX_SLL: 113,
  IEEE802_11_RADIO: 127,
};

// LIMITATION: cap names only a few link types; any other arrives as "Unknown
// linktype N" with libpcap's DLT number, taken as the LINKTYPE number, which holds
// for every DLT from 104 up and for the ones named above, not for DLT 13 to 103.
function linkTypeOf(name: string): number {
  const known = LINK_TYPES[name];
  if (known !== undefined) return known;
  const m = /(\d+)$/.exec(name); // "Unknown linktype 276"
  return m === null ? -1 : Number(m[1]);
}

/** An open live capture; iterate `batches()` and call `stop()` to end it. */
export class LiveSource implements PacketSource {
  readonly summary: SourceSummary;
  private readonly chunks = new ChunkPool(MIN_RECV_BYTES);
  private pending: CapturedPacket[] = [];
  private pendingBytes = 0;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private due = false;
  private paused = false;
  private stopping = false;
  private stopped = false;
  private last: CaptureCounters = { received: 0, dropped: 0, ifDropped: 0 };

  /** Use openLive(). */
  constructor(
    private readonly handle: InstanceType<Awaited<ReturnType<typeof loadCap>>['Cap']>,
    private readonly recv: Buffer,
    readonly linkType: number,
    private readonly opts: LiveOptions,
  ) {
    this.summary = {
      file: `live:${opts.interface}`,
      format: 'live',
      compressed: false,
      packets: 0,
      bytes: 0,
      warnings: [],
    };
    handle.on('batch', (count, bytes) => this.onRecords(count, bytes));
  }

  /** Batches in capture order until stop(); each batch's views live until the next. */
  async *batches(): AsyncGenerator<CapturedPacket[]> {
    for (;;) {
      this.chunks.releaseYielded();
      if (this.pending.length > 0 && (this.due || this.stopped)) {
        const batch = this.take();
        yield batch;
        continue;
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** libpcap's counters now (the last ones read, once stopped). */
  counters(): CaptureCounters {
    if (!this.stopped) {
      try {
        this.last = this.handle.stats();
      } catch {
        // keep the last counters: the handle is closing
      }
    }
    return { ...this.last };
  }

  /**
   * Stops capturing. The kernel hands packets to libpcap in blocks at most
   * limits.liveBatchIntervalMs old, so the last block is waited for; then what
   * libpcap holds is read (up to limits.liveDrainMaxPackets) and the handle
   * closes. batches() ends once everything gathered has been handed on.
   */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    setTimeout(() => this.close(), this.opts.limits.liveBatchIntervalMs + BLOCK_RETIRE_MARGIN_MS);
  }

  private close(): void {
    this.handle.drain(this.opts.limits.liveDrainMaxPackets);
    this.counters();
    this.stopped = true;
    this.handle.close();
    this.handle.removeAllListeners('batch');
    this.clearTimer();
    this.signal();
  }

  private onRecords(count: number, bytes: number): void {
    const chunk = this.chunks.copyIn(this.recv, bytes);
    const base = chunk.offset;
    const buf = chunk.buffer;
    let off = 0;
    for (let i = 0; i < count; i++) {
      const at = base + off;
      const capLen = buf.readUInt32LE(at);
      const wireLen = buf.readUInt32LE(at + 4);
      const ts = buf.readUInt32LE(at + 8) + buf.readUInt32LE(at + 12) / 1e6;
      this.pending.push({
        index: ++this.summary.packets,
        linkType: this.linkType,
        ts,
        data: buf.subarray(at + RECORD_HEADER, at + RECORD_HEADER + capLen),
        origLen: wireLen,
      });
      this.summary.bytes += wireLen;
      off += RECORD_HEADER + capLen;
    }
    this.pendingBytes += bytes;
    if (!this.paused && this.pendingBytes >= this.opts.limits.liveMaxPendingBytes) {
      this.paused = true;
      this.handle.pause();
    }
    if (this.pending.length >= this.opts.limits.batchPackets) {
      this.due = true;
      this.signal();
    } else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.due = true;
        this.signal();
      }, this.opts.limits.liveBatchIntervalMs);
    }
  }

  private take(): CapturedPacket[] {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.due = false;
    this.clearTimer();
    this.chunks.seal();
    if (this.paused && !this.stopped) {
      this.paused = false;
      this.handle.resume();
    }
    return batch;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * Opens `opts.interface` for capture. Fails with one line: interface-not-found
 * (naming the devices that exist), permission-denied (naming CAP_NET_RAW),
 * bad-filter (libpcap's message) or capture-unavailable.
 */
export async function openLive(opts: LiveOptions): Promise<LiveSource> {
  const cap = await loadCap();
  const names = await interfaceNames();
  if (names.length > 0 && !names.includes(opts.interface)) {
    throw new ShadowtapError(
      'interface-not-found',
      `interface '${opts.interface}' not found; capture devices here: ${names.join(', ')}`,
    );
  }
  const recv = Buffer.alloc(Math.max(MIN_RECV_BYTES, 2 * (RECORD_HEADER + opts.snapLength)));
  const handle = new cap.Cap();
  let linkName: string;
  try {
    // Batch mode, and the kernel's read timeout at the batch interval: packets
    // arrive in packed blocks at most that old (see the patch on immediate mode).
    linkName = handle.open(
      opts.interface, opts.filter, opts.bufferBytes, recv, opts.snapLength, true,
      opts.limits.liveBatchIntervalMs,
    );
  } catch (e) {
    throw openError(e, opts.interface, opts.filter, names);
  }
  const linkType = linkTypeOf(linkName);
  if (!isSupportedLinkType(linkType)) {
    handle.close();
    throw new ShadowtapError(
      'capture-unavailable',
      `interface '${opts.interface}' delivers link type ${linkName}, which shadowtap cannot ` +
        `decode (it reads ${supportedLinkTypesText()})`,
    );
  }
  return new LiveSource(handle, recv, linkType, opts);
}
