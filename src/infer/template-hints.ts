/**
 * Templates templating should agree with, as one tree per host: the catalog's (as
 * on the wire, base path included) and those stored by earlier runs. A catalog
 * literal stays literal; a parameter names the position and, when a value fits its
 * declared type, makes it a parameter even without siblings.
 */
import { bindCatalog, type ObservedForBinding } from '../catalog/bind.js';
import { acceptsValue, rawSegments, splitPath, type CatalogSegment } from '../catalog/match.js';
import { normaliseHost } from '../catalog/servers.js';
import type { CatalogParam } from '../catalog/types.js';
import type { KnownTemplate, TemplateHints } from './template-types.js';
import { asValueKind, kindAccepts, segmentShape, type ValueKind } from './value-kind.js';

/** A parameter position in the hint tree. */
export interface HintParam {
  name: string;
  /** Whether a concrete value fits the declared type. */
  accepts: (raw: string) => boolean;
  /** Whether the spec lists the value (`enum`): then it is this parameter's for sure. */
  lists: (raw: string) => boolean;
  next: HintNode;
}

/** One position of the hint tree. */
export interface HintNode {
  literals: Map<string, HintNode>;
  /**
   * Literals that must stay literal: the catalog's. Literals of earlier runs only
   * lead to deeper hints, since more traffic may show them to be parameter values.
   */
  fixed: Set<string>;
  params: HintParam[];
}

/** An empty hint node (no hint). */
export function emptyHint(): HintNode {
  return { literals: new Map(), fixed: new Set(), params: [] };
}

function paramKey(name: string, source: string): string {
  return name + '\0' + source;
}

/** One segment of a hint template: a literal, or a parameter with its acceptance. */
type HintSegment =
  | { literal: string; fixed: boolean }
  | {
      name: string;
      key: string;
      accepts: (raw: string) => boolean;
      lists: (raw: string) => boolean;
    };

/** Adds one template (segments with their acceptance) to a tree. */
class HintBuilder {
  readonly root = emptyHint();
  private readonly keys = new WeakMap<HintParam, string>();

  add(segments: readonly HintSegment[]): void {
    let node = this.root;
    for (const seg of segments) {
      if ('literal' in seg) {
        let next = node.literals.get(seg.literal);
        if (next === undefined) node.literals.set(seg.literal, (next = emptyHint()));
        if (seg.fixed) node.fixed.add(seg.literal);
        node = next;
        continue;
      }
      const key = paramKey(seg.name, seg.key);
      let p = node.params.find((x) => this.keys.get(x) === key);
      if (p === undefined) {
        p = { name: seg.name, accepts: seg.accepts, lists: seg.lists, next: emptyHint() };
        this.keys.set(p, key);
        node.params.push(p);
        node.params.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      }
      node = p.next;
    }
  }
}

const never = (): boolean => false;

function decodeSafe(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function catalogSegment(seg: CatalogSegment): HintSegment {
  if (seg.type === 'literal') return { literal: seg.text, fixed: true };
  if (seg.type === 'param') {
    const param: CatalogParam | null = seg.param;
    const key = param === null ? 'any' : JSON.stringify([param.type, param.format, param.enum]);
    const listed = param?.enum ?? [];
    return {
      name: seg.name,
      key,
      accepts: (raw: string) => acceptsValue(param, raw),
      lists: (raw: string) => listed.includes(raw) || listed.includes(decodeSafe(raw)),
    };
  }
  const name = /\{([^{}]+)\}/.exec(seg.text)?.[1] ?? 'id';
  const regex = seg.regex;
  return { name, key: 'mixed:' + seg.text, accepts: (raw) => regex.test(raw), lists: never };
}

function knownSegments(t: KnownTemplate): HintSegment[] {
  const kinds = new Map<number, ValueKind>(t.params.map((p) => [p.position, asValueKind(p.kind)]));
  return splitPath(t.template).map((seg, i) => {
    const m = /^\{([^{}]+)\}$/.exec(seg);
    if (m === null) return { literal: seg, fixed: false };
    const kind = kinds.get(i) ?? 'string';
    const accepts = (raw: string): boolean => kindAccepts(kind, segmentShape(raw).kind);
    return { name: m[1]!, key: 'known:' + kind, accepts, lists: never };
  });
}

/** Hint trees per normalised host, for the hosts of `samples`. */
export function buildHints(
  samples: ReadonlyArray<{ host: string; method: string; path: string; live: boolean }>,
  hints: TemplateHints,
): Map<string, HintNode> {
  const builders = new Map<string, HintBuilder>();
  const builder = (host: string): HintBuilder => {
    let b = builders.get(host);
    if (b === undefined) builders.set(host, (b = new HintBuilder()));
    return b;
  };
  if (hints.catalog) {
    const observed: ObservedForBinding[] = samples.map((s) => ({
      host: s.host,
      method: s.method,
      segments: rawSegments(s.path),
      live: s.live,
    }));
    for (const [host, bound] of bindCatalog(hints.catalog, observed)) {
      for (const b of bound) builder(host).add(b.segments.map(catalogSegment));
    }
  }
  // LIMITATION: a parameter a past run inferred wrongly (two routes merged) keeps
  // taking values that fit its kind; only its literals give way to new evidence.
  for (const t of hints.known ?? []) builder(normaliseHost(t.host)).add(knownSegments(t));
  return new Map([...builders].map(([host, b]) => [host, b.root]));
}
