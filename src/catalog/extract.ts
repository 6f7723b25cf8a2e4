/**
 * Reads operations out of a dereferenced OpenAPI 3.x or Swagger 2.0 document into
 * plain CatalogOperation records. Only strings, booleans and arrays are copied, so the
 * result holds no reference into the (possibly cyclic) document.
 */
import { DEFAULT_LIMITS } from '../config/limits.js';
import type { CatalogOperation, CatalogParam, CatalogSecurityScheme } from './types.js';
import { fromServers, fromSwagger2, type ServerBinding } from './servers.js';
import { openApi3Bodies, swagger2Bodies } from './extract-bodies.js';
import type { CompactLimits } from './extract-schema.js';

type Obj = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const PARAM_IN: ReadonlySet<string> = new Set(['path', 'query', 'header', 'cookie']);

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** JSON Schema `type` may be a list in OpenAPI 3.1 (`[string, 'null']`). */
function firstType(t: unknown): string | null {
  if (typeof t === 'string') return t;
  if (!Array.isArray(t)) return null;
  return t.find((x): x is string => typeof x === 'string' && x !== 'null') ?? null;
}

function readParam(p: Obj, swagger2: boolean): CatalogParam | null {
  const name = str(p.name);
  const where = str(p.in);
  // Swagger 2 `body` and `formData` describe the payload, not the URL or headers.
  if (name === null || where === null || !PARAM_IN.has(where)) return null;
  const schema = swagger2 ? p : (obj(p.schema) ?? {});
  const out: CatalogParam = {
    name,
    in: where as CatalogParam['in'],
    type: firstType(schema.type),
    format: str(schema.format),
    required: where === 'path' || p.required === true,
  };
  if (Array.isArray(schema.enum)) {
    out.enum = schema.enum.filter((x) => x !== null && typeof x !== 'object').map(String);
  }
  return out;
}

/** Path-level parameters, overridden by operation-level ones of the same name and place. */
function mergedParams(pathLevel: unknown, opLevel: unknown, swagger2: boolean): CatalogParam[] {
  const byKey = new Map<string, CatalogParam>();
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const o = obj(raw);
      const p = o === null ? null : readParam(o, swagger2);
      if (p !== null) byKey.set(p.in + '\0' + p.name, p);
    }
  }
  return [...byKey.values()];
}

/** Swagger 2 raw parameters (body and formData included), operation-level winning. */
function rawParams(pathLevel: unknown, opLevel: unknown): Obj[] {
  const byKey = new Map<string, Obj>();
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const o = obj(raw);
      if (o !== null) byKey.set(String(o.in) + '\0' + String(o.name), o);
    }
  }
  return [...byKey.values()];
}

function readSecurity(v: unknown): string[][] | null {
  if (!Array.isArray(v)) return null;
  return v.map((req) => Object.keys(obj(req) ?? {}));
}

function readSchemes(doc: Obj, swagger2: boolean): Map<string, CatalogSecurityScheme> {
  const src = swagger2 ? obj(doc.securityDefinitions) : obj(obj(doc.components)?.securitySchemes);
  const out = new Map<string, CatalogSecurityScheme>();
  for (const [name, raw] of Object.entries(src ?? {})) {
    const s = obj(raw);
    if (s === null) continue;
    const scheme: CatalogSecurityScheme = { type: str(s.type) ?? 'unknown' };
    for (const k of ['scheme', 'in', 'name'] as const) {
      const v = str(s[k]);
      if (v !== null) scheme[k] = v;
    }
    out.set(name, scheme);
  }
  return out;
}

/** Options for extractOperations. */
export interface ExtractOptions {
  specFile: string;
  boundHosts: string[];
  maxServerExpansions: number;
  /** Bounds of the body schemas kept per operation (limits.catalogMaxSchema*). */
  schemaLimits?: CompactLimits;
}

// Used when a caller gives no schema limits: the defaults of limits.ts.
const DEFAULT_SCHEMA_LIMITS: CompactLimits = {
  maxDepth: DEFAULT_LIMITS.catalogMaxSchemaDepth,
  maxNodes: DEFAULT_LIMITS.catalogMaxSchemaNodes,
};

/** All operations of one dereferenced spec document, in document order. */
export function extractOperations(doc: Obj, opts: ExtractOptions): CatalogOperation[] {
  const swagger2 = doc.swagger !== undefined;
  const title = str(obj(doc.info)?.title) ?? '';
  const rootBinding: ServerBinding = swagger2
    ? fromSwagger2(doc.host, doc.basePath)
    : fromServers(doc.servers, opts.maxServerExpansions);
  const schemes = readSchemes(doc, swagger2);
  const rootSecurity = readSecurity(doc.security) ?? [];
  const out: CatalogOperation[] = [];
  for (const [template, rawItem] of Object.entries(obj(doc.paths) ?? {})) {
    const item = obj(rawItem);
    if (item === null) continue;
    // OpenAPI 3: servers on a path item or an operation replace those above them.
    const pathBinding =
      !swagger2 && Array.isArray(item.servers) && item.servers.length > 0
        ? fromServers(item.servers, opts.maxServerExpansions)
        : rootBinding;
    for (const method of METHODS) {
      const op = obj(item[method]);
      if (op === null) continue;
      const binding =
        !swagger2 && Array.isArray(op.servers) && op.servers.length > 0
          ? fromServers(op.servers, opts.maxServerExpansions)
          : pathBinding;
      const security = readSecurity(op.security) ?? rootSecurity;
      const used = new Set(security.flat());
      const schemaLimits = opts.schemaLimits ?? DEFAULT_SCHEMA_LIMITS;
      const bodies = swagger2
        ? swagger2Bodies(doc, op, rawParams(item.parameters, op.parameters), schemaLimits)
        : openApi3Bodies(doc, op, schemaLimits);
      out.push({
        specFile: opts.specFile,
        specTitle: title,
        method: method.toUpperCase(),
        template,
        basePaths: [...binding.basePaths],
        hosts: [...binding.hosts],
        boundHosts: [...opts.boundHosts],
        deprecated: op.deprecated === true,
        operationId: str(op.operationId),
        params: mergedParams(item.parameters, op.parameters, swagger2),
        security,
        securitySchemes: Object.fromEntries(
          [...schemes].filter(([name]) => used.has(name)).map(([name, s]) => [name, { ...s }]),
        ),
        ...bodies,
      });
    }
  }
  return out;
}
