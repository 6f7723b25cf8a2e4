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
  emptyFieldMap, mergeFieldMaps, mergeKeyed, type FieldMap,
} from './schema-model.js';
import {
  bodyKind, mediaTypeOf, parseForm, parseJson, parseMultipart, bodyText,
} from './schema-body.js';
import { observeJson, observeOpaque, observePairs, observeParts } from './schema-observe.js';
import { nameHints } from '../pii/names.js';

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
    request: {}, responses: {},
  };
}

/** The schema of one exchange alone (merge it into the endpoint's with mergeSchemas). */
export function observeExchange(ex: Exchange, caps: SchemaCaps): EndpointSchema {
  const s = emptyEndpointSchema();
  s.n = 1;
  s.query = observePairs(parseForm(ex.request.query), caps);
  s.headers = observePairs(ex.request.headers.filter(([h]) => isNotableHeader(h)), caps);
  const req = bodySchema(ex.request.contentType, ex.request.body, caps);
  if (req !== null) s.request = { [req[0]]: req[1] };
  if (ex.response !== null) {
    const r = ex.response;
    const content: Record<string, FieldMap> = {};
    const body = bodySchema(r.contentType, r.body, caps);
    if (body !== null) content[body[0]] = body[1];
    const headers = observePairs(r.headers.filter(([h]) => isNotableHeader(h)), caps);
    s.responses = { [String(r.status)]: { n: 1, headers, content } };
  }
  return s;
}

function bodySchema(
  contentType: string,
  body: Uint8Array,
  caps: SchemaCaps,
): [string, FieldMap] | null {
  const mt = mediaTypeOf(contentType);
  switch (bodyKind(mt, body)) {
    case 'empty':
      return null;
    case 'json': {
      const doc = parseJson(body);
      // LIMITATION: a JSON body cut by the body cap is described as opaque text.
      return [mt, doc === undefined ? observeOpaque(false) : observeJson(doc, caps)];
    }
    case 'form':
      return [mt, observePairs(parseForm(bodyText(body)), caps)];
    case 'multipart':
      return [mt, observeParts(parseMultipart(body, contentType), caps)];
    case 'text':
      return [mt, observeOpaque(false)];
    default:
      return [mt, observeOpaque(true)];
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
