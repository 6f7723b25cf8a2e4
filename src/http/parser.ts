import { HTTPParser } from 'http-parser-js';
import { salvageRequestLine, salvageStatusLine } from './start-line.js';
import { messageFraming } from './framing.js';

/**
 * Our thin wrapper around http-parser-js (STYLE 12): one HTTP/1.x message stream
 * in one direction. The rest of shadowtap speaks MessageHead and these events.
 *
 * The wrapper reads and sets a few fields of http-parser-js 0.5 that its typings
 * mark private (state, body_bytes, isChunked, offset, line, info), because a passive
 * parser needs what a server's parser does not: decide body framing itself (RFC
 * 9112 §6.3, which that parser gets wrong for "gzip, chunked" and for responses to
 * HEAD), skip bytes lost in a gap without losing the message, and salvage a header
 * block cut short. They are all touched in this file only.
 */

/** A parsed request or status line and header block. */
export interface MessageHead {
  request: boolean;
  /** Request method, '' for responses. */
  method: string;
  /** Request target as sent, '' for responses. */
  url: string;
  /** Status code, 0 for requests. */
  status: number;
  versionMajor: number;
  versionMinor: number;
  /** Header names and values as sent, alternating (name, value, name, value...). */
  rawHeaders: string[];
  /** Salvaged from a header block that a gap or the end of the capture cut short. */
  truncated: boolean;
}

/** What the parser tells its owner, synchronously, while it runs. */
export interface ParserEvents {
  /** The header block is complete. Return true when the message has no body, whatever it says. */
  head(head: MessageHead): boolean;
  /** Body bytes (transfer coding removed): a view valid during the call only. */
  body(chunk: Buffer): void;
  /**
   * The message is complete; `end` is the index just after it in the buffer being
   * executed (-1 when it ended inside a gap or at end of stream). Return true to
   * stop parsing right there (the rest of the stream is not HTTP/1.x).
   */
  complete(end: number): boolean;
}

/** Outcome of execute(). */
export interface ExecResult {
  /** Index in the buffer where parsing stopped (the end, unless stopped or failed). */
  end: number;
  /** Set when the bytes are not HTTP/1.x: salvage() what can be, then reset(). */
  error: string | null;
  /** complete() asked to stop; the parser has been reset. */
  stopped: boolean;
}

/** Where in a message the parser stands. */
export type ParserPhase =
  | 'idle'
  | 'head'
  | 'body-sized'
  | 'body-chunk'
  | 'body-framing'
  | 'body-close';

interface Internals {
  state: string;
  body_bytes: number | null;
  isChunked: boolean;
  offset: number;
  line: string;
  maxHeaderSize: number;
  _compatMode0_11: boolean;
  info: {
    headers: string[];
    method?: string;
    url?: string;
    versionMajor?: number;
    versionMinor?: number;
    statusCode?: number;
  };
  initialize(type: string): void;
  consumeLine(): string | undefined;
  REQUEST_LINE: () => void;
  BODY_CHUNKHEAD: () => void;
  nextRequest(): void;
  execute(chunk: Buffer, start: number, length: number): number | Error;
  finish(): void | Error;
  [callback: number]: unknown;
  /** Ours: the wrapper the hooks below call back. */
  owner: MessageParser;
}

// The parser class with our hooks on its prototype: per-instance callbacks (as the
// library's README does it) measured ~1.8 KB per parser, and a flow has two.
const Hooked = function (this: Internals, type: string) {
  HTTPParser.call(this as never, type as 'REQUEST');
} as unknown as new (type: string) => Internals;
Hooked.prototype = Object.create(HTTPParser.prototype) as Internals;
const hooks = Hooked.prototype as Internals;
// Methods as strings, so extension methods are not rejected by a fixed table.
hooks._compatMode0_11 = true;
// Lines are decoded one character per byte: the library's default, 'ascii', clears
// the high bit of bytes >= 0x80 (a UTF-8 Host or path came out mangled).
HTTPParser.encoding = 'latin1';
hooks[HTTPParser.kOnHeadersComplete] = function (this: Internals) {
  return this.owner.onHeadersComplete();
};
hooks[HTTPParser.kOnBody] = function (this: Internals, chunk: Buffer) {
  this.owner.onBody(chunk);
};
hooks[HTTPParser.kOnMessageComplete] = function (this: Internals) {
  this.owner.onMessageComplete();
};
hooks.REQUEST_LINE = function (this: Internals) {
  this.owner.requestLine();
};
// chunk-size = 1*HEXDIG, then optional extensions (RFC 9112 §7.1). The library
// reads it with parseInt, which takes '-5' (its read position then runs backwards
// for ever) and sizes past 2^53; at most 13 hex digits (under 2^52) are taken here.
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,13})[ \t]*(?:;.*)?$/;
hooks.BODY_CHUNKHEAD = function (this: Internals) {
  const line = this.consumeLine();
  if (line === undefined) return;
  const m = CHUNK_SIZE.exec(line);
  if (m === null) throw new FramingError('bad chunk size');
  this.body_bytes = parseInt(m[1]!, 16);
  this.state = this.body_bytes === 0 ? 'BODY_CHUNKTRAILERS' : 'BODY_CHUNK';
};

// method SP target [SP anything] SP HTTP-version (RFC 9112 §3, leniently).
const REQUEST_LINE = /^([A-Z][A-Z0-9_-]*) (\S+)(?: [^\r\n]*)? HTTP\/(\d)\.(\d)$/;

// Thrown from a callback to leave http-parser-js's execute loop at a message end.
const STOP = Symbol('stop');

class FramingError extends Error {}

// http-parser-js adds everything one execute() call consumed to its header-size
// count when the call ends inside a header block, body bytes of the message before
// included. Bounded pieces keep that count honest; we enforce our own limit.
const MAX_PIECE = 16 * 1024;

/** An incremental HTTP/1.x parser for one direction of one connection. */
export class MessageParser {
  private readonly p: Internals;
  private readonly type: string;
  private inGap = false;

  constructor(
    readonly request: boolean,
    private readonly events: ParserEvents,
  ) {
    this.type = request ? HTTPParser.REQUEST : HTTPParser.RESPONSE;
    this.p = new Hooked(this.type);
    this.p.owner = this;
  }

  /** Where in a message the parser stands. */
  get phase(): ParserPhase {
    switch (this.p.state) {
      case 'REQUEST_LINE':
      case 'RESPONSE_LINE':
        return this.p.line === '' ? 'idle' : 'head';
      case 'HEADER':
        return 'head';
      case 'BODY_SIZED':
        return 'body-sized';
      case 'BODY_CHUNK':
        return 'body-chunk';
      case 'BODY_RAW':
        return 'body-close';
      default:
        return 'body-framing';
    }
  }

  /** Parses buf[start, end). Events fire during the call. */
  execute(buf: Buffer, start: number, end: number): ExecResult {
    const p = this.p;
    let pos = start;
    while (pos < end) {
      const n = Math.min(end - pos, MAX_PIECE);
      p.maxHeaderSize = Infinity;
      let r: number | Error;
      try {
        r = p.execute(buf, pos, n);
      } catch (err) {
        const at = Math.min(Math.max(p.offset, pos), end);
        if (err !== STOP) return { end: at, error: describe(err), stopped: false };
        this.reset();
        return { end: at, error: null, stopped: true };
      }
      if (typeof r !== 'number') {
        return { end: Math.min(Math.max(p.offset, pos), end), error: describe(r), stopped: false };
      }
      // A return short of n means the parser paused after an Upgrade message; we
      // decide about upgrades ourselves, so parsing simply goes on.
      if (r <= 0) return { end: pos, error: 'no progress', stopped: false };
      pos += r;
    }
    return { end, error: null, stopped: false };
  }

  /**
   * Body bytes the current message still expects: Infinity for a body that runs to
   * the connection's close, -1 when not inside a body of known length.
   */
  bodyRemaining(): number {
    switch (this.phase) {
      case 'body-close':
        return Infinity;
      case 'body-sized':
      case 'body-chunk':
        return this.p.body_bytes ?? 0;
      default:
        return -1;
    }
  }

  /**
   * Accounts for `n` bytes lost in a gap while inside a body whose length is known.
   * Returns how many of them the current message absorbed (completing it when its
   * body ends inside the gap), or -1 when the message's framing is lost with them.
   */
  skipLost(n: number): number {
    const p = this.p;
    const phase = this.phase;
    if (phase === 'body-close') return n;
    if (phase !== 'body-sized' && phase !== 'body-chunk') return -1;
    const rem = p.body_bytes ?? 0;
    if (n < rem) {
      p.body_bytes = rem - n;
      return n;
    }
    if (phase === 'body-chunk') {
      if (n > rem) return -1; // the chunk framing after this chunk was lost too
      p.body_bytes = 0;
      p.state = 'BODY_CHUNKEMPTYLINE';
      return n;
    }
    p.body_bytes = 0;
    this.inGap = true;
    try {
      p.nextRequest();
    } catch (err) {
      if (err !== STOP) throw err;
      this.reset();
    } finally {
      this.inGap = false;
    }
    return rem;
  }

  /** The head of a message whose header block was cut short, as far as it goes. */
  salvage(): MessageHead | null {
    const p = this.p;
    if (p.state === 'HEADER') return this.head(true);
    if (p.state !== 'REQUEST_LINE' && p.state !== 'RESPONSE_LINE') return null;
    return salvageHead(this.request, p.line);
  }

  /**
   * End of the stream: a body delimited by the connection closing is complete
   * (RFC 9112 §6.3 point 8). Returns whether a message was completed.
   */
  finish(): boolean {
    if (this.p.state !== 'BODY_RAW') return false;
    this.inGap = true;
    try {
      this.p.finish();
    } catch (err) {
      if (err !== STOP) throw err;
    } finally {
      this.inGap = false;
    }
    this.reset();
    return true;
  }

  /** Forgets any partial message. */
  reset(): void {
    this.p.initialize(this.type);
  }

  /** @internal Called by the parser for body bytes. */
  onBody(chunk: Buffer): void {
    this.events.body(chunk);
  }

  /** @internal Called by the parser at a message end. */
  onMessageComplete(): void {
    if (this.events.complete(this.inGap ? -1 : this.p.offset)) throw STOP;
  }

  /**
   * The parser's own request-line state, made lenient where real traffic is: a
   * target with spaces in it (seen in attack traffic) and methods with digits or '_'.
   * LIMITATION: such a target is cut at its first space, as tshark does; servers
   * differ (some take everything up to the last space).
   */
  /** @internal */
  requestLine(): void {
    const p = this.p;
    const line = p.consumeLine();
    if (!line) return; // no full line yet, or an empty line before the request (RFC 9112 §2.2)
    const m = REQUEST_LINE.exec(line);
    if (m === null) throw new FramingError('bad request line');
    p.info.method = m[1]!;
    p.info.url = m[2]!;
    p.info.versionMajor = Number(m[3]);
    p.info.versionMinor = Number(m[4]);
    p.body_bytes = 0;
    p.state = 'HEADER';
  }

  /** @internal Called by the parser when a header block is complete. */
  onHeadersComplete(): boolean {
    const head = this.head(false);
    if (this.events.head(head)) return true;
    const p = this.p;
    const framing = messageFraming(head);
    switch (framing.kind) {
      case 'none':
        return true;
      case 'length':
        p.isChunked = false;
        p.body_bytes = framing.length;
        return framing.length === 0;
      case 'chunked':
        p.isChunked = true;
        p.body_bytes = null;
        return false;
      case 'close':
        p.isChunked = false;
        p.body_bytes = null;
        return false;
      default:
        throw new FramingError(framing.reason);
    }
  }

  private head(truncated: boolean): MessageHead {
    const info = this.p.info;
    return {
      request: this.request,
      method: this.request ? String(info.method ?? '') : '',
      url: this.request ? (info.url ?? '') : '',
      status: this.request ? 0 : (info.statusCode ?? 0),
      versionMajor: info.versionMajor ?? 1,
      versionMinor: info.versionMinor ?? 1,
      rawHeaders: info.headers,
      truncated,
    };
  }
}

/** The head a start line cut short (no LF) still gives, or null. */
export function salvageHead(request: boolean, line: string): MessageHead | null {
  const base = { request, rawHeaders: [], truncated: true };
  if (request) {
    const r = salvageRequestLine(line);
    return r && { ...base, ...r, status: 0 };
  }
  const s = salvageStatusLine(line);
  return s && { ...base, ...s, method: '', url: '' };
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? code : err.message;
  }
  return String(err);
}
