/**
 * Large transfers: JSON exports and binary files of 100 KB to 2 MB, sent with
 * Content-Length or chunked, and uploads of a few hundred KB. Bodies are views
 * into two pools made once per run, so making a 2 MB response costs one copy.
 */
import { request, response, type Headers } from './http-messages.js';
import type { ApiHost } from './api.js';
import type { Rng } from './rng.js';
import type { WireExchange } from './tcp-conn.js';

/** The services of the large-bodies profile. */
export const LARGE_HOSTS: readonly ApiHost[] = [
  { name: 'exports.example', ip: 0x0a000014, port: 80 },
  { name: 'files.example', ip: 0x0a000015, port: 8080 },
];

const MIN_BODY = 100 * 1024;
const MAX_BODY = 2 * 1024 * 1024;

/** Bodies to slice from: a JSON array with its record boundaries, and binary bytes. */
export class BodyPools {
  private readonly json: Buffer;
  /** Offsets just after each record's closing brace. */
  private readonly ends: number[] = [];
  private readonly binary: Buffer;

  constructor(r: Rng) {
    const parts: string[] = ['['];
    let length = 1;
    for (let i = 0; length < MAX_BODY + 1024; i++) {
      const rec = JSON.stringify({ id: i + 1, sku: `KX-${r.int(10000, 99999)}`,
        quantity: r.int(0, 500), price: r.int(99, 99_999) / 100, note: r.hex(r.int(8, 40)) });
      const piece = i === 0 ? rec : ',' + rec;
      parts.push(piece);
      length += piece.length;
      this.ends.push(length);
    }
    this.json = Buffer.from(parts.join(''), 'latin1');
    this.binary = Buffer.allocUnsafe(MAX_BODY);
    for (let i = 0; i < MAX_BODY; i += 4) this.binary.writeUInt32LE(r.u32(), i);
  }

  /** A JSON array of about `bytes` bytes (whole records, closed). */
  jsonBody(bytes: number): Uint8Array {
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.ends[mid]! <= bytes - 1) lo = mid;
      else hi = mid - 1;
    }
    const end = this.ends[lo]!;
    const out = Buffer.allocUnsafe(end + 1);
    this.json.copy(out, 0, 0, end);
    out[end] = 0x5d; // ']'
    return out;
  }

  /** `bytes` opaque bytes, starting at a random place in the pool. */
  binaryBody(r: Rng, bytes: number): Uint8Array {
    const at = r.int(0, MAX_BODY - bytes);
    return this.binary.subarray(at, at + bytes);
  }
}

/** One large transfer to `host` (one of LARGE_HOSTS). */
export function largeExchange(r: Rng, host: ApiHost, pools: BodyPools): WireExchange {
  const headers: Headers = [['Host', host.name], ['User-Agent', 'Go-http-client/1.1'],
    ['Authorization', `Bearer ${r.hex(40)}`]];
  const resHeaders: Headers = [['Server', 'envoy'], ['Date', 'Mon, 15 Jan 2024 10:00:00 GMT']];
  const size = r.int(MIN_BODY, MAX_BODY);
  const chunk = r.chance(0.5) ? r.pick([8192, 16384, 32768]) : 0;
  if (host === LARGE_HOSTS[0]) {
    const body = pools.jsonBody(size);
    return {
      request: request('GET', `/v1/exports/${r.int(1, 90_000)}.json?format=full`,
        [...headers, ['Accept', 'application/json']]),
      response: response(200, [...resHeaders, ['Content-Type', 'application/json']], body, chunk),
    };
  }
  if (r.chance(0.2)) {
    const upload = pools.binaryBody(r, r.int(MIN_BODY, MAX_BODY / 4));
    return {
      request: request('POST', '/v1/uploads', [...headers,
        ['Content-Type', 'application/octet-stream']], upload),
      response: response(201, [...resHeaders, ['Content-Type', 'application/json']],
        Buffer.from(JSON.stringify({ id: r.hex(24), size: upload.length }))),
    };
  }
  return {
    request: request('GET', `/files/${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
      [...headers, ['Accept', '*/*']]),
    response: response(200, [...resHeaders, ['Content-Type', 'application/octet-stream']],
      pools.binaryBody(r, size), chunk),
  };
}
