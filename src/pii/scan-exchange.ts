/**
 * scanExchange: every place of one exchange where personal data travels, written
 * the way reports name them: `path:{id}`, `query:email`, `header:x-user-phone`,
 * `body:/user/email` (JSON pointer, array items as `/*`), `form:card`,
 * `multipart:iban`. Keys that are themselves data (ids, e-mails used as map keys)
 * are written `*` too, so a location never carries a value.
 */
import type { Exchange } from '../http/types.js';
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import type { Finding, PiiHit, PiiKind } from './types.js';
import { scanValue } from './scan-value.js';
import { nameHints } from './names.js';
import { coordinateStrength } from './geo.js';
import {
  bodyKind, bodyText, mediaTypeOf, parseForm, parseJson, parseMultipart, percentDecode,
} from '../infer/schema-body.js';
import { isMapKey, pointerSegment } from './location.js';

/** Options of scanExchange. */
export interface ScanExchangeOptions {
  /** Path template of the endpoint as on the wire (`/v1/users/{id}`), when known. */
  template?: string | null;
  limits?: Limits;
  /** Sampling of settled locations (see src/pipeline/settled.ts); all scanned without. */
  sample?: ScanSample;
}

/** How a value is read without scanning it: as no personal data, or as one kind of it. */
export type Settled = 'none' | { kind: PiiKind; confidence: number };

/** One scanned value and its best finding (kind null when none). */
export interface ScannedValue {
  value: string | number;
  kind: PiiKind | null;
  confidence: number;
  /** The finding covers the whole value ("+1 415 555 0198"), not a part of some text. */
  whole: boolean;
}

/** Values read without scanning, and a note of each value scanned. */
export interface ScanSample {
  /** How to read the value at `side|location` without scanning it; null to scan it. */
  settled(at: string): Settled | null;
  scanned(at: string, v: ScannedValue): void;
}

// Headers that carry protocol metadata, never personal data, or credentials that
// the auth inference reports by scheme (their values are redacted upstream).
const SKIP_HEADERS = new Set([
  'host', 'content-type', 'content-length', 'content-encoding', 'transfer-encoding',
  'connection', 'keep-alive', 'accept', 'accept-encoding', 'accept-language', 'accept-ranges',
  'cache-control', 'pragma', 'date', 'expires', 'last-modified', 'etag', 'if-none-match',
  'if-modified-since', 'if-match', 'vary', 'server', 'user-agent', 'te', 'trailer', 'upgrade',
  'age', 'content-range', 'range', 'content-security-policy', 'strict-transport-security',
  'x-content-type-options', 'x-frame-options', 'x-xss-protection', 'origin',
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'www-authenticate',
  'x-powered-by', 'x-request-id', 'x-correlation-id', 'traceparent', 'tracestate',
]);
// LIMITATION: Cookie and Set-Cookie values are not scanned; session cookies are the
// auth inference's business and personal data in cookies is missed.

type Side = 'request' | 'response';

class Collector {
  readonly out: Finding[] = [];
  constructor(
    private readonly max: number,
    private readonly sample: ScanSample | undefined,
  ) {}

  full(): boolean {
    return this.out.length >= this.max;
  }

  /** Scans one value and keeps its findings. */
  value(side: Side, v: string | number, fieldName: string | null, location: string): void {
    if (this.full()) return;
    const sample = this.sample;
    const at = sample === undefined ? '' : side + '|' + location;
    const known = sample?.settled(at) ?? null;
    if (known !== null) {
      if (known !== 'none' && String(v).trim() !== '') this.add(side, known, v, location);
      return;
    }
    const hits = scanValue(v, { fieldName, location });
    for (const h of hits) this.add(side, h, v, location);
    if (sample === undefined) return;
    const best = hits[0];
    sample.scanned(at, {
      value: v, kind: best?.kind ?? null, confidence: best?.confidence ?? 0,
      whole: best !== undefined && best.start === undefined,
    });
  }

  add(side: Side, h: PiiHit, v: string | number, location: string): void {
    if (this.full()) return;
    const text = typeof v === 'number' ? String(v) : v;
    const value = h.start !== undefined ? text.slice(h.start, h.end) : text.trim();
    this.out.push({ kind: h.kind, in: side, location, confidence: h.confidence, value });
  }
}

/** Personal data found in one exchange, request then response. */
export function scanExchange(ex: Exchange, opts: ScanExchangeOptions = {}): Finding[] {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const c = new Collector(limits.maxPiiFindingsPerExchange, opts.sample);
  const req = ex.request;
  scanPath(c, req.path, opts.template ?? null);
  for (const [name, value] of parseForm(req.query)) pair(c, 'request', 'query:', name, value);
  scanHeaders(c, 'request', req.headers);
  scanBody(c, 'request', req.contentType, req.body);
  if (ex.response !== null) {
    scanHeaders(c, 'response', ex.response.headers);
    scanBody(c, 'response', ex.response.contentType, ex.response.body);
  }
  return c.out;
}

function scanPath(c: Collector, path: string, template: string | null): void {
  const segs = path.split('/').slice(1);
  if (template === null) {
    // Without a template every segment is a candidate, named by its position.
    segs.forEach((s, i) => c.value('request', percentDecode(s), null, `path:#${i + 1}`));
    return;
  }
  const tsegs = template.split('/').slice(1);
  // A template without the base path lines up with the end of the concrete path.
  const offset = segs.length - tsegs.length;
  if (offset < 0) return;
  tsegs.forEach((t, i) => {
    if (!t.startsWith('{') || !t.endsWith('}')) return;
    const name = t.slice(1, -1);
    c.value('request', percentDecode(segs[i + offset]!), name, `path:{${name}}`);
  });
}

function scanHeaders(c: Collector, side: Side, headers: Array<[string, string]>): void {
  for (const [name, value] of headers) {
    if (SKIP_HEADERS.has(name) || value.length === 0) continue;
    const h = nameHints(name);
    if (h.positive.has('api_key') || h.positive.has('jwt')) continue; // a credential header
    c.value(side, value, name, 'header:' + name);
  }
}

function scanBody(c: Collector, side: Side, contentType: string, body: Uint8Array): void {
  const mt = mediaTypeOf(contentType);
  switch (bodyKind(mt, body)) {
    case 'json': {
      const doc = parseJson(body);
      if (doc !== undefined) walkJson(c, side, doc, 'body:');
      return;
    }
    case 'form':
      for (const [name, value] of parseForm(bodyText(body))) pair(c, side, 'form:', name, value);
      return;
    case 'multipart':
      for (const p of parseMultipart(body, contentType)) {
        if (p.value === null) continue; // LIMITATION: uploaded files are not scanned
        if (bodyKind(mediaTypeOf(p.contentType), p.content) === 'json') {
          const doc = parseJson(p.content);
          if (doc !== undefined) walkJson(c, side, doc, `multipart:${nameSegment(p.name)}`);
        } else {
          pair(c, side, 'multipart:', p.name, p.value);
        }
      }
      return;
    case 'text':
      // LIMITATION: XML and other text bodies are read as free text, located as "body:".
      c.value(side, bodyText(body), null, 'body:');
      return;
    default:
      return;
  }
}

interface Frame {
  v: unknown;
  ptr: string;
  name: string | null;
  /** Set when the member's key is itself data; scanned when the member is reached. */
  dataKey?: string;
}

// LIMITATION: a JSON document inside a JSON string ("payload": "{\"email\": ...}") is
// scanned as free text, so its values are found but located at the string.

/** Walks a JSON document without recursion (depth is whatever the sender made it). */
function walkJson(c: Collector, side: Side, doc: unknown, prefix: string): void {
  const stack: Frame[] = [{ v: doc, ptr: '', name: null }];
  while (stack.length > 0 && !c.full()) {
    const { v, ptr, name, dataKey } = stack.pop()!;
    if (dataKey !== undefined) keyFindings(c, side, dataKey, prefix + ptr);
    const loc = prefix + (ptr === '' && prefix === 'body:' ? '/' : ptr);
    if (typeof v === 'string' || typeof v === 'number') {
      c.value(side, v, name, loc === 'body:/' ? 'body:' : loc);
    } else if (Array.isArray(v)) {
      if (geoArray(c, side, v, name, loc)) continue;
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], ptr: ptr + '/*', name });
    } else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      const done = geoSiblings(c, side, obj, prefix + ptr);
      const keys = Object.keys(obj);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        if (done.has(k)) continue;
        if (!isMapKey(k)) {
          stack.push({ v: obj[k], ptr: ptr + '/' + pointerSegment(k), name: k });
        } else {
          stack.push({ v: obj[k], ptr: ptr + '/*', name: k, dataKey: k });
        }
      }
    }
  }
}

// A parameter name that is an id or personal data itself is written `*`, and the
// name is scanned like a value.
function nameSegment(name: string): string {
  return isMapKey(name) ? '*' : name;
}

function pair(c: Collector, side: Side, prefix: string, name: string, value: string): void {
  const seg = nameSegment(name);
  if (seg === '*') keyFindings(c, side, name, prefix + seg);
  c.value(side, value, name, prefix + seg);
}

// A key that is personal data itself ({"a@example.com": {...}}) is reported at the
// map's location.
function keyFindings(c: Collector, side: Side, key: string, loc: string): void {
  for (const h of scanValue(key, { fieldName: null, location: loc })) c.add(side, h, key, loc);
}

const LAT = ['lat', 'latitude'];
const LON = ['lon', 'lng', 'long', 'longitude'];

// {"lat": 48.85, "lng": 2.35}: a pair is surer than either coordinate alone.
function geoSiblings(c: Collector, side: Side, obj: Record<string, unknown>, at: string) {
  const done = new Set<string>();
  const keys = Object.keys(obj);
  const lat = keys.find((k) => LAT.includes(k.toLowerCase()));
  const lon = keys.find((k) => LON.includes(k.toLowerCase()));
  if (lat === undefined || lon === undefined) return done;
  const a = String(obj[lat]);
  const b = String(obj[lon]);
  if (coordinateStrength(a, 'lat') === 0 || coordinateStrength(b, 'lon') === 0) return done;
  for (const [k, v] of [[lat, a], [lon, b]] as const) {
    c.add(side, { kind: 'geo' as PiiKind, confidence: 0.95 }, v, `${at}/${pointerSegment(k)}`);
    done.add(k);
  }
  return done;
}

// [2.35, 48.85] under "coordinates"/"latlng": one geo finding for the pair.
function geoArray(c: Collector, side: Side, v: unknown[], name: string | null, loc: string) {
  if (v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number') return false;
  if (!nameHints(name).positive.has('geo')) return false;
  // GeoJSON (RFC 7946 section 3.1.1) orders longitude first; "latlng" names the other way.
  const lonFirst = !(name ?? '').toLowerCase().startsWith('lat');
  const [lon, lat] = lonFirst ? [v[0], v[1]] : [v[1], v[0]];
  const pair = `${lat},${lon}`;
  const hits = scanValue(pair, { fieldName: name, location: loc });
  for (const h of hits) c.add(side, h, pair, loc);
  return hits.length > 0;
}
