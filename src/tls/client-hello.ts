/**
 * Reads the server name (SNI) and the offered application protocols (ALPN) from a
 * TLS ClientHello, the one handshake message a passive sensor can read in clear.
 * Pure over bytes: the caller gathers the client's first bytes (see HelloReader).
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
 * Parses the ClientHello carried by the handshake records at the start of `b`.
 * The handshake message may span several records (RFC 8446 §5.1 allows a message to
 * be fragmented); the caller bounds how many bytes it gathers. `maxAlpn` bounds the
 * protocol names kept. Never throws.
 */
export function parseClientHello(b: Uint8Array, maxAlpn: number): HelloResult {
  const msg = handshakeBytes(b);
  if (msg.kind !== 'bytes') return msg;
  const m = msg.bytes;
  if (m.length < 4) return { kind: 'more' };
  if (m[0] !== HANDSHAKE_CLIENT_HELLO) return bad('first handshake message is not a ClientHello');
  const len = (m[1]! << 16) | (m[2]! << 8) | m[3]!;
  if (m.length < 4 + len) return { kind: 'more' };
  return readHelloBody(m.subarray(4, 4 + len), maxAlpn);
}

/** Joins the fragments of the handshake records at the start of `b` into one buffer. */
function handshakeBytes(
  b: Uint8Array,
): { kind: 'bytes'; bytes: Uint8Array } | { kind: 'more' } | { kind: 'malformed'; reason: string } {
  const parts: Uint8Array[] = [];
  let total = 0;
  let off = 0;
  let wanted = -1; // handshake message length + 4, once its header has been seen
  while (off + 5 <= b.length) {
    if (b[off] !== RECORD_HANDSHAKE || b[off + 1] !== 3) return bad('not a handshake record');
    const len = (b[off + 3]! << 8) | b[off + 4]!;
    if (len === 0 || len > MAX_FRAGMENT) return bad(`record length ${len}`);
    if (off + 5 + len > b.length) break; // the record is not all here
    parts.push(b.subarray(off + 5, off + 5 + len));
    total += len;
    off += 5 + len;
    if (wanted < 0 && total >= 4) {
      const head = parts.length === 1 ? parts[0]! : concat(parts, total);
      wanted = 4 + ((head[1]! << 16) | (head[2]! << 8) | head[3]!);
    }
    if (wanted >= 0 && total >= wanted) break;
  }
  if (parts.length === 0) return { kind: 'more' };
  // One record is the usual case: a view, no copy.
  return { kind: 'bytes', bytes: parts.length === 1 ? parts[0]! : concat(parts, total) };
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

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
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
