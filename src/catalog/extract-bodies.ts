/**
 * Request body and responses of one dereferenced operation, as CatalogOperation
 * keeps them: body schemas per media type (compacted by extract-schema.ts), the
 * documented status keys and response header names. OpenAPI 3 reads `requestBody`
 * and `responses[*].content`; Swagger 2 reads the `body` and `formData` parameters
 * with `consumes`, and `responses[*].schema` with `produces` (Swagger 2.0, sections
 * "Parameter Object" and "Response Object").
 */
import { SchemaCompactor, type CompactLimits } from './extract-schema.js';
import type { CatalogOperation, CatalogResponse, CatalogSchema } from './types.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

function strings(v: unknown): string[] | null {
  if (!Array.isArray(v)) return null;
  return v.filter((x): x is string => typeof x === 'string');
}

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
// Swagger 2.0: without `consumes`/`produces` anywhere, JSON is what tools assume.
const DEFAULT_MEDIA = ['application/json'];

/** A response key as drift compares it: `200`, `4XX` (upper case) or `default`. */
export function statusKey(k: string): string {
  return k.toLowerCase() === 'default' ? 'default' : k.toUpperCase();
}

function lowerMedia(mt: string): string {
  return mt.trim().toLowerCase();
}

function contentOf(c: SchemaCompactor, content: unknown): Record<string, CatalogSchema> {
  const out: Record<string, CatalogSchema> = {};
  for (const [mt, raw] of Object.entries(obj(content) ?? {})) {
    const schema = obj(raw)?.schema;
    out[lowerMedia(mt)] = schema === undefined ? {} : c.compact(schema);
  }
  return out;
}

function headerNames(headers: unknown): string[] {
  return Object.keys(obj(headers) ?? {}).map((h) => h.toLowerCase()).sort();
}

/** Response entries of an operation; specification extensions (`x-...`) are not responses. */
function responseEntries(op: Obj): Array<[string, unknown]> {
  return Object.entries(obj(op.responses) ?? {}).filter(([k]) => !k.toLowerCase().startsWith('x-'));
}

/** Body parts of one operation. */
export type OperationBodies = Pick<CatalogOperation, 'requestBody' | 'responses'>;

/** OpenAPI 3.x: `requestBody` and `responses`. */
export function openApi3Bodies(doc: Obj, op: Obj, limits: CompactLimits): OperationBodies {
  const c = new SchemaCompactor(limits, doc);
  const rb = obj(op.requestBody);
  const requestBody = rb === null ? null
    : { required: rb.required === true, content: contentOf(c, rb.content) };
  const responses: Record<string, CatalogResponse> = {};
  for (const [code, raw] of responseEntries(op)) {
    const r = obj(raw) ?? {};
    const content = contentOf(c, r.content);
    responses[statusKey(code)] = { content, headers: headerNames(r.headers) };
  }
  return { requestBody, responses };
}

/** Swagger 2.0: `body`/`formData` parameters and `responses[*].schema`. */
export function swagger2Bodies(
  doc: Obj,
  op: Obj,
  params: Obj[],
  limits: CompactLimits,
): OperationBodies {
  const c = new SchemaCompactor(limits, doc);
  const consumes = (strings(op.consumes) ?? strings(doc.consumes) ?? DEFAULT_MEDIA)
    .map(lowerMedia);
  const produces = (strings(op.produces) ?? strings(doc.produces) ?? DEFAULT_MEDIA)
    .map(lowerMedia);
  let requestBody: OperationBodies['requestBody'] = null;
  const body = params.find((p) => p.in === 'body');
  const form = params.filter((p) => p.in === 'formData');
  if (body !== undefined) {
    const schema = c.compact(body.schema);
    const content: Record<string, CatalogSchema> = {};
    for (const mt of consumes.filter((m) => m !== FORM && m !== MULTIPART)) content[mt] = schema;
    if (Object.keys(content).length === 0) content[DEFAULT_MEDIA[0]!] = schema;
    requestBody = { required: body.required === true, content };
  } else if (form.length > 0) {
    const schema = c.formParams(form);
    const declared = consumes.filter((m) => m === FORM || m === MULTIPART);
    // A file parameter needs multipart; otherwise URL-encoded is the Swagger 2 default.
    const media = declared.length > 0 ? declared
      : form.some((p) => p.type === 'file') ? [MULTIPART] : [FORM];
    const content: Record<string, CatalogSchema> = {};
    for (const mt of media) content[mt] = schema;
    requestBody = { required: form.some((p) => p.required === true), content };
  }
  const responses: Record<string, CatalogResponse> = {};
  for (const [code, raw] of responseEntries(op)) {
    const r = obj(raw) ?? {};
    const content: Record<string, CatalogSchema> = {};
    if (r.schema !== undefined) {
      const schema = c.compact(r.schema);
      for (const mt of produces) content[mt] = schema;
    }
    responses[statusKey(code)] = { content, headers: headerNames(r.headers) };
  }
  return { requestBody, responses };
}
