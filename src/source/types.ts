/** One packet as a capture source hands it on. */
export interface CapturedPacket {
  /** 1-based position of the packet in its file (or since capture start). */
  index: number;
  /** Link-layer type (LINKTYPE_* numbers, as in pcap and pcapng). */
  linkType: number;
  /** Capture time, seconds since the epoch, with a fraction. */
  ts: number;
  /**
   * The captured bytes. A view into the reader's chunk buffer: valid only until
   * the source yields its next batch; copy what must outlive it.
   */
  data: Uint8Array;
  /** Length of the packet on the wire (>= data.length when snapped). */
  origLen: number;
}

/** What a capture source reports about its input when it is done. */
export interface SourceSummary {
  file: string;
  format: 'pcap' | 'pcapng' | 'live';
  compressed: boolean;
  packets: number;
  bytes: number;
  /** Set when the input ended inside a record; what came before was kept. */
  truncatedAt?: { packet: number; offset: number; detail: string };
  /** Non-fatal notes (skipped blocks, unknown options), already one line each. */
  warnings: string[];
}

/** A source of packets, read in batches so the per-packet path stays cheap. */
export interface PacketSource {
  /** Batches in capture order; each batch's views are valid until the next one. */
  batches(): AsyncIterable<CapturedPacket[]>;
  /** Filled in as reading goes; complete once batches() has finished. */
  readonly summary: SourceSummary;
}
