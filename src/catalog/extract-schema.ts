/**
 * Reduces dereferenced schema objects (OpenAPI 3.0 and 3.1, Swagger 2.0) to
 * CatalogSchema: types, formats, property names, required names, items and
 * additionalProperties, with `allOf`/`anyOf`/`oneOf` folded in. The result is plain
 * JSON with no reference into the document, bounded in depth and in nodes, so a
 * recursive schema ends as an `open` node instead of a cycle. The loader leaves the
 * `$ref`s of a cycle in place; those pointing into the document itself are followed
 * here, each at most once on any path from the root.
 */
import type { CatalogSchema } from './types.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

// LIMITATION: `not`, `if`/`then`/`else`, `prefixItems` and `dependentSchemas` are not
// read, and a `$ref` into another file that the loader left in place (a cycle across
// files) is an open node.

/** Bounds of one operation's schemas. */
export interface CompactLimits {
  /** Nesting levels followed (properties, items, map values). */
  maxDepth: number;
  /** Schema nodes kept for one operation; the rest become `open`. */
  maxNodes: number;
}

/** A schema that accepts anything below it. */
const OPEN: CatalogSchema = { open: true };

function declaredTypes(s: Obj): string[] | undefined {
  const t = s.type;
  let out: string[] | undefined;
  if (typeof t === 'string') out = [t];
  else if (Array.isArray(t)) out = t.filter((x): x is string => typeof x === 'string');
  if (out === undefined) return undefined;
  // OpenAPI 3.0 `nullable` and the Swagger 2 `x-nullable` extension add null.
  if ((s.nullable === true || s['x-nullable'] === true) && !out.includes('null')) {
    out = [...out, 'null'];
  }
  return [...new Set(out)].sort();
}

/** The type a schema constrains to, inferred from its keywords when not declared. */
function inferredTypes(s: CatalogSchema): string[] | undefined {
  if (s.type !== undefined) return s.type;
  if (s.properties !== undefined || s.additionalProperties !== undefined) return ['object'];
  if (s.items !== undefined) return ['array'];
  return undefined;
}

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/**
 * The union of two schemas: what either documents is documented. Used for `anyOf`,
 * `oneOf` and for a property two `allOf` branches both describe.
 */
export function unionSchema(a: CatalogSchema, b: CatalogSchema): CatalogSchema {
  const out: CatalogSchema = {};
  const ta = inferredTypes(a);
  const tb = inferredTypes(b);
  if (ta !== undefined && tb !== undefined) out.type = sortedUnion(ta, tb);
  if (a.format !== undefined && a.format === b.format) out.format = a.format;
  if (a.properties !== undefined || b.properties !== undefined) {
    const props: Record<string, CatalogSchema> = { ...(a.properties ?? {}) };
    for (const [k, v] of Object.entries(b.properties ?? {})) {
      const have = props[k];
      props[k] = have === undefined ? v : unionSchema(have, v);
    }
    out.properties = props;
  }
  if (a.required !== undefined && b.required !== undefined) {
    const req = a.required.filter((r) => b.required!.includes(r));
    if (req.length > 0) out.required = req;
  }
  if (a.items !== undefined || b.items !== undefined) {
    out.items = a.items === undefined ? b.items! : b.items === undefined ? a.items
      : unionSchema(a.items, b.items);
  }
  const ap = unionAdditional(a.additionalProperties, b.additionalProperties);
  if (ap !== undefined) out.additionalProperties = ap;
  if (a.open === true || b.open === true) out.open = true;
  return out;
}

function unionAdditional(
  a: CatalogSchema['additionalProperties'],
  b: CatalogSchema['additionalProperties'],
): CatalogSchema['additionalProperties'] {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  if (a === undefined || a === false) return b === false ? undefined : b;
  if (b === undefined || b === false) return a;
  return unionSchema(a, b);
}

/** The value a local JSON Pointer reference (`#/components/schemas/Node`) names. */
function resolveLocal(root: Obj, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = root;
  // RFC 6901 section 4: `~1` is '/', `~0` is '~'; a URI fragment is percent-encoded.
  for (const raw of ref.slice(2).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    token = token.replaceAll('~1', '/').replaceAll('~0', '~');
    const o = obj(at);
    if (o === null || !Object.hasOwn(o, token)) return undefined;
    at = o[token];
  }
  return at;
}

/** Compacts the schemas of one operation under one node budget. */
export class SchemaCompactor {
  private nodes = 0;

  /** `root`: the document, to follow the local `$ref`s the loader left in place. */
  constructor(
    private readonly limits: CompactLimits,
    private readonly root: Obj | null = null,
  ) {}

  /** The compact form of one schema object; `{}` (any) for a missing schema. */
  compact(raw: unknown): CatalogSchema {
    return this.node(raw, 0, new Set());
  }

  /** A form body's schema from Swagger 2 `formData` parameters. */
  formParams(params: Obj[]): CatalogSchema {
    const properties: Record<string, CatalogSchema> = {};
    const required: string[] = [];
    for (const p of params) {
      const name = typeof p.name === 'string' ? p.name : null;
      if (name === null) continue;
      // Swagger 2 `type: file` is an uploaded file: a binary string in OpenAPI 3 terms.
      properties[name] = p.type === 'file'
        ? { type: ['string'], format: 'binary' }
        : this.node(p, 1, new Set());
      if (p.required === true) required.push(name);
    }
    const out: CatalogSchema = { type: ['object'], properties };
    if (required.length > 0) out.required = required.sort();
    return out;
  }

  private node(raw: unknown, depth: number, ancestors: Set<unknown>): CatalogSchema {
    const s = obj(raw);
    if (s === null) return {};
    if (typeof s.$ref === 'string') {
      // A reference already being expanded above is the cycle: stop there.
      const target = this.root === null || ancestors.has(s.$ref) ? undefined
        : resolveLocal(this.root, s.$ref);
      if (target === undefined) return { ...OPEN };
      ancestors.add(s.$ref);
      try {
        return this.node(target, depth, ancestors);
      } finally {
        ancestors.delete(s.$ref);
      }
    }
    if (ancestors.has(s)) return { ...OPEN };
    if (depth > this.limits.maxDepth || this.nodes >= this.limits.maxNodes) return { ...OPEN };
    this.nodes++;
    ancestors.add(s);
    try {
      return this.fold(s, this.own(s, depth, ancestors), depth, ancestors);
    } finally {
      ancestors.delete(s);
    }
  }

  private own(s: Obj, depth: number, ancestors: Set<unknown>): CatalogSchema {
    const out: CatalogSchema = {};
    const type = declaredTypes(s);
    if (type !== undefined) out.type = type;
    if (typeof s.format === 'string') out.format = s.format;
    const props = obj(s.properties);
    if (props !== null) {
      out.properties = {};
      for (const [k, v] of Object.entries(props)) {
        out.properties[k] = this.node(v, depth + 1, ancestors);
      }
    }
    if (Array.isArray(s.required)) {
      const req = s.required.filter((r): r is string => typeof r === 'string');
      if (req.length > 0) out.required = [...new Set(req)].sort();
    }
    if (obj(s.items) !== null) out.items = this.node(s.items, depth + 1, ancestors);
    if (typeof s.additionalProperties === 'boolean') {
      out.additionalProperties = s.additionalProperties;
    }
    else if (obj(s.additionalProperties) !== null) {
      out.additionalProperties = this.node(s.additionalProperties, depth + 1, ancestors);
    }
    // Keys matched by pattern are map keys as far as drift is concerned.
    const patterns = obj(s.patternProperties);
    if (patterns !== null) {
      for (const v of Object.values(patterns)) {
        const values = this.node(v, depth + 1, ancestors);
        out.additionalProperties = unionAdditional(out.additionalProperties, values);
      }
    }
    return out;
  }

  /** Folds allOf (all apply) and anyOf/oneOf (one applies) into the schema's own keywords. */
  private fold(s: Obj, own: CatalogSchema, depth: number, ancestors: Set<unknown>): CatalogSchema {
    const all = Array.isArray(s.allOf) ? s.allOf : [];
    const some = [...(Array.isArray(s.anyOf) ? s.anyOf : []),
      ...(Array.isArray(s.oneOf) ? s.oneOf : [])];
    if (all.length === 0 && some.length === 0) return own;
    let out = own;
    for (const b of all) {
      const branch = this.node(b, depth, ancestors);
      const merged = unionSchema(out, branch);
      // allOf: every branch applies, so a branch that does not constrain the type
      // leaves it as the others say, and every branch's required names are required.
      const ta = inferredTypes(out);
      const tb = inferredTypes(branch);
      if (ta === undefined || tb === undefined) {
        const t = ta ?? tb;
        if (t === undefined) delete merged.type;
        else merged.type = t;
      }
      if (out.format !== undefined || branch.format !== undefined) {
        const f = out.format ?? branch.format;
        if (f !== undefined) merged.format = f;
      }
      const req = sortedUnion(out.required ?? [], branch.required ?? []);
      if (req.length > 0) merged.required = req;
      out = merged;
    }
    if (some.length > 0) {
      let alt: CatalogSchema | null = null;
      for (const b of some) {
        const branch = this.node(b, depth, ancestors);
        alt = alt === null ? branch : unionSchema(alt, branch);
      }
      const before = out;
      out = unionSchema(before, alt!);
      // The schema's own `type` (or its allOf's) constrains every alternative, and
      // only names required outside the alternatives are required whichever applies.
      const t = inferredTypes(before) ?? inferredTypes(alt!);
      if (t === undefined) delete out.type;
      else out.type = t;
      if (before.required !== undefined) out.required = before.required;
      else delete out.required;
    }
    return out;
  }
}
