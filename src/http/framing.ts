import type { MessageHead } from './parser.js';

/** How a message's body is delimited (RFC 9112 §6.3). */
export type Framing =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  | { kind: 'close' }
  | { kind: 'invalid'; reason: string };

const NONE: Framing = { kind: 'none' };
const CHUNKED: Framing = { kind: 'chunked' };
const CLOSE: Framing = { kind: 'close' };

/**
 * The body framing a message's own headers imply. What depends on the request a
 * response answers (HEAD, CONNECT) is decided by the caller before this is asked.
 */
export function messageFraming(head: MessageHead): Framing {
  const s = head.status;
  // §6.3 point 1: 1xx, 204 and 304 responses end at their header block.
  if (!head.request && ((s >= 100 && s < 200) || s === 204 || s === 304)) return NONE;
  let te: string | null = null;
  let cl: string | null = null;
  const h = head.rawHeaders;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i]!.toLowerCase();
    if (name === 'transfer-encoding') te = te === null ? h[i + 1]! : te + ',' + h[i + 1]!;
    else if (name === 'content-length') cl = cl === null ? h[i + 1]! : cl + ',' + h[i + 1]!;
  }
  if (te !== null) {
    // §6.3 point 4: Transfer-Encoding overrides Content-Length; chunked must be the
    // final coding. Empty list elements are allowed (RFC 9110 §5.6.1).
    const codings = te.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
    if (codings[codings.length - 1] === 'chunked') return CHUNKED;
    // A request so framed cannot be delimited (§6.3 point 4: the server answers 400).
    return head.request ? { kind: 'invalid', reason: 'transfer-encoding not chunked' } : CLOSE;
  }
  if (cl !== null) {
    // §6.3 point 5: a list of identical values is one value; anything else is invalid.
    const values = cl.split(',').map((v) => v.trim());
    const first = values[0]!;
    if (!/^\d+$/.test(first) || values.some((v) => v !== first)) {
      return { kind: 'invalid', reason: 'bad content-length' };
    }
    return { kind: 'length', length: Number(first) };
  }
  // §6.3 points 7 and 8: a request without either has no body; a response runs to close.
  return head.request ? NONE : CLOSE;
}
