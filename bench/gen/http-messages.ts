/**
 * HTTP/1.1 request and response bytes as clients and servers write them
 * (RFC 9112): start line, headers, and a body framed by Content-Length or by
 * chunked transfer coding (RFC 9112 section 7.1).
 */

/** Header lines in the order written. */
export type Headers = Array<[string, string]>;

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized',
  404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error',
};

/** A request; a body adds Content-Length. */
export function request(method: string, target: string, headers: Headers,
  body: Uint8Array | null = null): Uint8Array {
  const all = body === null ? headers : [...headers, ['Content-Length', String(body.length)]];
  return message(`${method} ${target} HTTP/1.1`, all as Headers, body);
}

/**
 * A response. With `chunkBytes` the body is sent in chunks of that size
 * (Transfer-Encoding: chunked); otherwise with Content-Length. 204 has no body
 * and no length (RFC 9110 section 8.6).
 */
export function response(status: number, headers: Headers, body: Uint8Array | null,
  chunkBytes = 0): Uint8Array {
  const line = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Unknown'}`;
  if (status === 204 || body === null) return message(line, headers, null);
  if (chunkBytes <= 0) {
    return message(line, [...headers, ['Content-Length', String(body.length)]], body);
  }
  return message(line, [...headers, ['Transfer-Encoding', 'chunked']], chunked(body, chunkBytes));
}

function message(startLine: string, headers: Headers, body: Uint8Array | null): Uint8Array {
  let head = startLine + '\r\n';
  for (const [k, v] of headers) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  const h = Buffer.from(head, 'latin1');
  if (body === null || body.length === 0) return h;
  const out = Buffer.allocUnsafe(h.length + body.length);
  h.copy(out, 0);
  out.set(body, h.length);
  return out;
}

/** The chunked coding of `body`: hex size, CRLF, data, CRLF, ..., then the last chunk. */
function chunked(body: Uint8Array, size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let off = 0; off < body.length; off += size) {
    const piece = body.subarray(off, Math.min(off + size, body.length));
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`, 'latin1'), piece, CRLF);
  }
  parts.push(LAST_CHUNK);
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n', 'latin1');
const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
