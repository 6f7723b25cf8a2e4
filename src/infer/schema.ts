/**
 * The schema of one endpoint as the traffic shows it: query parameters, notable
 * request headers, request bodies per media type, and per response status the
 * notable headers and bodies per media type. Built one exchange at a time, merged
 * across workers and runs (associative, commutative, bounded), stored as JSON.
 * See schema-model.ts for the representation and schema-export.ts for JSON Schema.
 */
import type { Exchange } from '../http/types.js';
import type { Limits } from '../config/limits.js';
import {
  emptyFieldMap, FieldMapBuilder, KeyedBuilder, mergeFieldMaps, mergeKeyed, type FieldMap,
} from './schema-model.js';
import {
  bodyKind, mediaTypeOf, parseForm, parseJson, parseMultipart, bodyText, type BodyKind,
} from './schema-body.js';
import { observeJsonInto, observePairsInto, observePartsInto } from './schema-observe.js';
import { nameHints } from '../pii/names.js';
import { statusRecord } from './status-record.js';

/** Schema version of the stored JSON; bump when the shape changes. */
export const SCHEMA_MODEL_VERSION = 1;

/** What was seen for one response status. */
export interface ResponseSchema {
  /** Responses with this status. */
  n: number;
  headers: FieldMap;
  /** Body schema per media type ("" when the response had none declared). */
  content: Record<string, FieldMap>;
  /** More media types were seen than the cap kept. */
  truncated?: true;
}

/** The mergeable schema of one endpoint. */
export interface EndpointSchema {
  v: typeof SCHEMA_MODEL_VERSION;
  /** Exchanges observed. */
  n: number;
  query: FieldMap;
  headers: FieldMap;
  /** Request body schema per media type; requests without a body add nothing here. */
  request: Record<string, FieldMap>;
  /** Per status code ("200"); exchanges without a response add nothing here. */
  responses: Record<string, ResponseSchema>;
  /** More media types or statuses were seen than the caps kept. */
  truncated?: true;
}

type SchemaCaps = Pick<Limits, 'maxSchemaFields' | 'maxSchemaDepth' | 'maxSchemaArrayItems' |
  'maxSchemaMediaTypes' | 'maxSchemaStatuses'>;

// Headers every client or server sends; they say nothing about this API's contract.
// Credential headers are described by the auth inference, not here.
const COMMON_HEADERS = new Set([
  'host', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'accept-charset',
  'accept-ranges', 'connection', 'keep-alive', 'content-length', 'content-type',
  'content-encoding', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'cache-control', 'pragma',
  'date', 'expires', 'age', 'vary', 'server', 'via', 'etag', 'last-modified', 'if-none-match',
  'if-modified-since', 'if-match', 'if-unmodified-since', 'origin', 'referer', 'cookie',
  'set-cookie', 'authorization', 'proxy-authorization', 'www-authenticate', 'x-powered-by',
  'strict-transport-security', 'content-security-policy', 'x-content-type-options',
  'x-frame-options', 'x-xss-protection', 'dnt', 'priority',
]);
// LIMITATION: the access-control-* and sec-* families are dropped as common too.

/** True for a header worth describing in the schema. */
export function isNotableHeader(name: string): boolean {
  if (COMMON_HEADERS.has(name)) return false;
  if (name.startsWith('access-control-') || name.startsWith('sec-')) return false;
  // API-key and token headers are security schemes, not parameters.
  const hints = nameHints(name);
  return !hints.positive.has('api_key') && !hints.positive.has('jwt');
}

/** A schema that has seen nothing. */
export function emptyEndpointSchema(): EndpointSchema {
  return {
    v: SCHEMA_MODEL_VERSION, n: 0, query: emptyFieldMap(), headers: emptyFieldMap(),
    request: {}, responses: statusRecord(),
  };
}

/** The schema of one exchange alone (merge it into the endpoint's with mergeSchemas). */
export function observeExchange(ex: Exchange, caps: SchemaCaps): EndpointSchema {
  const b = new SchemaBuilder(caps);
  b.observe(ex);
  return b.done();
}

interface ResponseBuilder {
  n: number;
  headers: FieldMapBuilder;
  content: KeyedBuilder<FieldMapBuilder>;
}

/**
 * The schema of many exchanges of one endpoint, built in place. `done` gives what
 * merging each exchange's observeExchange would give, without a copy per exchange.
 */
export class SchemaBuilder {
  private n = 0;
  private readonly query: FieldMapBuilder;
  private readonly headers: FieldMapBuilder;
  private readonly request: KeyedBuilder<FieldMapBuilder>;
  private readonly responses: KeyedBuilder<ResponseBuilder>;

  constructor(private readonly caps: SchemaCaps) {
    const fields = (): FieldMapBuilder => new FieldMapBuilder(caps.maxSchemaFields);
    this.query = fields();
    this.headers = fields();
    this.request = new KeyedBuilder(caps.maxSchemaMediaTypes, fields);
    this.responses = new KeyedBuilder(caps.maxSchemaStatuses, () => ({
      n: 0, headers: fields(), content: new KeyedBuilder(caps.maxSchemaMediaTypes, fields),
    }));
  }

  get exchanges(): number {
    return this.n;
  }

  observe(ex: Exchange): void {
    const caps = this.caps;
    this.n++;
    observePairsInto(this.query, parseForm(ex.request.query), caps);
    observePairsInto(this.headers, ex.request.headers.filter(([h]) => isNotableHeader(h)), caps);
    const req = ex.request;
    const mt = mediaTypeOf(req.contentType);
    const kind = bodyKind(mt, req.body);
    if (kind !== 'empty') observeBody(this.request.get(mt), kind, req.contentType, req.body, caps);
    if (ex.response === null) return;
    const r = ex.response;
    const rb = this.responses.get(String(r.status));
    rb.n++;
    observePairsInto(rb.headers, r.headers.filter(([h]) => isNotableHeader(h)), caps);
    const rmt = mediaTypeOf(r.contentType);
    const rkind = bodyKind(rmt, r.body);
    if (rkind !== 'empty') observeBody(rb.content.get(rmt), rkind, r.contentType, r.body, caps);
  }

  done(): EndpointSchema {
    const fields = (b: FieldMapBuilder): FieldMap => b.done();
    const request = this.request.done(fields);
    const responses = this.responses.done((r): ResponseSchema => {
      const content = r.content.done(fields);
      const out: ResponseSchema = { n: r.n, headers: r.headers.done(), content: content.out };
      if (content.truncated) out.truncated = true;
      return out;
    });
    const out: EndpointSchema = {
      v: SCHEMA_MODEL_VERSION, n: this.n, query: this.query.done(), headers: this.headers.done(),
      request: request.out, responses: responses.out,
    };
    if (request.truncated || responses.truncated) out.truncated = true;
    return out;
  }
}

function observeBody(
  into: FieldMapBuilder,
  kind: BodyKind,
  contentType: string,
  body: Uint8Array,
  caps: SchemaCaps,
): void {
  switch (kind) {
    case 'empty':
      return;
    case 'json': {
      const doc = parseJson(body);
      // LIMITATION: a JSON body cut by the body cap is described as opaque text.
      if (doc === undefined) into.add('', 'string', null);
      else observeJsonInto(into, doc, caps);
      return;
    }
    case 'form':
      observePairsInto(into, parseForm(bodyText(body)), caps);
      return;
    case 'multipart':
      observePartsInto(into, parseMultipart(body, contentType));
      return;
    case 'text':
      into.add('', 'string', null);
      return;
    default:
      into.add('', 'string', 'binary');
  }
}

/** Merges two schemas of one endpoint. Associative and commutative; caps applied. */
export function mergeSchemas(
  a: EndpointSchema,
  b: EndpointSchema,
  caps: SchemaCaps,
): EndpointSchema {
  const maps = (x: FieldMap, y: FieldMap): FieldMap => mergeFieldMaps(x, y, caps.maxSchemaFields);
  const request = mergeKeyed(a.request, b.request, caps.maxSchemaMediaTypes, maps);
  const responses = mergeKeyed(a.responses, b.responses, caps.maxSchemaStatuses, (x, y) => {
    const content = mergeKeyed(x.content, y.content, caps.maxSchemaMediaTypes, maps);
    const r: ResponseSchema = { n: x.n + y.n, headers: maps(x.headers, y.headers),
      content: content.out };
    if (x.truncated === true || y.truncated === true || content.truncated) r.truncated = true;
    return r;
  });
  const out: EndpointSchema = {
    v: SCHEMA_MODEL_VERSION,
    n: a.n + b.n,
    query: maps(a.query, b.query),
    headers: maps(a.headers, b.headers),
    request: request.out,
    responses: responses.out,
  };
  if (a.truncated === true || b.truncated === true || request.truncated || responses.truncated) {
    out.truncated = true;
  }
  return out;
}
