/**
 * The closed list of things that can be wrong with traffic. Each is counted per
 * run (and per flow where one exists) and shown in the run summary; none ends a run.
 */
export const ANOMALY_CODES = [
  'truncated-packet', // captured length shorter than the headers claim
  'bad-link-header',
  'bad-ip-header',
  'bad-ip-checksum',
  'bad-tcp-offset',
  'bad-tunnel-header',
  'fragment-overlap',
  'fragment-timeout',
  'fragment-limit',
  'tcp-gap', // bytes missing in a stream; the HTTP layer resynchronised
  'tcp-overlap-conflict', // a retransmission carried different bytes; first copy kept
  'tcp-buffer-limit', // out-of-order data over the per-direction cap
  'flow-evicted', // flow table full; the longest-idle flow was closed
  'http-parse-error',
  'http-resync', // bytes skipped to find the next request or status line
  'http-unpaired-response',
  'http-pending-limit',
  'header-over-limit',
  'body-over-limit', // body longer than what is kept; the rest is counted, not kept
  'decode-error', // Content-Encoding could not be decoded
  'decompression-limit',
  'duplicate-packet', // the same packet mirrored twice (IP id included); the copy dropped
  'path-limit', // too many distinct paths for one host and method; the rest folded
  'time-jump', // capture time ran backwards past the idle timeout; the clock restarted
  'bad-forwarded-for', // an X-Forwarded-For hop from a trusted proxy is not an address
  'abuse-client-limit', // too many clients in one abuse window; the rest not scored
  'abuse-event-limit', // a replay over limits.abuseMaxReplayEvents; the rest not scored
  'abuse-queue-full', // live capture: exchanges dropped because the scorer's queue was full
  'tls-malformed', // a TLS flow whose ClientHello could not be read; no SNI taken
  'tls-hello-limit', // a ClientHello longer than limits.tlsMaxClientHelloBytes
  'tls-host-limit', // more SNI hosts than limits.tlsMaxHosts in one run
] as const;

export type AnomalyCode = (typeof ANOMALY_CODES)[number];

/** A counter of anomalies by code; cheap to add to, merged across workers. */
export class AnomalyCounter {
  readonly counts: Partial<Record<AnomalyCode, number>> = {};

  add(code: AnomalyCode, n = 1): void {
    this.counts[code] = (this.counts[code] ?? 0) + n;
  }

  merge(other: Partial<Record<AnomalyCode, number>>): void {
    for (const [code, n] of Object.entries(other)) this.add(code as AnomalyCode, n ?? 0);
  }

  total(): number {
    let sum = 0;
    for (const n of Object.values(this.counts)) sum += n ?? 0;
    return sum;
  }
}
