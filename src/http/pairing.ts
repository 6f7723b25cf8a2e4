/**
 * Which waiting request a response answers. HTTP/1.1 answers requests in order
 * (RFC 9112 §9.3.2), so without loss the answer is always the oldest one; after a
 * gap some responses (or requests) were never seen, and TCP acknowledgments say
 * which: a response to request R cannot begin before what the client had received
 * when it sent R, and the server must have received R's first byte before
 * answering it.
 */

/** A waiting request, as pairing sees it. */
export interface PairingCandidate {
  /** Stands for requests lost in a gap of the client's stream. */
  phantom: boolean;
  /** Client stream position where the request began (NaN if unknown). */
  pos: number;
  /** Server stream position the client had received when sending it (NaN if unknown). */
  ack: number;
}

/** Where a response began, and what the server had received of the client stream then. */
export interface ResponseOrigin {
  pos: number;
  ack: number;
}

/** What is known of the server stream since the previous response. */
export interface ResponseGap {
  /** The gap began between two responses, so (at least) one response began inside it. */
  boundary: boolean;
}

/**
 * Index of the candidate `resp` answers, or -1 when it answers none of them (its
 * request was lost or came before the capture). Real candidates before the index
 * had their responses lost; phantoms before it are used up.
 */
export function pairResponse(
  cands: readonly PairingCandidate[],
  resp: ResponseOrigin,
  gap: ResponseGap | null,
): number {
  const real: number[] = [];
  for (let i = 0; i < cands.length; i++) if (!cands[i]!.phantom) real.push(i);
  if (real.length === 0) return -1;
  const ok = (c: PairingCandidate): boolean =>
    !(c.ack > resp.pos) && !(c.pos >= resp.ack); // comparisons with NaN are false
  if (gap === null) return ok(cands[real[0]!]!) ? real[0]! : -1;

  // The latest request the acknowledgments allow...
  let hi = -1;
  for (const r of real) {
    if (!ok(cands[r]!)) break;
    hi = r;
  }
  if (hi < 0) return -1;
  // ...but at least one response was lost if the gap began between responses.
  const lo = gap.boundary && real.length > 1 ? real[1]! : real[0]!;
  const evidence = !Number.isNaN(resp.ack) || real.some((r) => !Number.isNaN(cands[r]!.ack));
  if (!evidence) return lo;
  // Without pipelining each request follows the previous response, so the latest
  // allowed is the one. Pipelined requests (sent together: same acknowledgment)
  // cannot be told apart that way; assume the fewest responses were lost.
  // LIMITATION: with pipelining, a gap that swallowed several responses shifts the
  // pairing of the rest of that batch by the difference.
  let k = real.indexOf(hi);
  while (k > 0 && real[k - 1]! >= lo && sameBatch(cands[real[k - 1]!]!, cands[real[k]!]!)) k--;
  return real[k]!;
}

function sameBatch(a: PairingCandidate, b: PairingCandidate): boolean {
  return !Number.isNaN(a.ack) && a.ack === b.ack;
}
