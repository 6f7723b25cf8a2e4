/**
 * Reads the server name (SNI) and the offered application protocols (ALPN) from a
 * TLS ClientHello, the one handshake message a passive sensor can read in clear.
 * Pure over bytes; HelloReader takes them as they come, in pieces.
 */

/** What a ClientHello says about where it goes. */
export interface ClientHelloInfo {
  /** RFC 6066 §3 host_name, lowercased, without a trailing dot; '' when not sent. */
  sni: string;
  /** RFC 7301 §3.1 protocol names in the client's order (e.g. 'h2', 'http/1.1'). */
  alpn: string[];
}

/** The outcome of reading a client's first bytes. */
export type HelloResult =
  | { kind: 'hello'; info: ClientHelloInfo }
  | { kind: 'more' } // the ClientHello is not complete yet
  | { kind: 'malformed'; reason: string };

/** What a HelloReader gives: a HelloResult, or 'limit' for a hello over its bound. */
export type ReadResult = HelloResult | { kind: 'limit' };

const RECORD_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
// RFC 8446 §5.1: a plaintext record fragment is at most 2^14 bytes.
const MAX_FRAGMENT = 1 << 14;

/**
 * True when `b` starts like a TLS handshake record (RFC 8446 §5.1: content type 22,
 * legacy_record_version 0x03 0x0X). Needs 3 bytes; fewer give false.
 */
export function looksLikeTlsRecord(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === RECORD_HANDSHAKE && b[1] === 3 && b[2]! <= 4;
}

/**
 * True when `b` starts like any TLS record (RFC 8446 §5.1 content types 20 to 23:
 * change_cipher_spec, alert, handshake, application_data): a flow first seen
 * mid-stream, after its handshake. Bytes no HTTP message can start with.
 */
export function looksLikeTlsAnyRecord(b: Uint8Array): boolean {
  return b.length >= 3 && b[0]! >= 20 && b[0]! <= 23 && b[1] === 3 && b[2]! <= 4;
}

/**
 * Parses the ClientHello carried by the handshake records at the start of `b` (all
 * the client's first bytes at once). See HelloReader for bytes that come in pieces.
 */
export function parseClientHello(b: Uint8Array, maxAlpn: number): HelloResult {
  // No bound on the length here, so the result is never 'limit'.
  return new HelloReader(Infinity, maxAlpn).push(b) as HelloResult;
}

/**
 * Reads a ClientHello from a client's first bytes as they come, in one pass: record
 * headers are stripped as they complete (a handshake message may span several records,
 * RFC 8446 §5.1) and the message is parsed once, when all of it is in. Pieces are
 * copied into one buffer that doubles, so even one-byte segments cost linear time.
 * A message longer than `maxBytes` gives 'limit'. Never throws.
 */
export class HelloReader {
  /** A record header split over segments, held until its 5 bytes are in. */
  private pending: Uint8Array = new Uint8Array(0);
  /** Bytes left in the current record's fragment; 0 between records. */
  private fragmentLeft = 0;
  /** The handshake message gathered so far, `used` bytes of `msg`. */
  private msg: Uint8Array = new Uint8Array(0);
  private used = 0;
  private done: ReadResult | null = null;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAlpn: number,
  ) {}

  /** Takes the next client bytes (a view, not kept); 'more' until the hello is read. */
  push(bytes: Uint8Array): ReadResult {
    if (this.done !== null) return this.done;
    let b = this.pending.length > 0 ? join(this.pending, bytes) : bytes;
    this.pending = new Uint8Array(0);
    while (b.length > 0) {
      if (this.fragmentLeft === 0) {
        if (b.length < 5) {
          this.pending = b.slice(); // a record header split over segments (tiny)
          break;
        }
        if (b[0] !== RECORD_HANDSHAKE || b[1] !== 3) return this.end(bad('not a handshake record'));
        const len = (b[3]! << 8) | b[4]!;
        if (len === 0 || len > MAX_FRAGMENT) return this.end(bad(`record length ${len}`));
        this.fragmentLeft = len;
        b = b.subarray(5);
        continue;
      }
      const take = Math.min(this.fragmentLeft, b.length);
      this.append(b.subarray(0, take));
      this.fragmentLeft -= take;
      b = b.subarray(take);
      const r = this.check();
      if (r !== null) return r;
    }
    return { kind: 'more' };
  }

  /** Parses the message once it is all in; null while more is needed. */
  private check(): ReadResult | null {
    if (this.used < 4) return null;
    const m = this.msg;
    if (m[0] !== HANDSHAKE_CLIENT_HELLO) {
      return this.end(bad('first handshake message is not a ClientHello'));
    }
    const len = (m[1]! << 16) | (m[2]! << 8) | m[3]!;
    if (4 + len > this.maxBytes) return this.end({ kind: 'limit' });
    if (this.used < 4 + len) return null;
    return this.end(readHelloBody(m.subarray(4, 4 + len), this.maxAlpn));
  }

  private append(b: Uint8Array): void {
    if (this.msg.length < this.used + b.length) {
      const grown = new Uint8Array(Math.max(2 * this.msg.length, this.used + b.length, 512));
      grown.set(this.msg.subarray(0, this.used), 0);
      this.msg = grown;
    }
    this.msg.set(b, this.used);
    this.used += b.length;
  }

  private end(r: ReadResult): ReadResult {
    this.done = r;
    this.msg = this.pending = new Uint8Array(0);
    return r;
  }
}

/** RFC 8446 §4.1.2 ClientHello body (the same layout as TLS 1.2, RFC 5246 §7.4.1.2). */
function readHelloBody(h: Uint8Array, maxAlpn: number): HelloResult {
  const r = new Cursor(h);
  r.skip(2 + 32); // legacy_version, random
  r.skip(r.u8()); // legacy_session_id<0..32>
  r.skip(r.u16()); // cipher_suites<2..2^16-2>
  r.skip(r.u8()); // legacy_compression_methods<1..2^8-1>
  if (!r.ok) return bad('ClientHello shorter than its fixed fields');
  const info: ClientHelloInfo = { sni: '', alpn: [] };
  // TLS 1.2 and earlier may end here: no extensions at all (RFC 5246 §7.4.1.2).
  if (r.left === 0) return { kind: 'hello', info };
  const extEnd = r.pos + 2 + r.u16();
  if (!r.ok || extEnd > h.length) return bad('extensions block longer than the ClientHello');
  while (r.pos + 4 <= extEnd) {
    const type = r.u16();
    const len = r.u16();
    if (r.pos + len > extEnd) return bad('extension longer than the extensions block');
    const body = h.subarray(r.pos, r.pos + len);
    r.skip(len);
    if (type === EXT_SERVER_NAME) {
      const sni = readServerName(body);
      if (sni === null) return bad('malformed server_name extension');
      info.sni = sni;
    } else if (type === EXT_ALPN) {
      const alpn = readAlpn(body, maxAlpn);
      if (alpn === null) return bad('malformed ALPN extension');
      info.alpn = alpn;
    }
  }
  return { kind: 'hello', info };
}

/**
 * RFC 6066 §3: a ServerNameList; the host_name entry (type 0) is an ASCII DNS name
 * without a trailing dot. Returns '' when no host_name is listed, null when malformed.
 */
function readServerName(b: Uint8Array): string | null {
  const r = new Cursor(b);
  const end = 2 + r.u16();
  if (!r.ok || end > b.length) return null;
  while (r.pos + 3 <= end) {
    const type = r.u8();
    const len = r.u16();
    if (r.pos + len > end) return null;
    const name = b.subarray(r.pos, r.pos + len);
    r.skip(len);
    if (type !== 0) continue; // unknown name types are skipped (§3 allows others)
    return hostName(name);
  }
  return '';
}

/** A DNS name of letters, digits, '-', '_' and dots; anything else is malformed. */
function hostName(b: Uint8Array): string | null {
  if (b.length === 0 || b.length > 255) return null;
  let s = '';
  for (const c of b) {
    const ok =
      (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
      c === 0x2d || c === 0x2e || c === 0x5f;
    if (!ok) return null;
    s += String.fromCharCode(c);
  }
  s = s.toLowerCase();
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** RFC 7301 §3.1: ProtocolNameList of non-empty 8-bit-length names. Null when malformed. */
function readAlpn(b: Uint8Array, max: number): string[] | null {
  const r = new Cursor(b);
  const end = 2 + r.u16();
  if (!r.ok || end > b.length) return null;
  const names: string[] = [];
  while (r.pos < end) {
    const len = r.u8();
    if (len === 0 || r.pos + len > end) return null;
    const name = b.subarray(r.pos, r.pos + len);
    r.skip(len);
    // LIMITATION: names past limits.tlsMaxAlpn, and names with bytes outside printable
    // ASCII (GREASE values, RFC 8701), are not kept.
    if (names.length < max && name.every((c) => c >= 0x21 && c <= 0x7e)) {
      names.push(String.fromCharCode(...name));
    }
  }
  return names;
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function bad(reason: string): { kind: 'malformed'; reason: string } {
  return { kind: 'malformed', reason };
}

/** A bounds-checked reader: reading past the end sets ok = false and returns 0. */
class Cursor {
  pos = 0;
  ok = true;
  constructor(private readonly b: Uint8Array) {}

  get left(): number {
    return this.b.length - this.pos;
  }

  u8(): number {
    if (this.pos + 1 > this.b.length) return this.fail();
    return this.b[this.pos++]!;
  }

  u16(): number {
    if (this.pos + 2 > this.b.length) return this.fail();
    const v = (this.b[this.pos]! << 8) | this.b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  skip(n: number): void {
    if (this.pos + n > this.b.length) this.fail();
    else this.pos += n;
  }

  private fail(): number {
    this.ok = false;
    this.pos = this.b.length;
    return 0;
  }
}
