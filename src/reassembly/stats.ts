/**
 * Counters kept by a FlowEngine. Plain numbers only, so worker threads can post
 * them to the main thread and the pool can add them up field by field.
 */
export interface EngineStats {
  /** Segments pushed, and payload bytes they carried (as captured). */
  segments: number;
  bytes: number;
  /** Segments that belonged to no flow worth opening (pure ACKs, late packets). */
  ignoredSegments: number;
  /** Flows opened, and how they ended. */
  flows: number;
  flowsClosed: number;
  flowsEvicted: number;
  flowsTimedOut: number;
  /** Stream holes declared, and the bytes they covered. */
  gaps: number;
  gapBytes: number;
  /**
   * Of gapBytes, those the other side acknowledged: the peer received them, so the
   * sensor missed them (capture loss rather than truncation or buffer limits).
   */
  ackedGapBytes: number;
  /**
   * Segments that carried bytes at positions their direction had passed or held
   * (retransmissions, and copies with no IP id to tell them by; see duplicates.ts),
   * and those bytes.
   */
  retransmissions: number;
  retransmittedBytes: number;
  /** Retransmitted bytes that disagreed with the copy seen first. */
  overlapConflicts: number;
  /** HTTP exchanges emitted. */
  exchanges: number;
  /** Bytes skipped before any HTTP message start was found in a direction (non-HTTP). */
  unparsedBytes: number;
  /** Bytes after a 101 Switching Protocols or a 2xx to CONNECT: not HTTP/1.x, ignored. */
  tunneledBytes: number;
}

/** A zeroed EngineStats. */
export function newEngineStats(): EngineStats {
  return {
    segments: 0,
    bytes: 0,
    ignoredSegments: 0,
    flows: 0,
    flowsClosed: 0,
    flowsEvicted: 0,
    flowsTimedOut: 0,
    gaps: 0,
    gapBytes: 0,
    ackedGapBytes: 0,
    retransmissions: 0,
    retransmittedBytes: 0,
    overlapConflicts: 0,
    exchanges: 0,
    unparsedBytes: 0,
    tunneledBytes: 0,
  };
}
