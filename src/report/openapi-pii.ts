/**
 * Personal data in the OpenAPI export: `x-shadowtap-pii` lists `{kind, in, location}`
 * on each operation, and the kinds on every schema a location maps to (a body
 * property, a parameter, a response header). Kinds and locations only: never a
 * value, a preview or a count of distinct values.
 */
import type { PiiKind } from '../pii/types.js';

type Obj = Record<string, unknown>;

/** The extension keyword. */
export const PII_KEYWORD = 'x-shadowtap-pii';

/** One finding as the export places it. */
export interface ExportPii {
  kind: PiiKind;
  in: 'request' | 'response';
  location: string;
}

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

function mark(schema: Obj | null, kind: PiiKind): void {
  if (schema === null) return;
  const have = Array.isArray(schema[PII_KEYWORD]) ? (schema[PII_KEYWORD] as string[]) : [];
  if (!have.includes(kind)) schema[PII_KEYWORD] = [...have, kind].sort();
}

function unescapeToken(t: string): string {
  return t.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** Follows location segments (`*`: items or map values) through a JSON Schema. */
function walk(schema: Obj | null, segments: readonly string[]): Obj | null {
  let at = schema;
  for (const seg of segments) {
    if (at === null) return null;
    if (seg === '*') {
      at = obj(at.items) ?? obj(at.additionalProperties);
      continue;
    }
    at = obj(obj(at.properties)?.[unescapeToken(seg)]) ?? obj(at.additionalProperties);
  }
  return at;
}

function isForm(mt: string): boolean {
  return mt === 'application/x-www-form-urlencoded' || mt === 'multipart/form-data';
}

/** Body schemas of a request body or response object, by media type. */
function bodySchemas(holder: Obj | null, wanted: (mt: string) => boolean): Obj[] {
  const out: Obj[] = [];
  for (const [mt, media] of Object.entries(obj(holder?.content) ?? {})) {
    if (!wanted(mt)) continue;
    const s = obj(obj(media)?.schema);
    if (s !== null) out.push(s);
  }
  return out;
}

function targets(op: Obj, p: ExportPii): Obj[] {
  const colon = p.location.indexOf(':');
  const where = p.location.slice(0, colon);
  const rest = p.location.slice(colon + 1);
  const holders = p.in === 'request' ? [obj(op.requestBody)]
    : Object.values(obj(op.responses) ?? {}).map(obj);
  const params = Array.isArray(op.parameters) ? op.parameters.map(obj) : [];
  const param = (where2: string, name: string): Obj[] => params
    .filter((q) => q !== null && q.in === where2 && q.name === name)
    .map((q) => obj(q!.schema))
    .filter((s): s is Obj => s !== null);
  switch (where) {
    case 'body': {
      const segs = rest === '' ? [] : rest.slice(1).split('/');
      return holders.flatMap((h) => bodySchemas(h, (mt) => !isForm(mt)))
        .map((s) => walk(s, segs)).filter((s): s is Obj => s !== null);
    }
    case 'form':
    case 'multipart': {
      const [name, ...segs] = rest.split('/');
      const mt = where === 'form' ? 'application/x-www-form-urlencoded' : 'multipart/form-data';
      return holders.flatMap((h) => bodySchemas(h, (m) => m === mt))
        .map((s) => walk(obj(obj(s.properties)?.[name!]), segs))
        .filter((s): s is Obj => s !== null);
    }
    case 'query':
      return p.in === 'request' ? param('query', rest) : [];
    case 'path':
      return p.in === 'request' ? param('path', rest.replace(/^\{|\}$/g, '')) : [];
    case 'header': {
      if (p.in === 'request') return param('header', rest);
      return holders.map((h) => obj(obj(obj(h?.headers)?.[rest])?.schema))
        .filter((s): s is Obj => s !== null);
    }
    default:
      return [];
  }
}

/** Adds `x-shadowtap-pii` to an operation and to the schemas its findings map to. */
export function annotatePii(op: Obj, findings: readonly ExportPii[]): void {
  if (findings.length === 0) return;
  const list = [...findings].sort((a, b) =>
    a.in !== b.in ? (a.in < b.in ? -1 : 1)
    : a.location !== b.location ? (a.location < b.location ? -1 : 1)
    : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
  op[PII_KEYWORD] = list.map((p) => ({ kind: p.kind, in: p.in, location: p.location }));
  for (const p of list) for (const s of targets(op, p)) mark(s, p.kind);
}
