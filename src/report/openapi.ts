/**
 * `shadowtap export openapi`: an OpenAPI 3.1 document of what the traffic shows.
 * One server per host seen, one path per template (path parameters typed by the
 * shape of their values), query and header parameters, request bodies and
 * responses per status with JSON Schemas (src/infer/schema-export.ts), security
 * schemes from the credentials seen, `x-shadowtap-pii` where personal data flows and
 * `x-shadowtap-status` with each endpoint's verdict against the catalog.
 *
 * Built from the database only, so it holds types, names and counts: never a value,
 * an example, an enum or a preview. Scanner noise (endpoints only ever answered 404)
 * is left out: it is not part of any API.
 */
import { classify, type VerdictStatus } from '../catalog/verdict.js';
import type { Catalog } from '../catalog/types.js';
import { DEFAULT_LIMITS } from '../config/limits.js';
import { mergeSchemas, type EndpointSchema } from '../infer/schema.js';
import { toOpenApiOperation } from '../infer/schema-export.js';
import { mergeKinds, type ValueKind } from '../infer/value-kind.js';
import type { EndpointRecord } from '../store/db.js';
import { STATUS_ORDER } from './model.js';
import { annotatePii, type ExportPii } from './openapi-pii.js';
import { SecuritySchemes } from './openapi-security.js';

type Obj = Record<string, unknown>;

/** The keyword carrying an operation's verdict. */
export const STATUS_KEYWORD = 'x-shadowtap-status';

// OpenAPI 3.1 section 4.8.8: the methods a Path Item can hold.
// LIMITATION: endpoints with other methods (PROPFIND, custom verbs) are left out.
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// OpenAPI 3.1 section 4.8.16: a response key is a status code or a range of them;
// a status outside 100-599 seen on the wire is left out of the responses.
const STATUS_KEY = /^[1-5]\d\d$/;

/** JSON Schema for a path parameter whose values had one shape (value-kind.ts). */
function kindSchema(kind: ValueKind): Obj {
  switch (kind) {
    case 'integer':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'email':
      return { type: 'string', format: 'email' };
    default:
      return { type: 'string' };
  }
}

const PARAM = /^\{([^{}]+)\}$/;

function segments(template: string): string[] {
  return template.split('/');
}

/** The shape of a template with parameter names left out: equal shapes are one path. */
function shapeOf(template: string): string {
  return segments(template).map((s) => (PARAM.test(s) ? '{}' : s)).join('/');
}

/** One operation being built: the endpoints (one per host) that share path and method. */
interface Group {
  path: string;
  method: string;
  members: Array<{ e: EndpointRecord; status: VerdictStatus; operationId: string | null }>;
}

/** Path parameter names of the shared path, by segment index. */
function namesOf(template: string): Map<number, string> {
  const out = new Map<number, string>();
  const used = new Set<string>();
  segments(template).forEach((s, i) => {
    const m = PARAM.exec(s);
    if (m === null) return;
    let name = m[1]!;
    // OpenAPI 3.1 section 4.8.12: a parameter is unique by name and location.
    for (let n = 2; used.has(name); n++) name = `${m[1]!}${n}`;
    used.add(name);
    out.set(i, name);
  });
  return out;
}

function pathWith(template: string, names: ReadonlyMap<number, string>): string {
  return segments(template).map((s, i) => (names.has(i) ? `{${names.get(i)!}}` : s)).join('/');
}

/** Locations of one endpoint with its path parameters renamed to the shared path's. */
function relocated(e: EndpointRecord, names: ReadonlyMap<number, string>): ExportPii[] {
  const own = new Map<string, string>();
  segments(e.template).forEach((s, i) => {
    const m = PARAM.exec(s);
    if (m !== null && names.has(i)) own.set(m[1]!, names.get(i)!);
  });
  return e.pii.map((p) => {
    const m = /^path:\{(.+)\}$/.exec(p.location);
    const to = m === null ? undefined : own.get(m[1]!);
    return { kind: p.kind, in: p.in, location: to === undefined ? p.location : `path:{${to}}` };
  });
}

function uniquePii(list: ExportPii[]): ExportPii[] {
  const seen = new Map<string, ExportPii>();
  for (const p of list) seen.set(`${p.in}|${p.location}|${p.kind}`, p);
  return [...seen.values()];
}

function serverUrl(host: string): string {
  // RFC 3986 section 3.2.2: an IPv6 literal is bracketed in a URI.
  return host.includes(':') ? `http://[${host}]` : `http://${host}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Options of buildOpenApi. */
export interface OpenApiOptions {
  title?: string;
  version?: string;
}

/**
 * The OpenAPI 3.1 document of the stored endpoints, their verdicts made against
 * `catalog` (null: every host is unknown). Deterministic: the same database gives
 * the same document.
 */
export function buildOpenApi(
  endpoints: readonly EndpointRecord[],
  catalog: Catalog | null,
  options: OpenApiOptions = {},
): Obj {
  const { verdicts } = classify(endpoints.map((e) => ({
    host: e.host, method: e.method, template: e.template, params: e.params,
    statusCodes: e.statusCodes,
  })), catalog);
  // Endpoints with one path shape share one path key, named after the first.
  const shapes = new Map<string, string>();
  const groups = new Map<string, Group>();
  const order = endpoints.map((e, i) => ({ e, v: verdicts[i]! }))
    .filter(({ e, v }) => v.status !== 'not-found' && METHODS.includes(e.method.toLowerCase()))
    .sort((a, b) => cmp(a.e.template, b.e.template) || cmp(a.e.host, b.e.host) ||
      cmp(a.e.method, b.e.method));
  for (const { e, v } of order) {
    const shape = shapeOf(e.template);
    if (!shapes.has(shape)) shapes.set(shape, e.template);
    const path = shapes.get(shape)!;
    const key = `${path}\0${e.method}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { path, method: e.method, members: [] }));
    g.members.push({ e, status: v.status, operationId: v.operation?.operationId ?? null });
  }
  const security = new SecuritySchemes();
  const allHosts = [...new Set(order.map(({ e }) => e.host))].sort();
  const paths: Record<string, Obj> = {};
  const pathHosts = new Map<string, Set<string>>();
  const opIds = new Map<string, number>();
  // An operationId names one operation of the document (OpenAPI 3.1 section 4.8.10).
  for (const g of groups.values()) {
    for (const id of new Set(g.members.map((m) => m.operationId))) {
      if (id !== null) opIds.set(id, (opIds.get(id) ?? 0) + 1);
    }
  }
  for (const g of [...groups.values()].sort((a, b) => cmp(a.path, b.path) ||
    METHODS.indexOf(a.method.toLowerCase()) - METHODS.indexOf(b.method.toLowerCase()))) {
    const names = namesOf(g.path);
    const wire = pathWith(g.path, names);
    const op = operationOf(g, names, security, opIds);
    const hosts = [...new Set(g.members.map((m) => m.e.host))].sort();
    const item = (paths[wire] ??= {});
    item[g.method.toLowerCase()] = op;
    let ph = pathHosts.get(wire);
    if (ph === undefined) pathHosts.set(wire, (ph = new Set()));
    hosts.forEach((h) => ph!.add(h));
    op['x-shadowtap-hosts'] = hosts;
  }
  // Servers: the document lists every host; a path or an operation seen on fewer
  // hosts lists its own (OpenAPI 3.1 section 4.8.9), so the document binds each
  // operation to where it was seen.
  for (const [wire, item] of Object.entries(paths)) {
    const hosts = [...pathHosts.get(wire)!].sort();
    if (!sameSet(hosts, allHosts)) item.servers = hosts.map((h) => ({ url: serverUrl(h) }));
    for (const m of METHODS) {
      const op = item[m] as Obj | undefined;
      if (op === undefined) continue;
      const own = op['x-shadowtap-hosts'] as string[];
      delete op['x-shadowtap-hosts'];
      if (!sameSet(own, hosts)) op.servers = own.map((h) => ({ url: serverUrl(h) }));
    }
  }
  const doc: Obj = {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Observed APIs',
      version: options.version ?? 'observed',
      description: 'What passive observation of traffic shows: paths, parameters, bodies ' +
        'and status codes as seen. Types and names only; no value was kept.',
    },
    servers: allHosts.map((h) => ({ url: serverUrl(h) })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => cmp(a, b))),
  };
  const schemes = security.components();
  if (schemes !== undefined) doc.components = { securitySchemes: schemes };
  return doc;
}

function operationOf(
  g: Group,
  names: ReadonlyMap<number, string>,
  security: SecuritySchemes,
  opIds: ReadonlyMap<string, number>,
): Obj {
  let schema: EndpointSchema | null = null;
  const auth = new Set<string>();
  const kinds = new Map<number, ValueKind>();
  let pii: ExportPii[] = [];
  for (const { e } of g.members) {
    schema = schema === null ? e.schema : mergeSchemas(schema, e.schema, DEFAULT_LIMITS);
    (e.auth.length === 0 ? ['none'] : e.auth).forEach((a) => auth.add(a));
    for (const p of e.params) {
      const have = kinds.get(p.position);
      kinds.set(p.position, have === undefined ? p.kind : mergeKinds(have, p.kind));
    }
    pii = pii.concat(relocated(e, names));
  }
  const positions = [...names.keys()].sort((a, b) => a - b);
  const op = toOpenApiOperation(schema!, { pathParams: positions.map((i) => names.get(i)!) });
  // Template positions count the empty segment before the first '/'; ParamShape does not.
  for (const p of (op.parameters as Obj[] | undefined) ?? []) {
    if (p.in !== 'path') continue;
    const at = positions.find((i) => names.get(i) === p.name)!;
    p.schema = kindSchema(kinds.get(at - 1) ?? 'string');
  }
  const responses = op.responses as Obj;
  for (const k of Object.keys(responses)) {
    if (k !== 'default' && !STATUS_KEY.test(k)) delete responses[k];
  }
  if (Object.keys(responses).length === 0) {
    responses.default = { description: 'No response observed' };
  }
  const queryNames = Object.keys(schema!.query.fields).filter((p) => p.lastIndexOf('/') === 0)
    .map((p) => p.slice(1));
  op.security = security.requirements([...auth].sort(), queryNames);
  const statuses = g.members.map((m) => m.status);
  // Seen on several hosts with different verdicts: the one most in need of review.
  op[STATUS_KEYWORD] = [...statuses]
    .sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b))[0];
  const ids = [...new Set(g.members.map((m) => m.operationId).filter((x) => x !== null))];
  if (ids.length === 1 && opIds.get(ids[0]!) === 1) op.operationId = ids[0];
  annotatePii(op, uniquePii(pii));
  return op;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
