/** The one line a live capture writes to stderr every interval: counts, not content. */

/** Figures of one interval of a live capture (cumulative unless said otherwise). */
export interface IntervalStats {
  interface: string;
  /** Wall-clock seconds the interval lasted. */
  seconds: number;
  /** Packets captured in this interval. */
  packets: number;
  flows: number;
  exchanges: number;
  /** Exchanges completed in this interval. */
  newExchanges: number;
  anomalies: number;
  /** libpcap's counters since the capture started. */
  received: number;
  dropped: number;
  ifDropped: number;
  /**
   * Stream bytes reassembly never saw (engine gapBytes).
   * LIMITATION: every declared hole counts, including ones no peer acknowledged
   * (a capture that started mid-stream); the acknowledged share is not split out.
   */
  gapBytes: number;
  /** Abuse detection, when it runs: alerts raised and exchanges its full queue dropped. */
  abuse?: { alerts: number; dropped: number; phase: string };
}

function n(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** `capture eth1: 1,520 pkt/s, 3 flows, 200 exchanges (+200), ...` */
export function intervalLine(s: IntervalStats): string {
  const rate = s.seconds > 0 ? s.packets / s.seconds : 0;
  const ifDrop = s.ifDropped > 0 ? ` (+${n(s.ifDropped)} by the interface)` : '';
  return (
    `capture ${s.interface}: ${n(rate)} pkt/s, ${n(s.flows)} flows, ` +
    `${n(s.exchanges)} exchanges (+${n(s.newExchanges)}), ${n(s.anomalies)} anomalies, ` +
    `libpcap ${n(s.received)} received / ${n(s.dropped)} dropped${ifDrop}, ` +
    `${n(s.gapBytes)} gap bytes` +
    (s.abuse === undefined ? '' : `, abuse (${s.abuse.phase}) ${n(s.abuse.alerts)} alerts / ` +
      `${n(s.abuse.dropped)} dropped`)
  );
}
