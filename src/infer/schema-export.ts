/**
 * From the counted model to JSON Schema 2020-12, the dialect of OpenAPI 3.1 schema
 * objects (OAS 3.1.0 section 4.8.24). A field present in every parent object seen
 * is required; one format is declared only when every value had it; objects with
 * id-like keys, or with many names each seen rarely, become maps
 * (additionalProperties) instead of growing a property per id.
 */
import {
  depthOf, ITEMS, MAP_VALUES, mergeStats, type FieldMap, type FieldStats, type JsonType,
} from './schema-model.js';
import type { EndpointSchema } from './schema.js';

/** A JSON Schema object (plain JSON). */
export type JsonSchema = Record<string, unknown>;

// LIMITATION: a map keyed by plain names (user names) is recognised only once several
// objects have been seen; a single wide object stays an object.
// An object is read as a map keyed by names when it has at least this many distinct
// keys and, on average, each key is present in at most this share of the objects.
const MAP_MIN_KEYS = 16;
const MAP_MAX_PRESENCE = 0.25;

const TYPE_ORDER: JsonType[] = ['object', 'array', 'string', 'integer', 'number', 'boolean',
  'null'];

/** JSON Schema of one field map, from its root. */
export function toJsonSchema(fm: FieldMap): JsonSchema {
  const schema = nodeSchema(childIndex(fm.fields), fm.fields, '');
  if (fm.truncated === true) schema['x-shadowtap-truncated'] = true;
  return schema;
}

type Index = Map<string, string[]>;

/** Direct children of every path. */
function childIndex(fields: Record<string, FieldStats>): Index {
  const idx: Index = new Map();
  for (const p of Object.keys(fields)) {
    if (p === '') continue;
    const parent = p.slice(0, p.lastIndexOf('/'));
    const list = idx.get(parent);
    if (list === undefined) idx.set(parent, [p]);
    else list.push(p);
  }
  for (const l of idx.values()) l.sort();
  return idx;
}

function nodeSchema(idx: Index, fields: Record<string, FieldStats>, path: string): JsonSchema {
  const st = fields[path];
  if (st === undefined) return {};
  const types = TYPE_ORDER.filter((t) => (st.t[t] ?? 0) > 0);
  // An integer field that was sometimes fractional is a number.
  const merged = types.includes('number') ? types.filter((t) => t !== 'integer') : types;
  const out: JsonSchema = {};
  out.type = merged.length === 1 ? merged[0] : merged;
  const fmt = declaredFormat(st, merged);
  if (fmt === 'binary') out.contentMediaType = 'application/octet-stream';
  else if (fmt !== null) out.format = fmt;
  const children = idx.get(path) ?? [];
  if (merged.includes('object')) objectSchema(out, idx, fields, path, st, children);
  if (merged.includes('array')) {
    const items = path + '/' + ITEMS;
    if (fields[items] !== undefined) out.items = nodeSchema(idx, fields, items);
  }
  return out;
}

function objectSchema(
  out: JsonSchema,
  idx: Index,
  fields: Record<string, FieldStats>,
  path: string,
  st: FieldStats,
  children: string[],
): void {
  const objects = st.t.object ?? 0;
  const named = children.filter((c) => !c.endsWith('/' + ITEMS) && !c.endsWith('/' + MAP_VALUES));
  const mapPath = path + '/' + MAP_VALUES;
  if (fields[mapPath] !== undefined) {
    out.additionalProperties = nodeSchema(idx, fields, mapPath);
  } else if (looksLikeMap(fields, named, objects)) {
    const v = remapAsMap(fields, named, mapPath);
    out.additionalProperties = nodeSchema(childIndex(v), v, mapPath);
    return;
  }
  if (named.length === 0) return;
  const props: JsonSchema = {};
  const required: string[] = [];
  for (const c of named) {
    const name = unescape(c.slice(c.lastIndexOf('/') + 1));
    props[name] = nodeSchema(idx, fields, c);
    if (fields[c]!.n >= objects && objects > 0) required.push(name);
  }
  out.properties = props;
  if (required.length > 0) out.required = required;
}

function looksLikeMap(fields: Record<string, FieldStats>, named: string[], objects: number) {
  if (named.length < MAP_MIN_KEYS || objects < 2) return false;
  let presence = 0;
  for (const c of named) presence += fields[c]!.n / objects;
  return presence / named.length <= MAP_MAX_PRESENCE;
}

// Folds the subtrees of every named child into one subtree under the map path.
function remapAsMap(fields: Record<string, FieldStats>, named: string[], mapPath: string) {
  const out: Record<string, FieldStats> = {};
  for (const [p, s] of Object.entries(fields)) {
    const owner = named.find((c) => p === c || p.startsWith(c + '/'));
    const key = owner === undefined ? p : mapPath + p.slice(owner.length);
    out[key] = mergeStats(out[key], s);
  }
  return out;
}

function declaredFormat(st: FieldStats, types: JsonType[]): string | null {
  if (st.f === undefined) return null;
  const strings = st.t.string ?? 0;
  const ints = st.t.integer ?? 0;
  for (const [f, n] of Object.entries(st.f)) {
    if ((f === 'int32' || f === 'int64') && types.includes('integer')) continue;
    if (n === strings && strings > 0) return f;
  }
  if (types.includes('integer') && ints > 0) return (st.f.int64 ?? 0) > 0 ? 'int64' : 'int32';
  return null;
}

function unescape(seg: string): string {
  return seg.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** An OpenAPI 3.1 operation object built from what one endpoint's traffic showed. */
export function toOpenApiOperation(
  s: EndpointSchema,
  opts: { pathParams?: string[] } = {},
): JsonSchema {
  const parameters: JsonSchema[] = [];
  for (const name of opts.pathParams ?? []) {
    parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  parameters.push(...params(s.query, 'query', s.n), ...params(s.headers, 'header', s.n));
  const op: JsonSchema = {};
  if (parameters.length > 0) op.parameters = parameters;
  const reqTypes = Object.keys(s.request);
  if (reqTypes.length > 0) {
    let withBody = 0;
    const content: JsonSchema = {};
    for (const mt of reqTypes) {
      content[mt || 'application/octet-stream'] = { schema: toJsonSchema(s.request[mt]!) };
      withBody += s.request[mt]!.fields['']?.n ?? 0;
    }
    op.requestBody = { required: withBody >= s.n, content };
  }
  const responses: JsonSchema = {};
  for (const [status, r] of Object.entries(s.responses)) {
    const resp: JsonSchema = { description: `Observed ${r.n} time(s)` };
    const headers: JsonSchema = {};
    for (const p of params(r.headers, 'header', r.n)) {
      headers[p.name as string] = { required: p.required, schema: p.schema };
    }
    if (Object.keys(headers).length > 0) resp.headers = headers;
    const content: JsonSchema = {};
    for (const [mt, fm] of Object.entries(r.content)) {
      content[mt || 'application/octet-stream'] = { schema: toJsonSchema(fm) };
    }
    if (Object.keys(content).length > 0) resp.content = content;
    responses[status] = resp;
  }
  const none = { default: { description: 'No response observed' } };
  op.responses = Object.keys(responses).length > 0 ? responses : none;
  return op;
}

function params(fm: FieldMap, where: 'query' | 'header', total: number): JsonSchema[] {
  const out: JsonSchema[] = [];
  const idx = childIndex(fm.fields);
  for (const p of idx.get('') ?? []) {
    if (depthOf(p) !== 1 || p.endsWith('/' + MAP_VALUES)) continue;
    const name = unescape(p.slice(1));
    const schema = nodeSchema(idx, fm.fields, p);
    out.push({ name, in: where, required: fm.fields[p]!.n >= total && total > 0, schema });
  }
  return out;
}
