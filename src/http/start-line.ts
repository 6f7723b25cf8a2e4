/**
 * Recognising HTTP/1.x start lines in raw bytes: to tell which side of a flow is
 * the client, and to find where parsing can resume after a gap or a parse error.
 * Only whole lines are trusted when hunting (a request line is
 * `method SP request-target SP HTTP-version`, a status line
 * `HTTP-version SP 3DIGIT SP reason`, RFC 9112 §3 and §4); partial lines are only
 * used to salvage what a cut-off message still tells.
 */

/** Which side's start line. */
export type StartKind = 'request' | 'response';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTTP = [0x48, 0x54, 0x54, 0x50, 0x2f]; // "HTTP/"
const DOT = 0x2e;

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isUpper(c: number | undefined): boolean {
  return c !== undefined && c >= 0x41 && c <= 0x5a;
}

/** Method characters the parser accepts: upper-case letters, digits, '-' and '_'. */
function isMethodChar(c: number | undefined): boolean {
  return isUpper(c) || isDigit(c) || c === 0x2d || c === 0x5f;
}

/**
 * Whether b[i..i+8) is an HTTP-version, "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3). Any
 * numbers are taken, as tshark takes them: "GET / HTTP/2.0" is framed as HTTP/1.x
 * (HTTP/2 itself is binary and told apart by its preface, see tls/flow-sink.ts).
 */
function hasVersionAt(b: Uint8Array, i: number): boolean {
  for (let k = 0; k < HTTP.length; k++) if (b[i + k] !== HTTP[k]) return false;
  return isDigit(b[i + 5]) && b[i + 6] === DOT && isDigit(b[i + 7]);
}

/** Whether b[s, e) (one line without its LF; a final CR is allowed) is a request line. */
export function isRequestLine(b: Uint8Array, s: number, e: number): boolean {
  if (e > s && b[e - 1] === CR) e--;
  // The shortest is "A / HTTP/1.1": 12 bytes. The version is checked first: cheap
  // and rarely matched by chance, which keeps hunting through non-HTTP bytes fast.
  if (e - s < 12 || b[e - 9] !== SP || !hasVersionAt(b, e - 8)) return false;
  if (!isUpper(b[s])) return false;
  let i = s + 1;
  while (i < e && isMethodChar(b[i])) i++;
  if (b[i] !== SP) return false;
  const targetEnd = e - 9;
  if (targetEnd <= i + 1 || b[i + 1] === SP) return false;
  // Spaces inside the target are tolerated, as by the parser; control bytes are not.
  for (let j = i + 1; j < targetEnd; j++) {
    const c = b[j]!;
    if (c < SP || c === 0x7f) return false;
  }
  return true;
}

/** Whether b[s, e) begins like a status line: "HTTP/x.y NNN" then SP or end. */
export function isStatusLine(b: Uint8Array, s: number, e: number): boolean {
  if (e > s && b[e - 1] === CR) e--;
  if (e - s < 12 || !hasVersionAt(b, s) || b[s + 8] !== SP) return false;
  if (!isDigit(b[s + 9]) || !isDigit(b[s + 10]) || !isDigit(b[s + 11])) return false;
  return e - s === 12 || b[s + 12] === SP;
}

/** The kind of start line b[s, e) is, or null. */
export function classifyLine(b: Uint8Array, s: number, e: number): StartKind | null {
  if (isStatusLine(b, s, e)) return 'response';
  if (isRequestLine(b, s, e)) return 'request';
  return null;
}

/** What is left of a request line cut short: the target must be complete. */
export interface PartialRequestLine {
  method: string;
  url: string;
  versionMajor: number;
  versionMinor: number;
}

// method SP target SP, then any prefix of "HTTP/x.y".
const PARTIAL_REQUEST =
  /^([A-Z][A-Z0-9_-]*) ([^\s]+) (H(?:T(?:T(?:P(?:\/(?:(\d)(?:\.(\d?))?)?)?)?)?)?)?$/;
const PARTIAL_STATUS = /^HTTP\/(\d)\.(\d) (\d{3})(?: |$)/;

/**
 * Salvages a request line whose end was lost: method and complete target (the
 * space after the target was seen), version assumed 1.1 as far as it was cut off.
 */
export function salvageRequestLine(line: string): PartialRequestLine | null {
  const m = PARTIAL_REQUEST.exec(line.endsWith('\r') ? line.slice(0, -1) : line);
  if (m === null) return null;
  const major = m[4] !== undefined ? Number(m[4]) : 1;
  const minor = m[5] !== undefined && m[5] !== '' ? Number(m[5]) : 1;
  return { method: m[1]!, url: m[2]!, versionMajor: major, versionMinor: minor };
}

/** What is left of a status line cut after its code. */
export interface PartialStatusLine {
  versionMajor: number;
  versionMinor: number;
  status: number;
}

/** Salvages the version and status code of a status line cut after its code. */
export function salvageStatusLine(line: string): PartialStatusLine | null {
  const m = PARTIAL_STATUS.exec(line);
  if (m === null) return null;
  return { versionMajor: Number(m[1]), versionMinor: Number(m[2]), status: Number(m[3]) };
}

const EMPTY = new Uint8Array(0);

/** Result codes of StartLineFinder.scan besides an index into the scanned bytes. */
export const NOT_FOUND = -1;
export const IN_CARRY = -2;
export const NOT_START = -3;

/**
 * Hunts a byte stream, fed in pieces, for the next start line. Lines split across
 * pieces are carried (copied, at most maxLine bytes) until their LF arrives.
 * LIMITATION: HTTP/0.9 simple requests ("GET /path" with no version) and request
 * lines longer than maxLine are not recognised.
 * In probing mode it looks at the first line only and says whether it is a start
 * line of either kind (used to tell client from server).
 */
export class StartLineFinder {
  /** What to look for; 'any' while probing. */
  kind: StartKind | 'any' = 'any';
  probing = true;
  /** The kind of the start line last found. */
  found: StartKind = 'request';
  /** Bytes passed over since the last resetSkipped(). */
  skipped = 0;
  /** Where the carried partial line began. */
  readonly carryFrom = { pos: 0, ts: 0, packet: 0, ack: NaN };
  private carry = EMPTY;
  private carryLen = 0;

  constructor(private readonly maxLine: number) {}

  /** Bytes of a partial line being carried. */
  get carried(): number {
    return this.carryLen;
  }

  /**
   * Scans b[from..] (b[0] is at stream position `pos`). Returns the index of a
   * start line in b; IN_CARRY when it began in the carried bytes (take them with
   * takeCarry(), then continue with b from `from`); NOT_FOUND when all of b was
   * passed over or carried; NOT_START when probing and the first line is not a
   * start line (nothing consumed).
   */
  scan(b: Uint8Array, from: number, pos: number, ts: number, packet: number, ack: number): number {
    let ls = from;
    if (this.carryLen > 0) {
      const lf = b.indexOf(LF, from);
      if (lf < 0) {
        if (this.carryLen + b.length - from > this.maxLine) return this.dropCarry(b.length - from);
        this.append(b, from, b.length);
        return NOT_FOUND;
      }
      const line = new Uint8Array(this.carryLen + lf - from);
      line.set(this.carry.subarray(0, this.carryLen));
      line.set(b.subarray(from, lf), this.carryLen);
      if (this.matches(line, 0, line.length)) return IN_CARRY;
      if (this.probing && !isBlank(line, 0, line.length)) return NOT_START;
      this.skipped += this.carryLen + lf + 1 - from;
      this.carryLen = 0;
      ls = lf + 1;
    }
    for (let lf = b.indexOf(LF, ls); lf >= 0; lf = b.indexOf(LF, ls)) {
      if (this.matches(b, ls, lf)) return ls;
      if (this.probing && !isBlank(b, ls, lf)) return NOT_START;
      this.skipped += lf + 1 - ls;
      ls = lf + 1;
    }
    if (ls < b.length) {
      if (b.length - ls <= this.maxLine && this.couldStart(b[ls]!)) {
        this.carryFrom.pos = pos + ls;
        this.carryFrom.ts = ts;
        this.carryFrom.packet = packet;
        this.carryFrom.ack = ack;
        this.append(b, ls, b.length);
      } else {
        if (this.probing && b[ls] !== CR) return NOT_START;
        this.skipped += b.length - ls;
      }
    }
    return NOT_FOUND;
  }

  /** The carried bytes (a view, valid until the next scan); the carry is emptied. */
  takeCarry(): Uint8Array {
    const view = this.carry.subarray(0, this.carryLen);
    this.carryLen = 0;
    return view;
  }

  /** The carried partial line as text, for salvage; '' when none. */
  partialLine(): string {
    return Buffer.from(this.carry.buffer, this.carry.byteOffset, this.carryLen).toString('latin1');
  }

  /** Forgets the carried line (after a gap, it no longer continues). */
  dropPartial(): void {
    this.skipped += this.carryLen;
    this.carryLen = 0;
  }

  private matches(b: Uint8Array, s: number, e: number): boolean {
    const kind = this.kind;
    if (kind !== 'request' && isStatusLine(b, s, e)) {
      this.found = 'response';
      return true;
    }
    if (kind !== 'response' && isRequestLine(b, s, e)) {
      this.found = 'request';
      return true;
    }
    return false;
  }

  private couldStart(c: number): boolean {
    return this.kind === 'response' ? c === HTTP[0] : isUpper(c);
  }

  private dropCarry(more: number): number {
    if (this.probing) return NOT_START;
    this.skipped += this.carryLen + more;
    this.carryLen = 0;
    return NOT_FOUND;
  }

  private append(b: Uint8Array, s: number, e: number): void {
    const need = this.carryLen + (e - s);
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.max(need, this.carry.length * 2, 256));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(b.subarray(s, e), this.carryLen);
    this.carryLen = need;
  }
}

function isBlank(b: Uint8Array, s: number, e: number): boolean {
  return e === s || (e === s + 1 && b[s] === CR);
}
