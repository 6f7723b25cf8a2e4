/**
 * The observed paths of one host as a tree of segments, every method together:
 * siblings across methods share their parameter positions, so `DELETE /users/x` and
 * `GET /users/y` are evidence about the same position.
 */
import { splitPath } from '../catalog/match.js';

/** One segment position reached by some paths. */
export interface TrieNode {
  /** Requests whose path passes through or ends at this node. */
  hits: number;
  /** Some request through this node got an answer other than 404. */
  live: boolean;
  /** A POST ending here was answered other than 404: the node is a collection or action. */
  livePost: boolean;
  children: ReadonlyMap<string, TrieNode>;
  /** Keys of the samples whose path ends here. */
  ends: readonly string[];
}

/** A request path to add, with what was answered. */
export interface TrieInput {
  key: string;
  method: string;
  path: string;
  count: number;
  statuses: Record<string, number>;
}

// Most nodes are leaves (one id each): they share these until something is added,
// which keeps a tree of many thousand ids small for the garbage collector.
const NO_CHILDREN: ReadonlyMap<string, TrieNode> = new Map();
const NO_ENDS: readonly string[] = [];

function newNode(): TrieNode {
  return { hits: 0, live: false, livePost: false, children: NO_CHILDREN, ends: NO_ENDS };
}

function childOf(node: TrieNode, seg: string): TrieNode {
  let child = node.children.get(seg);
  if (child !== undefined) return child;
  const map = node.children === NO_CHILDREN ? new Map<string, TrieNode>() : node.children;
  (map as Map<string, TrieNode>).set(seg, (child = newNode()));
  node.children = map;
  return child;
}

/** Whether any answer was not a 404 (no answer at all counts as not a 404). */
export function isLive(statuses: Record<string, number>): boolean {
  let any = false;
  for (const code in statuses) {
    if (!(statuses[code]! > 0)) continue;
    if (code !== '404') return true;
    any = true;
  }
  return !any;
}

/**
 * Segments of a path, at most `max`: the rest of a longer path is kept as one last
 * segment holding '/' (always a literal), so the tree stays shallow on hostile input.
 */
export function cappedSegments(path: string, max: number): string[] {
  const segs = splitPath(path);
  if (segs.length <= max) return segs;
  // LIMITATION: segments past templateMaxSegments are never templated.
  return [...segs.slice(0, max - 1), segs.slice(max - 1).join('/')];
}

/** Builds the tree of one host's paths. */
export function buildTrie(inputs: readonly TrieInput[], maxSegments: number): TrieNode {
  const root = newNode();
  for (const s of inputs) {
    const live = isLive(s.statuses);
    let node = root;
    node.hits += s.count;
    node.live ||= live;
    for (const seg of cappedSegments(s.path, maxSegments)) {
      node = childOf(node, seg);
      node.hits += s.count;
      node.live ||= live;
    }
    node.ends = node.ends === NO_ENDS ? [s.key] : [...node.ends, s.key];
    if (live && s.method === 'POST') node.livePost = true;
  }
  return root;
}
