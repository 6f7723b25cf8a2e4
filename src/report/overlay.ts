/**
 * The accepted endpoints as an OpenAPI 3.1 document (OAS 3.1.0), to join the catalog:
 * replayed or reported with it, an endpoint a reviewer accepted is documented. Each
 * operation names its host in an operation-level `servers` entry (OAS 3.1.0 section
 * 4.8.10), so the catalog binds it to that host alone, base path included in the path
 * as it appears on the wire. Schemas come from what the traffic showed: names,
 * types and formats, never a value or an example.
 */
import { toOpenApiOperation } from '../infer/schema-export.js';
import type { EndpointRecord } from '../store/db.js';
import type { Report, ReportEndpoint } from './model.js';

type Obj = Record<string, unknown>;

/** Catalog verdicts an acceptance documents; documented and zombie ones already are. */
const UNDOCUMENTED = new Set(['shadow', 'unknown-host', 'not-found']);

/** Endpoints a reviewer accepted that no catalog documents. */
export function acceptedEndpoints(r: Report): ReportEndpoint[] {
  return r.endpoints.filter((e) => e.triage?.verdict === 'accepted' &&
    UNDOCUMENTED.has(e.triage.was));
}

function serverUrl(host: string): string {
  return host.includes(':') ? `http://[${host}]` : `http://${host}`;
}

function pathParams(path: string): string[] {
  const names: string[] = [];
  for (const m of path.matchAll(/\{([^}]+)\}/g)) {
    if (!names.includes(m[1]!)) names.push(m[1]!);
  }
  return names;
}

/**
 * The overlay document. LIMITATION: one operation per (path, method): when two hosts
 * both have an accepted endpoint there, the first one's schema describes both hosts.
 */
export function buildOverlay(r: Report, records: readonly EndpointRecord[]): Obj {
  const schemaOf = new Map(records.map((x) => [x.host + '\0' + x.method + '\0' + x.template,
    x.schema]));
  const paths: Record<string, Obj> = {};
  const accepted = [...acceptedEndpoints(r)].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 :
      a.method > b.method ? 1 : a.host < b.host ? -1 : a.host > b.host ? 1 : 0);
  for (const e of accepted) {
    const item = (paths[e.path] ??= {});
    const method = e.method.toLowerCase();
    const have = item[method] as Obj | undefined;
    if (have !== undefined) {
      (have.servers as Obj[]).push({ url: serverUrl(e.host) });
      continue;
    }
    const schema = schemaOf.get(e.host + '\0' + e.method + '\0' + e.template);
    const op: Obj = schema === undefined
      ? { responses: { default: { description: 'No response observed' } } }
      : toOpenApiOperation(schema, { pathParams: pathParams(e.path) });
    if (schema === undefined && pathParams(e.path).length > 0) {
      op.parameters = pathParams(e.path).map((name) => ({ name, in: 'path', required: true,
        schema: { type: 'string' } }));
    }
    const t = e.triage!;
    item[method] = {
      summary: `Accepted from traffic (was ${t.was})`,
      servers: [{ url: serverUrl(e.host) }],
      ...op,
      'x-shadowtap-triage': { verdict: t.verdict, who: t.who,
        at: new Date(t.at * 1000).toISOString(), note: t.note },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'shadowtap overlay: endpoints accepted in review',
      version: new Date(r.generatedAt * 1000).toISOString().slice(0, 10),
      description: 'Operations seen in traffic and accepted by a reviewer. Load it with the ' +
        'rest of the catalog (--catalog) so they are reported as documented.',
    },
    paths,
  };
}
