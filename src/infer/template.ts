/**
 * Path templating: maps every concrete request path of a run to its endpoint
 * template (`/users/ann` → `/users/{userId}`). Each host's paths form a tree; each
 * position's values are judged together (see position.ts), top down, so a parameter
 * gathers its values' sub-paths before the next position is judged. The result is
 * a function of the set of samples and hints only, never of their order.
 */
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import { normaliseHost } from '../catalog/servers.js';
import { paramName, uniqueName } from './naming.js';
import { buildTrie, isLive, type TrieNode } from './path-trie.js';
import { decidePosition, type ValueStats } from './position.js';
import { buildHints, emptyHint, type HintNode, type HintParam } from './template-hints.js';
import type { ParamShape, PathSample, TemplateHints, TemplateResult } from './template-types.js';
import { mergeKinds, segmentShape, type SegmentShape, type ValueKind } from './value-kind.js';

export type {
  KnownTemplate,
  ParamShape,
  PathSample,
  TemplateHints,
  TemplateResult,
  ValueKind,
} from './template-types.js';

/** The key inferTemplates answers under: host, method and path joined by NUL. */
export function sampleKey(host: string, method: string, path: string): string {
  return host + '\0' + method + '\0' + path;
}

function byRaw(a: { raw: string }, b: { raw: string }): number {
  return a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0;
}

type Shapes = (raw: string) => SegmentShape;

/** Statistics of every value at the position below `group`, across its nodes. */
function positionValues(group: readonly TrieNode[], hints: readonly HintNode[], shapeOf: Shapes) {
  const nodes = new Map<string, TrieNode[]>();
  for (const node of group) {
    for (const [raw, child] of node.children) {
      const list = nodes.get(raw);
      if (list === undefined) nodes.set(raw, [child]);
      else list.push(child);
    }
  }
  const values: Array<ValueStats & { nodes: TrieNode[] }> = [];
  for (const [raw, list] of nodes) {
    let hits = 0;
    let live = false;
    let takesPost = false;
    const childWords = new Set<string>();
    const liveChildren = new Set<string>();
    const typed = new Set<string>();
    for (const n of list) {
      hits += n.hits;
      live ||= n.live;
      takesPost ||= n.livePost;
      for (const [c, grandchild] of n.children) {
        const shape = shapeOf(c);
        if (shape.role === 'word') childWords.add(c);
        if (!grandchild.live) continue;
        liveChildren.add(c);
        if (shape.role === 'value') typed.add(c);
      }
    }
    // Mostly ids below: a collection (`/orders/17`), not an id with one typed child.
    const typedChildren = typed.size > 0 && typed.size * 2 > liveChildren.size;
    const hintLiteral = hints.some((h) => h.fixed.has(raw));
    const hintListed = hints.some((h) => h.params.some((p) => p.lists(raw)));
    const shape = shapeOf(raw);
    values.push({
      raw,
      shape,
      hits,
      live,
      typedChildren,
      takesPost,
      childWords,
      hintLiteral,
      hintListed,
      nodes: list,
    });
  }
  return values.sort(byRaw);
}

/** Hint nodes one step down a literal value: its literal entries and params taking it. */
function hintsAfterLiteral(hints: readonly HintNode[], raw: string): HintNode[] {
  const out: HintNode[] = [];
  for (const h of hints) {
    const lit = h.literals.get(raw);
    if (lit !== undefined) out.push(lit);
    for (const p of h.params) if (p.accepts(raw)) out.push(p.next);
  }
  return out;
}

/** The hint name for a parameter: the first hint parameter taking all its values. */
function hintName(params: readonly HintParam[], values: readonly string[]): string | null {
  const all = params.find((p) => values.every((v) => p.accepts(v)));
  return (all ?? params.find((p) => values.some((v) => p.accepts(v))))?.name ?? null;
}

interface WalkState {
  prefix: string[];
  params: ParamShape[];
  used: Set<string>;
}

class Templater {
  readonly out = new Map<string, TemplateResult>();
  // Each distinct segment is classified once: it is looked at as a value and as a child.
  private readonly shapes = new Map<string, SegmentShape>();
  private readonly shapeOf: Shapes = (raw) => {
    let shape = this.shapes.get(raw);
    if (shape === undefined) this.shapes.set(raw, (shape = segmentShape(raw)));
    return shape;
  };

  constructor(private readonly limits: Limits) {}

  walk(group: TrieNode[], hints: HintNode[], st: WalkState): void {
    const template = '/' + st.prefix.join('/');
    // One result object for every path ending here: callers read it, never change it.
    const result: TemplateResult = { template, params: st.params };
    for (const node of group) for (const key of node.ends) this.out.set(key, result);
    const values = positionValues(group, hints, this.shapeOf);
    if (values.length === 0) return;
    const depth = st.prefix.length;
    const hintParams = hints.flatMap((h) => h.params);
    const paramValues = decidePosition(values, { depth, hintParams, limits: this.limits });
    for (const v of values) {
      if (paramValues.has(v.raw)) continue;
      this.walk(v.nodes, hintsAfterLiteral(hints, v.raw), {
        prefix: [...st.prefix, v.raw],
        params: st.params,
        used: st.used,
      });
    }
    if (paramValues.size === 0) return;
    const members = values.filter((v) => paramValues.has(v.raw));
    let kind: ValueKind = members[0]!.shape.kind;
    for (const v of members) kind = mergeKinds(kind, v.shape.kind);
    const fromHint = hintName(hintParams, members.map((v) => v.raw));
    const name = fromHint !== null ? uniqueName(fromHint, st.used) : paramName(st.prefix, st.used);
    const nextHints = hintParams.map((p) => p.next);
    this.walk(members.flatMap((v) => v.nodes), nextHints, {
      prefix: [...st.prefix, '{' + name + '}'],
      params: [...st.params, { name, position: depth, kind }],
      used: new Set([...st.used, name]),
    });
  }
}

/** Samples of one (host, method, path), added up. */
interface Merged {
  key: string;
  method: string;
  path: string;
  count: number;
  statuses: Record<string, number>;
}

/**
 * Templates every sample. Keys of the result are `host \0 method \0 path` (see
 * sampleKey); samples with the same key are counted together.
 */
export function inferTemplates(
  samples: readonly PathSample[],
  hints: TemplateHints,
  limits: Limits = DEFAULT_LIMITS,
): Map<string, TemplateResult> {
  const byHost = new Map<string, Map<string, Merged>>();
  for (const s of samples) {
    let m = byHost.get(s.host);
    if (m === undefined) byHost.set(s.host, (m = new Map()));
    const key = sampleKey(s.host, s.method, s.path);
    const have = m.get(key);
    if (have === undefined) {
      m.set(key, { key, method: s.method, path: s.path, count: s.count, statuses: s.statuses });
      continue;
    }
    // Same key twice: add up into a copy, the caller's objects stay as they were.
    const statuses = { ...have.statuses };
    for (const [code, n] of Object.entries(s.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
    m.set(key, { ...have, count: have.count + s.count, statuses });
  }
  // Only catalog binding needs every path at once (which hosts a spec applies to).
  const all = hints.catalog
    ? [...byHost].flatMap(([host, m]) =>
        [...m.values()].map((s) => ({ host, ...s, live: isLive(s.statuses) })),
      )
    : [];
  const hintTrees = buildHints(all, hints);
  const templater = new Templater(limits);
  for (const host of [...byHost.keys()].sort()) {
    const root = buildTrie([...byHost.get(host)!.values()], limits.templateMaxSegments);
    const hint = hintTrees.get(normaliseHost(host)) ?? emptyHint();
    templater.walk([root], [hint], { prefix: [], params: [], used: new Set() });
  }
  return templater.out;
}
