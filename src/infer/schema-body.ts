/**
 * Reading message bodies and query strings into fields, shared by schema inference
 * and the PII walker: media types, JSON, application/x-www-form-urlencoded
 * (WHATWG URL standard, section 5.1) and multipart/form-data (RFC 7578).
 * Malformed input gives fewer fields, never an exception.
 */

/** How a body is read. */
export type BodyKind = 'json' | 'form' | 'multipart' | 'text' | 'binary' | 'empty';

/** The media type of a Content-Type value: lowercased "type/subtype", parameters dropped. */
export function mediaTypeOf(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** One parameter of a Content-Type value (RFC 9110 section 5.6.6), unquoted; null if absent. */
export function mediaTypeParam(contentType: string, name: string): string | null {
  const parts = contentType.split(';');
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== name) continue;
    let v = p.slice(eq + 1).trim();
    if (v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"') v = v.slice(1, -1);
    return v;
  }
  return null;
}

/** How to read a body of this media type; bodies without one are sniffed. */
export function bodyKind(mediaType: string, body: Uint8Array): BodyKind {
  if (body.length === 0) return 'empty';
  if (mediaType === 'application/json' || mediaType.endsWith('+json') ||
    mediaType === 'text/json') return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType === 'multipart/form-data') return 'multipart';
  if (mediaType.startsWith('text/') || mediaType.endsWith('+xml') ||
    mediaType === 'application/xml' || mediaType === 'application/javascript') return 'text';
  if (mediaType === '') {
    const first = firstNonSpace(body);
    if (first === 0x7b || first === 0x5b) return 'json';
    return looksTextual(body) ? 'text' : 'binary';
  }
  return 'binary';
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Body bytes as text (UTF-8, invalid sequences replaced). */
export function bodyText(body: Uint8Array): string {
  return utf8.decode(body);
}

// The last two bodies parsed and their documents: an exchange's request and response
// are parsed for their schema and then again for personal data, one after the other.
// Documents are only read, never changed, so they can be handed out twice.
const recent: Array<[Uint8Array, unknown]> = [];

/** The parsed JSON document, or undefined when the body is not complete JSON. */
export function parseJson(body: Uint8Array): unknown {
  for (const [b, doc] of recent) if (b === body) return doc;
  let doc: unknown;
  try {
    doc = JSON.parse(utf8.decode(body));
  } catch {
    // LIMITATION: a body cut at maxBodyBytesKept is not valid JSON and yields no fields.
    doc = undefined;
  }
  if (recent.length >= 2) recent.shift();
  recent.push([body, doc]);
  return doc;
}

/** Pairs of an urlencoded string ("a=1&b=x%40y"), names and values decoded. */
export function parseForm(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (text.length === 0) return out;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    out.push([percentDecode(name), percentDecode(value)]);
  }
  return out;
}

/** Percent-decoding with '+' as space; malformed escapes are kept as written. */
export function percentDecode(s: string): string {
  const t = s.includes('+') ? s.replaceAll('+', ' ') : s;
  if (!t.includes('%')) return t;
  try {
    return decodeURIComponent(t);
  } catch {
    // Decode the well-formed escapes one byte at a time; leave the rest.
    const bytes: number[] = [];
    for (let i = 0; i < t.length; i++) {
      const h = t[i] === '%' ? parseInt(t.slice(i + 1, i + 3), 16) : NaN;
      if (!Number.isNaN(h) && /^[0-9a-fA-F]{2}$/.test(t.slice(i + 1, i + 3))) {
        bytes.push(h);
        i += 2;
      } else {
        for (const b of Buffer.from(t[i]!, 'utf8')) bytes.push(b);
      }
    }
    return utf8.decode(Uint8Array.from(bytes));
  }
}

/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string;
  /** Set for file uploads; their content is not read as a field value. */
  filename: string | null;
  contentType: string;
  /** Text of a non-file part; null for files. */
  value: string | null;
  /** The part's raw content (a view into the body). */
  content: Uint8Array;
}

/** Parts of a multipart/form-data body (RFC 7578 section 4), as far as the bytes go. */
export function parseMultipart(body: Uint8Array, contentType: string): FormPart[] {
  const boundary = mediaTypeParam(contentType, 'boundary');
  if (boundary === null || boundary.length === 0 || boundary.length > 70) return [];
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delim = Buffer.from('--' + boundary);
  const out: FormPart[] = [];
  let at = buf.indexOf(delim);
  while (at >= 0) {
    let start = at + delim.length;
    if (buf[start] === 0x2d && buf[start + 1] === 0x2d) break; // closing delimiter
    while (start < buf.length && buf[start] !== 0x0a) start++; // rest of the delimiter line
    start++;
    const next = buf.indexOf(delim, start);
    // A part cut by the body cap runs to the end of what was kept.
    let end = next < 0 ? buf.length : next;
    if (next >= 0 && buf[end - 1] === 0x0a) end -= buf[end - 2] === 0x0d ? 2 : 1;
    const part = partOf(buf.subarray(start, Math.max(start, end)));
    if (part !== null) out.push(part);
    at = next;
  }
  return out;
}

function partOf(raw: Buffer): FormPart | null {
  let sep = raw.indexOf('\r\n\r\n');
  let skip = 4;
  if (sep < 0) {
    sep = raw.indexOf('\n\n');
    skip = 2;
  }
  if (sep < 0) return null;
  let name: string | null = null;
  let filename: string | null = null;
  let contentType = '';
  for (const line of raw.subarray(0, sep).toString('utf8').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const h = line.slice(0, colon).trim().toLowerCase();
    const v = line.slice(colon + 1).trim();
    if (h === 'content-type') contentType = v;
    if (h !== 'content-disposition') continue;
    name = mediaTypeParam(v, 'name');
    filename = mediaTypeParam(v, 'filename');
  }
  if (name === null) return null;
  const content = raw.subarray(sep + skip);
  const value = filename === null ? utf8.decode(content) : null;
  return { name, filename, contentType, value, content };
}

function firstNonSpace(body: Uint8Array): number {
  for (let i = 0; i < body.length && i < 64; i++) {
    const c = body[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
  }
  return -1;
}

function looksTextual(body: Uint8Array): boolean {
  const n = Math.min(body.length, 512);
  for (let i = 0; i < n; i++) {
    const c = body[i]!;
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b)) return false;
  }
  return true;
}
