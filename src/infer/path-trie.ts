/**
 * The observed paths of one host as a tree of segments, every method together:
 * siblings across methods share their parameter positions, so `DELETE /users/x` and
 * `GET /users/y` are evidence about the same position.
 */
import { splitPath } from '../catalog/match.js';

/** A sample that ends at a node: the key the caller looks its template up by. */
export interface TrieEnd {
  key: string;
  method: string;
}

/** One segment position reached by some paths. */
export interface TrieNode {
  /** Requests whose path passes through or ends at this node. */
  hits: number;
  /** Some request through this node got an answer other than 404. */
  live: boolean;
  /** A POST ending here was answered other than 404: the node is a collection or action. */
  livePost: boolean;
  children: Map<string, TrieNode>;
  ends: TrieEnd[];
}

/** A request path to add, with what was answered. */
export interface TrieInput {
  key: string;
  method: string;
  path: string;
  count: number;
  statuses: Record<string, number>;
}

function newNode(): TrieNode {
  return { hits: 0, live: false, livePost: false, children: new Map(), ends: [] };
}

/** Whether any answer was not a 404 (no answer at all counts as not a 404). */
export function isLive(statuses: Record<string, number>): boolean {
  const codes = Object.entries(statuses).filter(([, n]) => n > 0);
  return codes.length === 0 || codes.some(([code]) => code !== '404');
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
      let child = node.children.get(seg);
      if (child === undefined) node.children.set(seg, (child = newNode()));
      node = child;
      node.hits += s.count;
      node.live ||= live;
    }
    node.ends.push({ key: s.key, method: s.method });
    if (live && s.method === 'POST') node.livePost = true;
  }
  return root;
}
