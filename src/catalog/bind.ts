/**
 * Which catalog operations apply to which observed host, under which path prefixes.
 *
 * - `FILE@HOST` binds a spec to those hosts, its base path optional on the wire.
 * - Otherwise a spec whose servers (or Swagger 2 host) name an observed host binds to
 *   it, base path required: that is where the spec says it lives.
 * - A spec naming no observed host (a mock, localhost, a relative URL, production
 *   while the mirror sees internal names) binds to every observed host where a live
 *   call matches one of its operations, its base path optional.
 */
import {
  compileTemplate,
  decodeSegment,
  literalCount,
  segmentScore,
  type CatalogSegment,
  type ObservedSegment,
} from './match.js';
import { normaliseHost } from './servers.js';
import type { Catalog, CatalogOperation } from './types.js';

/** One operation as it can appear on one host: base path + template, compiled. */
export interface BoundTemplate {
  op: CatalogOperation;
  /** Index of op in catalog.operations: a stable identity. */
  index: number;
  basePath: string;
  /** basePath + template: the path as it would appear on the wire. */
  wire: string;
  segments: CatalogSegment[];
}

/** An observed call (or endpoint) as binding needs it. */
export interface ObservedForBinding {
  host: string;
  method: string;
  segments: ObservedSegment[];
  /** False when every answer was 404: scanner noise binds nothing. */
  live: boolean;
}

/** Whether a call with `method` can be served by an operation declared for `opMethod`. */
export function methodServes(opMethod: string, method: string): boolean {
  // RFC 9110 section 9.3.2: HEAD is GET without the body; servers answer it for every GET.
  return opMethod === method || (method === 'HEAD' && opMethod === 'GET');
}

function joinWire(basePath: string, template: string): string {
  const t = template.startsWith('/') ? template : '/' + template;
  if (basePath === '') return t;
  return t === '/' ? basePath : basePath + t;
}

function variants(op: CatalogOperation, index: number, optionalBase: boolean): BoundTemplate[] {
  const bases = optionalBase ? [...op.basePaths, ''] : op.basePaths;
  const out: BoundTemplate[] = [];
  for (const basePath of new Set(bases)) {
    const wire = joinWire(basePath, op.template);
    out.push({ op, index, basePath, wire, segments: compileTemplate(wire, op.params) });
  }
  return out;
}

function groupKey(op: CatalogOperation): string {
  return op.specFile + '\0' + op.boundHosts.join(',');
}

function add(map: Map<string, BoundTemplate[]>, host: string, list: BoundTemplate[]): void {
  const have = map.get(host);
  if (have === undefined) map.set(host, [...list]);
  else have.push(...list);
}

/**
 * Catalog templates per observed host (normalised: lowercased, no port). Hosts no
 * spec applies to are absent. Lists are in catalog order, then base path order.
 */
export function bindCatalog(
  catalog: Catalog | null,
  observed: readonly ObservedForBinding[],
): Map<string, BoundTemplate[]> {
  const out = new Map<string, BoundTemplate[]>();
  if (catalog === null || catalog.operations.length === 0) return out;
  const hosts = [...new Set(observed.map((o) => normaliseHost(o.host)))].sort();
  const seen = new Set(hosts);
  const liveTrees = indexLive(observed);
  const groups = new Map<string, number[]>();
  catalog.operations.forEach((op, i) => {
    const key = groupKey(op);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [i]);
    else list.push(i);
  });
  for (const indexes of groups.values()) {
    const ops = indexes.map((i) => catalog.operations[i]!);
    const explicit = ops[0]!.boundHosts;
    if (explicit.length > 0) {
      for (const host of explicit) {
        for (const i of indexes) add(out, host, variants(catalog.operations[i]!, i, true));
      }
      continue;
    }
    const declared = [...new Set(ops.flatMap((op) => op.hosts.filter((h) => seen.has(h))))];
    if (declared.length > 0) {
      for (const i of indexes) {
        const op = catalog.operations[i]!;
        const own = op.hosts.filter((h) => seen.has(h));
        for (const host of own.length > 0 ? own : declared) add(out, host, variants(op, i, false));
      }
      continue;
    }
    // A template with no literal of its own (`/`, `/{id}`) would match any host's traffic.
    // LIMITATION: so a spec of only such templates binds to no host without FILE@HOST.
    const loose = indexes.map((i) => variants(catalog.operations[i]!, i, true)).flat();
    const telling = loose.filter((b) => literalCount(b.op.template) > 0);
    for (const host of hosts) {
      const tree = liveTrees.get(host);
      if (tree !== undefined && telling.some((b) => reaches(tree, b.segments, 0, b.op.method))) {
        add(out, host, loose);
      }
    }
  }
  return out;
}

/**
 * Live observations of one host as a tree of segments (literals keyed by decoded
 * text, parameters by kind), so a template is tried against each distinct prefix
 * once rather than against every path.
 */
interface ObservedTree {
  segment: ObservedSegment | null;
  children: Map<string, ObservedTree>;
  methods: Set<string>;
}

function newTree(segment: ObservedSegment | null): ObservedTree {
  return { segment, children: new Map(), methods: new Set() };
}

function treeKey(o: ObservedSegment): string {
  return 'literal' in o ? 'L' + decodeSegment(o.literal) : 'K' + o.kind;
}

function indexLive(observed: readonly ObservedForBinding[]): Map<string, ObservedTree> {
  const out = new Map<string, ObservedTree>();
  for (const o of observed) {
    if (!o.live) continue;
    const host = normaliseHost(o.host);
    let node: ObservedTree | undefined = out.get(host);
    if (node === undefined) out.set(host, (node = newTree(null)));
    for (const seg of o.segments) {
      const key = treeKey(seg);
      let next: ObservedTree | undefined = node.children.get(key);
      if (next === undefined) node.children.set(key, (next = newTree(seg)));
      node = next;
    }
    node.methods.add(o.method);
  }
  return out;
}

/** Whether some live call under `node` matches `segments[i..]` with a method opMethod serves. */
function reaches(
  node: ObservedTree,
  segments: readonly CatalogSegment[],
  i: number,
  opMethod: string,
): boolean {
  if (i === segments.length) {
    for (const m of node.methods) if (methodServes(opMethod, m)) return true;
    return false;
  }
  const t = segments[i]!;
  if (t.type === 'literal') {
    const next = node.children.get('L' + decodeSegment(t.text));
    return next !== undefined && reaches(next, segments, i + 1, opMethod);
  }
  for (const child of node.children.values()) {
    if (segmentScore(t, child.segment!) > 0 && reaches(child, segments, i + 1, opMethod)) {
      return true;
    }
  }
  return false;
}
