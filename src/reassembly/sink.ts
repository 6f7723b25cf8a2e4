import type { Dir, Endpoint } from './flow-key.js';

/**
 * The contract between TCP reassembly and whatever consumes a byte stream (the
 * HTTP parser). Reassembly calls, for each direction and in stream order:
 *
 *   data(dir, bytes, meta)   the next bytes of the stream, in order, never twice;
 *   gap(dir, missing, meta)  `missing` bytes will never come; the next data()
 *                            continues right after them;
 *   fin(dir, meta)           the direction ended in order (FIN reached);
 *
 * and once per flow, last: end(reason, ts). A consumer never sees a byte out of
 * order and never has to track sequence numbers: stream positions in `meta` are
 * only for evidence (which side had received what when).
 */
export interface StreamSink {
  /** `bytes` is a view valid only during the call; `meta` is reused after it returns. */
  data(dir: Dir, bytes: Uint8Array, meta: ChunkMeta): void;
  gap(dir: Dir, missing: number, meta: ChunkMeta): void;
  fin(dir: Dir, meta: ChunkMeta): void;
  end(reason: EndReason, ts: number): void;
}

/** Where a piece of a stream came from. Reused between calls: copy what you keep. */
export interface ChunkMeta {
  /** Capture time and packet number of the segment that carried (or revealed) it. */
  ts: number;
  packet: number;
  /** Stream position (unwrapped TCP sequence number) of the first byte or of the hole. */
  pos: number;
  /**
   * Position in the OTHER direction's stream that the carrying segment acknowledged
   * (what that side had received when this was sent); NaN when it carried no ACK.
   */
  ack: number;
}

/** Why a flow ended. */
export type EndReason = 'fin' | 'rst' | 'timeout' | 'evicted' | 'reused' | 'finish';

/** What a sink knows about its flow. `synDir` is filled in as the handshake is seen. */
export interface FlowInfo {
  tunnel: string;
  /** Index = the Dir of the segments that endpoint sends. */
  endpoints: [Endpoint, Endpoint];
  /** The side that sent a SYN without ACK (the active opener), or -1 when unseen. */
  synDir: Dir | -1;
}

/** Creates the consumer of a new flow's streams. */
export type SinkFactory = (info: FlowInfo) => StreamSink;
