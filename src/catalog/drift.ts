/**
 * Drift: what the traffic of one documented (or zombie) endpoint shows that its
 * catalog operation does not say. Query parameters and headers the spec does not
 * list, body fields it does not name, types and formats it does not allow, status
 * codes it does not document, and missing credentials where it requires security.
 * The result is sorted, deterministic and bounded; it holds names, types and
 * counts, never a value.
 */
import { DEFAULT_LIMITS } from '../config/limits.js';
import type { EndpointSchema } from '../infer/schema.js';
import { mediaTypeOf } from '../infer/schema-body.js';
import type { FieldMap } from '../infer/schema-model.js';
import type { PiiKind } from '../pii/types.js';
import { compareFields, undocumentedBody, type FieldContext } from './drift-fields.js';
import { DRIFT_KINDS, type DriftEntry } from './drift-types.js';
import type { CatalogOperation, CatalogParam, CatalogSchema } from './types.js';

export type { DriftEntry, DriftKind } from './drift-types.js';

/** What drift compares for one endpoint. */
export interface DriftInput {
  operation: CatalogOperation;
  schema: EndpointSchema;
  /** Responses per status code as counted by the inventory; `none` is skipped. */
  statusCodes: Record<string, number>;
  /** Auth kinds seen (`none` when some requests carried no credentials). */
  auth: readonly string[];
  /** Personal data found at the endpoint, to mark the drift entries that carry it. */
  pii?: ReadonlyArray<{ kind: PiiKind; in: 'request' | 'response'; location: string }>;
}

function isJsonish(mt: string): boolean {
  return mt === 'application/json' || mt.endsWith('+json') || mt === 'text/json';
}

/**
 * The documented schema for an observed media type: the same type, else a range
 * such as `text/*` or the full wildcard (RFC 9110 section 12.5.1), else another
 * JSON type when both are JSON (`application/problem+json` against
 * `application/json`), else the only one listed when the message declared none.
 * Null when the spec has none for it.
 */
export function schemaForMedia(
  observed: string,
  content: Record<string, CatalogSchema>,
): CatalogSchema | null {
  const keys = Object.keys(content).sort();
  const plain = keys.map((k) => [mediaTypeOf(k), k] as const);
  const exact = plain.find(([m]) => m === observed);
  if (exact !== undefined) return content[exact[1]]!;
  const major = observed.slice(0, observed.indexOf('/') + 1);
  const range = plain.find(([m]) => major !== '' && m === major + '*') ??
    plain.find(([m]) => m === '*/*');
  if (range !== undefined) return content[range[1]]!;
  if (isJsonish(observed)) {
    const json = plain.find(([m]) => isJsonish(m));
    if (json !== undefined) return content[json[1]]!;
  }
  if (observed === '' && keys.length === 1) return content[keys[0]!]!;
  return null;
}

function bodyPrefix(mt: string): string {
  if (mt === 'application/x-www-form-urlencoded') return 'form:';
  if (mt === 'multipart/form-data') return 'multipart:';
  return 'body:';
}

function bodyContext(side: 'request' | 'response', mt: string, noun: string): FieldContext {
  const prefix = bodyPrefix(mt);
  return { in: side, prefix, text: prefix !== 'body:', noun: `${noun} (${mt || 'no media type'})` };
}

/** A parameter container (query, headers) as a schema: listed names, typed. */
function paramSchema(params: readonly CatalogParam[], extra: readonly string[], lower: boolean) {
  const properties: Record<string, CatalogSchema> = {};
  for (const p of params) {
    const s: CatalogSchema = {};
    // A list or an object is written in several ways (style, explode): not compared.
    if (p.type !== null && p.type !== 'array' && p.type !== 'object') s.type = [p.type];
    else if (p.type !== null) s.open = true;
    if (p.format !== null) s.format = p.format;
    properties[lower ? p.name.toLowerCase() : p.name] = s;
  }
  for (const name of extra) properties[lower ? name.toLowerCase() : name] ??= { open: true };
  // A parameter list is closed: a name it does not give is undocumented.
  return { type: ['object'], properties, additionalProperties: false } satisfies CatalogSchema;
}

/** `filter[name]=x` (deepObject style) is the parameter `filter`. */
function foldDeepObject(fm: FieldMap, documented: CatalogSchema): FieldMap {
  const fields: FieldMap['fields'] = {};
  for (const [path, st] of Object.entries(fm.fields)) {
    const m = /^\/([^/[\]]+)\[[^/]*\](.*)$/.exec(path);
    const base = m === null ? null : m[1]!;
    fields[base !== null && documented.properties?.[base] !== undefined ? '/' + base : path] ??= st;
  }
  return { fields };
}

/** Names of apiKey schemes an operation accepts in one place (`query`, `header`). */
function apiKeyNames(op: CatalogOperation, where: string): string[] {
  return Object.values(op.securitySchemes)
    .filter((s) => s.type === 'apiKey' && s.in === where && s.name !== undefined)
    .map((s) => s.name!);
}

function paramDrift(op: CatalogOperation, schema: EndpointSchema, out: DriftEntry[]): void {
  const query = paramSchema(op.params.filter((p) => p.in === 'query'), apiKeyNames(op, 'query'),
    false);
  out.push(...compareFields(foldDeepObject(schema.query, query), query,
    { in: 'request', prefix: 'query:', text: true, noun: 'requests' }));
  // RFC 9110 section 5.1: field names are case-insensitive; the parser lowercases them.
  const headers = paramSchema(op.params.filter((p) => p.in === 'header'),
    apiKeyNames(op, 'header'), true);
  out.push(...compareFields(schema.headers, headers,
    { in: 'request', prefix: 'header:', text: true, noun: 'requests' }));
}

function requestDrift(op: CatalogOperation, schema: EndpointSchema, out: DriftEntry[]): void {
  if (op.requestBody === undefined) return;
  for (const mt of Object.keys(schema.request).sort()) {
    const fm = schema.request[mt]!;
    const ctx = bodyContext('request', mt, 'request bodies');
    if (op.requestBody === null) {
      out.push(...undocumentedBody(fm, ctx));
      continue;
    }
    const documented = schemaForMedia(mt, op.requestBody.content);
    // LIMITATION: a body of a media type the spec has no schema for is not compared.
    if (documented !== null) out.push(...compareFields(fm, documented, ctx));
  }
}

/** The documented response key a status falls under, or null. */
export function documentedStatus(code: string, documented: readonly string[]): string | null {
  if (documented.includes(code)) return code;
  const range = code.charAt(0) + 'XX';
  if (documented.includes(range)) return range;
  return documented.includes('default') ? 'default' : null;
}

function responseDrift(op: CatalogOperation, input: DriftInput, out: DriftEntry[]): void {
  const responses = op.responses;
  if (responses === undefined || Object.keys(responses).length === 0) return;
  const keys = Object.keys(responses).sort();
  const codes = Object.entries(input.statusCodes)
    .filter(([c, n]) => c !== 'none' && n > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const perStatus: DriftEntry[] = [];
  for (const [code, n] of codes) {
    const key = documentedStatus(code, keys);
    if (key === null) {
      out.push({ kind: 'undocumented-status', in: 'response', location: `status:${code}`,
        detail: `answered ${n}×; documented: ${keys.join(', ')}` });
      continue;
    }
    const seen = input.schema.responses[code];
    if (seen === undefined) continue;
    const doc = responses[key]!;
    const headers = paramSchema([], doc.headers, true);
    perStatus.push(...compareFields(seen.headers, headers,
      { in: 'response', prefix: 'header:', text: true, noun: `responses ${code}` }));
    for (const mt of Object.keys(seen.content).sort()) {
      const documented = schemaForMedia(mt, doc.content);
      // LIMITATION: a body under a status or media type documented without a schema is
      // not compared field by field.
      if (documented === null) continue;
      const ctx = bodyContext('response', mt, `responses ${code}`);
      perStatus.push(...compareFields(seen.content[mt]!, documented, ctx));
    }
  }
  out.push(...joinStatuses(perStatus));
}

/** One entry per (kind, location) across statuses, their details joined in status order. */
function joinStatuses(entries: DriftEntry[]): DriftEntry[] {
  const byKey = new Map<string, DriftEntry>();
  for (const e of entries) {
    const k = `${e.kind}\0${e.location}`;
    const have = byKey.get(k);
    if (have === undefined) byKey.set(k, { ...e });
    else have.detail += '; ' + e.detail.replace(/^not in the spec; /, '');
  }
  return [...byKey.values()];
}

function describeSecurity(op: CatalogOperation): string {
  const alternatives = op.security.map((names) => names.map((n) => {
    const s = op.securitySchemes[n];
    const how = s === undefined ? '' : ` (${[s.type, s.scheme ?? s.in].filter(Boolean).join(' ')})`;
    return n + how;
  }).join(' + '));
  return alternatives.join(' or ');
}

// LIMITATION: the inventory keeps the set of auth kinds per endpoint, not per request,
// so it cannot say how many requests lacked credentials, nor whether they were the ones
// answered 401; and a credential of another kind than the spec requires (basic where it
// says bearer) is not reported.
function authDrift(op: CatalogOperation, auth: readonly string[], out: DriftEntry[]): void {
  // OpenAPI 3.1 section 4.8.30: an empty requirement `{}` makes security optional.
  const required = op.security.length > 0 && op.security.every((alt) => alt.length > 0);
  if (!required || !(auth.length === 0 || auth.includes('none'))) return;
  const all = auth.length === 0 || auth.every((a) => a === 'none');
  out.push({
    kind: 'missing-auth', in: 'request', location: 'security',
    detail: `spec requires ${describeSecurity(op)}; ` +
      (all ? 'no request carried credentials' : 'some requests carried no credentials'),
  });
}

/** Marks each field or parameter entry with the kinds of personal data at or under it. */
function markPii(entries: DriftEntry[], pii: DriftInput['pii']): void {
  if (pii === undefined || pii.length === 0) return;
  for (const e of entries) {
    if (e.kind === 'missing-auth' || e.kind === 'undocumented-status') continue;
    const under = (loc: string): boolean =>
      loc === e.location || loc.startsWith(e.location.endsWith('/') ? e.location
        : e.location + '/') || (e.location === 'body:' && loc.startsWith('body:'));
    const kinds = [...new Set(pii.filter((p) => p.in === e.in && under(p.location))
      .map((p) => p.kind))].sort();
    if (kinds.length > 0) e.pii = kinds;
  }
}

function compareEntries(a: DriftEntry, b: DriftEntry): number {
  const pa = a.pii === undefined ? 1 : 0;
  const pb = b.pii === undefined ? 1 : 0;
  if (pa !== pb) return pa - pb;
  const ka = DRIFT_KINDS.indexOf(a.kind);
  const kb = DRIFT_KINDS.indexOf(b.kind);
  if (ka !== kb) return ka - kb;
  if (a.in !== b.in) return a.in === 'request' ? -1 : 1;
  if (a.location !== b.location) return a.location < b.location ? -1 : 1;
  return a.detail < b.detail ? -1 : a.detail > b.detail ? 1 : 0;
}

/**
 * LIMITATION: what traffic cannot show is not compared: required fields never sent,
 * enum values (no value is kept), cookie parameters, path parameter types (matching
 * already required them to fit).
 */

/**
 * Drift of one endpoint against its operation: entries carrying personal data first,
 * then by kind, direction and location; at most `max` (limits.maxDriftPerEndpoint).
 */
export function endpointDrift(
  input: DriftInput,
  max: number = DEFAULT_LIMITS.maxDriftPerEndpoint,
): DriftEntry[] {
  const op = input.operation;
  const out: DriftEntry[] = [];
  authDrift(op, input.auth, out);
  paramDrift(op, input.schema, out);
  requestDrift(op, input.schema, out);
  responseDrift(op, input, out);
  markPii(out, input.pii);
  return out.sort(compareEntries).slice(0, max);
}
