import type { AnomalyCounter } from '../anomalies.js';
import type { Limits } from '../config/limits.js';
import type { Dir } from '../reassembly/flow-key.js';
import type { ChunkMeta, FlowInfo } from '../reassembly/sink.js';
import type { EngineStats } from '../reassembly/stats.js';
import { MessageParser, salvageHead, type MessageHead, type ParserEvents } from './parser.js';
import { PauseBuffer } from './pause-buffer.js';
import { IN_CARRY, NOT_FOUND, NOT_START, StartLineFinder, type StartKind } from './start-line.js';

/** Where a message began in its stream, and what the sender had received then. */
export interface MessageStart {
  pos: number;
  ts: number;
  packet: number;
  /** Position acknowledged in the other direction when it was sent (NaN if unknown). */
  ack: number;
}

/** What the connection wants after a message: go on, hold the stream, or stop for good. */
export type AfterMessage = 'go' | 'pause' | 'stop';

/** The connection, as one direction's message stream sees it. */
export interface StreamOwner {
  /** The first line of this direction is a start line of `kind` (or neither: null). */
  firstLine(dir: Dir, kind: StartKind | null): void;
  /** A header block; return true when the message has no body whatever it says. */
  head(dir: Dir, head: MessageHead, start: MessageStart): boolean;
  body(dir: Dir, chunk: Uint8Array): void;
  /** `n` body bytes of the current message were lost in a gap. */
  bodyLost(dir: Dir, n: number): void;
  /**
   * `n` bytes of this direction were lost in a gap (every gap byte is told here once):
   * `inMessage` when they belong to the current message (its body, or where the gap
   * cut it short), else between or outside messages.
   */
  missed(dir: Dir, n: number, inMessage: boolean): void;
  /** The current message ended (`cut`: before its framing said it would). */
  complete(dir: Dir, cut: boolean, ts: number): AfterMessage;
  /**
   * A gap lost bytes outside anything the current message could account for;
   * `boundary` when it began between two messages (so a message started inside it).
   */
  lost(dir: Dir, boundary: boolean, pos: number): void;
}

type Mode = 'hunt' | 'parse' | 'paused' | 'stopped' | 'closed';

const CR = 0x0d;
const LF = 0x0a;

/**
 * One direction of an HTTP connection: finds where messages start (hunting for a
 * start line at first, after a gap and after a parse error), runs the parser, and
 * turns gaps into either lost body bytes (the message goes on) or lost sync.
 */
export class MessageStream implements ParserEvents {
  role: StartKind | null = null;
  private mode: Mode = 'hunt';
  private parser: MessageParser | null = null;
  private readonly finder: StartLineFinder;
  // Current message: where it began, and whether its header block is complete.
  private inMessage = false;
  private headSeen = false;
  // Bytes of the current header block fed so far, against limits.maxHeaderBytes,
  // and where in the buffer being parsed the current message's bytes began.
  private headBytes = 0;
  private headFrom = 0;
  private readonly start: MessageStart = { pos: 0, ts: 0, packet: 0, ack: NaN };
  // The buffer being parsed, for positions reported from inside parser callbacks.
  private buf: Buffer | null = null;
  private meta: ChunkMeta = { pos: 0, ts: 0, packet: 0, ack: NaN };
  // Hunting after lost sync (skipped bytes are 'http-resync'), not from the start.
  private resyncing = false;
  // Nothing has been seen or skipped yet: a gap now lies between messages.
  private pristine = true;
  private readonly paused: PauseBuffer;

  constructor(
    readonly dir: Dir,
    private readonly owner: StreamOwner,
    private readonly limits: Limits,
    private readonly anomalies: AnomalyCounter,
    private readonly stats: EngineStats,
    /** Its synDir says whether the handshake was seen (the stream starts on a boundary). */
    private readonly info: FlowInfo,
  ) {
    this.finder = new StartLineFinder(limits.maxHeaderBytes);
    this.paused = new PauseBuffer(limits.maxBufferedBytesPerDirection);
  }

  /** Fixes which side this is; hunting then looks for that side's start lines only. */
  setRole(kind: StartKind): void {
    if (this.role !== null) return;
    this.role = kind;
    this.finder.kind = kind;
    this.finder.probing = false;
  }

  /** Parser event: a header block is complete. */
  head(head: MessageHead): boolean {
    this.headSeen = true;
    return this.owner.head(this.dir, head, { ...this.start });
  }

  /** Parser event: body bytes. */
  body(chunk: Buffer): void {
    this.owner.body(this.dir, chunk);
  }

  /** Next bytes of the stream, in order (a view valid during the call). */
  data(bytes: Uint8Array, meta: ChunkMeta): void {
    if (this.mode === 'stopped') {
      this.stats.tunneledBytes += bytes.length;
      return;
    }
    if (this.mode === 'closed' || bytes.length === 0) return;
    if (this.mode === 'paused') {
      this.paused.data(bytes, meta);
      return;
    }
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buf = buf;
    this.meta = meta;
    let i = 0;
    while (i < buf.length) {
      if (this.mode === 'hunt') i = this.hunt(buf, i);
      else if (this.mode === 'parse') i = this.parse(buf, i);
      else if (this.mode === 'paused') {
        this.paused.data(buf.subarray(i), { ...meta, pos: meta.pos + i });
        break;
      } else {
        if (this.mode === 'stopped') this.stats.tunneledBytes += buf.length - i;
        break;
      }
    }
    this.pristine = false;
    this.buf = null;
  }

  /** `missing` bytes of the stream will never come. */
  gap(missing: number, meta: ChunkMeta): void {
    this.meta = meta;
    if (this.mode === 'paused') {
      this.paused.gap(missing, meta); // told when the stream resumes
      return;
    }
    if (this.mode === 'stopped' || this.mode === 'closed') {
      this.owner.missed(this.dir, missing, false);
      if (this.mode === 'stopped') this.stats.tunneledBytes += missing;
      return;
    }
    const boundaryAtStart = this.pristine && this.info.synDir !== -1;
    this.pristine = false;
    if (this.role === null) this.decideFromPartial();
    if (this.role === null) {
      this.owner.missed(this.dir, missing, false);
      this.finder.dropPartial();
      this.countSkipped();
      return;
    }
    if (this.mode === 'hunt') {
      this.owner.missed(this.dir, missing, false);
      const salvaged = this.salvageCarried();
      this.countSkipped();
      this.resyncing = true;
      this.owner.lost(this.dir, boundaryAtStart && !salvaged, meta.pos);
      return;
    }
    this.lostWhileParsing(missing, meta);
  }

  /** The stream ended in order (FIN) or the flow ended: finish what can be finished. */
  finish(ts: number): void {
    this.meta = { pos: this.meta.pos, ts, packet: this.meta.packet, ack: NaN };
    if (this.mode === 'parse' && this.inMessage) {
      if (!this.parser!.finish()) this.cutMessage();
    } else if (this.mode === 'hunt') {
      if (this.role === null) this.decideFromPartial();
      this.salvageCarried();
      this.countSkipped();
    }
    if (this.mode !== 'stopped') this.mode = 'closed';
    this.paused.take();
  }

  /** Releases a paused stream: what arrived meanwhile is parsed now. */
  resume(): void {
    if (this.mode !== 'paused') return;
    this.mode = 'parse';
    for (const item of this.paused.take()) {
      if (item.bytes === null) this.gap(item.n, item.meta);
      else this.data(item.bytes, item.meta);
    }
  }

  /** The rest of the stream is not HTTP/1.x (after 101 or a 2xx to CONNECT). */
  stop(): void {
    if (this.mode === 'closed') return;
    this.mode = 'stopped';
    this.stats.tunneledBytes += this.paused.size;
    this.paused.take();
  }

  private hunt(buf: Buffer, from: number): number {
    const m = this.meta;
    const r = this.finder.scan(buf, from, m.pos, m.ts, m.packet, m.ack);
    if (this.role === null) {
      if (r === NOT_FOUND) return buf.length;
      this.owner.firstLine(this.dir, r === NOT_START ? null : this.finder.found);
      this.finder.probing = false;
      if (r === NOT_START) return from; // hunt again, now for this side's start lines
    }
    this.countSkipped();
    if (r === NOT_FOUND || r === NOT_START) return buf.length;
    this.resyncing = false;
    this.mode = 'parse';
    // Created on the first start line: flows that never carry HTTP never pay for one.
    this.parser ??= new MessageParser(this.role === 'request', this);
    if (r !== IN_CARRY) return r;
    // The start line began in an earlier piece: feed what was carried first.
    const c = this.finder.carryFrom;
    this.markStart(c.pos, c.ts, c.packet, c.ack);
    const carried = this.finder.takeCarry();
    const view = Buffer.from(carried.buffer, carried.byteOffset, carried.length);
    this.parser!.execute(view, 0, view.length);
    return from;
  }

  private parse(buf: Buffer, from: number): number {
    let i = from;
    if (!this.inMessage) {
      while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
      if (i === buf.length) return i;
      this.markStart(this.meta.pos + i, this.meta.ts, this.meta.packet, this.meta.ack);
    }
    // A header block is fed no further than the limit allows.
    const limit = this.limits.maxHeaderBytes;
    const room = Math.max(1, limit - this.headBytes);
    const end = this.headSeen ? buf.length : Math.min(buf.length, i + room);
    this.headFrom = i;
    const r = this.parser!.execute(buf, i, end);
    if (r.error !== null) {
      this.anomalies.add('http-parse-error');
      this.cutMessage();
      this.mode = 'hunt';
      this.resyncing = true;
      // Resume hunting at the start of the offending line's successor at the latest.
      return Math.max(r.end, i + 1);
    }
    if (r.stopped) return r.end;
    if (this.inMessage && !this.headSeen) {
      this.headBytes += end - this.headFrom;
      if (this.headBytes >= limit) {
        this.anomalies.add('header-over-limit');
        this.parser!.reset();
        this.inMessage = false;
        this.mode = 'hunt';
        this.resyncing = true;
      }
    }
    return end;
  }

  private lostWhileParsing(missing: number, meta: ChunkMeta): void {
    const parser = this.parser!;
    if (!this.inMessage) {
      this.owner.missed(this.dir, missing, false);
      this.mode = 'hunt';
      this.resyncing = true;
      this.owner.lost(this.dir, true, meta.pos);
      return;
    }
    if (this.headSeen) {
      const rem = parser.bodyRemaining();
      if (rem >= missing || (rem >= 0 && parser.phase === 'body-sized')) {
        // The hole lies inside a body of known length: count it and go on.
        const absorbed = Math.min(rem, missing);
        this.owner.missed(this.dir, absorbed, true);
        this.owner.bodyLost(this.dir, absorbed);
        parser.skipLost(missing);
        if (absorbed === missing) return;
        // The body ended inside the gap, so the next message began there.
        const rest = missing - absorbed;
        if (this.mode === 'paused') this.paused.gap(rest, meta);
        else if (this.mode === 'stopped') {
          this.owner.missed(this.dir, rest, false);
          this.stats.tunneledBytes += rest;
        } else {
          this.owner.missed(this.dir, rest, false);
          this.mode = 'hunt';
          this.resyncing = true;
          this.owner.lost(this.dir, true, meta.pos + absorbed);
        }
        return;
      }
    }
    // The gap cut the message short: it is charged with all of the gap, which may
    // reach into messages after it (nothing says where it ended).
    this.cutMessage(missing);
    this.mode = 'hunt';
    this.resyncing = true;
    this.owner.lost(this.dir, false, meta.pos);
  }

  /**
   * Ends the current message early: completes it if its head is known or salvageable.
   * `lost` bytes of a gap that cut it are charged to it (or outside it, headless).
   */
  private cutMessage(lost = 0): void {
    const parser = this.parser!;
    if (this.inMessage) {
      if (!this.headSeen) {
        const head = parser.salvage();
        if (head !== null) this.owner.head(this.dir, head, { ...this.start });
        this.headSeen = head !== null;
      }
      if (lost > 0) this.owner.missed(this.dir, lost, this.headSeen);
      if (this.headSeen) this.afterCut();
    } else if (lost > 0) {
      this.owner.missed(this.dir, lost, false);
    }
    parser.reset();
    this.inMessage = false;
    this.headSeen = false;
  }

  private afterCut(): void {
    this.inMessage = false;
    this.headSeen = false;
    const next = this.owner.complete(this.dir, true, this.meta.ts);
    if (next === 'stop') this.stop();
  }

  /** Before roles are known, a first line cut short may still say which side this is. */
  private decideFromPartial(): void {
    if (this.finder.carried === 0) return;
    const line = this.finder.partialLine();
    const kind = salvageHead(true, line) ? 'request' : salvageHead(false, line) ? 'response' : null;
    if (kind !== null) this.owner.firstLine(this.dir, kind);
  }

  /** At a gap or the end while hunting: a carried partial start line may still tell something. */
  private salvageCarried(): boolean {
    if (this.finder.carried === 0 || this.role === null) return false;
    const head = salvageHead(this.role === 'request', this.finder.partialLine());
    if (head === null) return false;
    const c = this.finder.carryFrom;
    this.finder.takeCarry(); // used, not skipped
    this.owner.head(this.dir, head, { pos: c.pos, ts: c.ts, packet: c.packet, ack: c.ack });
    const next = this.owner.complete(this.dir, true, this.meta.ts);
    if (next === 'stop') this.stop();
    return true;
  }

  /** Parser event: the message is complete (`end`: index after it in the buffer, or -1). */
  complete(end: number): boolean {
    this.inMessage = false;
    this.headSeen = false;
    const next = this.owner.complete(this.dir, false, this.meta.ts);
    if (next === 'pause') {
      this.mode = 'paused';
      return true;
    }
    if (next === 'stop') {
      this.stop();
      return true;
    }
    const buf = this.buf;
    if (end >= 0 && buf !== null) {
      let i = end;
      while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
      if (i < buf.length) {
        this.markStart(this.meta.pos + i, this.meta.ts, this.meta.packet, this.meta.ack);
        this.headFrom = i;
      }
    }
    return false;
  }

  private markStart(pos: number, ts: number, packet: number, ack: number): void {
    this.inMessage = true;
    this.headSeen = false;
    this.headBytes = 0;
    const s = this.start;
    s.pos = pos;
    s.ts = ts;
    s.packet = packet;
    s.ack = ack;
  }

  private countSkipped(): void {
    const n = this.finder.skipped;
    if (n <= 0) return;
    this.finder.skipped = 0;
    if (this.resyncing) this.anomalies.add('http-resync', n);
    else this.stats.unparsedBytes += n;
  }
}
