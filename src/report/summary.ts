/** The run summary written to stderr after a replay: counts, not content. */
import type { ReplaySummary } from '../pipeline/replay.js';

function n(x: number): string {
  return x.toLocaleString('en-US');
}

/** A few lines saying what was read and what went wrong with the traffic. */
export function runSummaryLines(s: ReplaySummary, seconds: number): string[] {
  const lines: string[] = [];
  if (s.runId === null && s.files.length === 0 && s.skipped.length > 0) {
    // Nothing was read: a line of zeros above a full report would only puzzle.
    lines.push('nothing new to replay; the report is the database as it was');
    for (const sk of s.skipped) lines.push(skippedLine(sk));
    return lines;
  }
  const mb = s.bytes / 1e6;
  const rate = seconds > 0 ? ` in ${seconds.toFixed(2)} s (${(mb / seconds).toFixed(1)} MB/s)` : '';
  lines.push(
    `run ${s.runId ?? '-'}: ${s.files.length} file(s), ${n(s.packets)} packets, ` +
      `${mb.toFixed(2)} MB${rate}`,
  );
  if (s.decode !== null) {
    const d = s.decode;
    const parts: Array<[string, number]> = [
      ['tcp', d.tcp], ['udp', d.udp], ['icmp', d.icmp], ['other ip', d.other],
      ['non-ip', d.nonIp], ['malformed', d.malformed], ['ip fragments', d.fragments],
      ['reassembled datagrams', d.reassembled],
    ];
    const shown = parts.filter(([, v]) => v > 0).map(([k, v]) => `${k} ${n(v)}`);
    if (shown.length > 0) lines.push(`decoded: ${shown.join(', ')}`);
    const tunnels = Object.entries(d.tunnels).filter(([, v]) => v > 0);
    if (tunnels.length > 0) {
      lines.push(`encapsulated: ${tunnels.map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
    }
  }
  lines.push(
    `flows ${n(s.flows)}, HTTP exchanges ${n(s.exchanges)}, endpoints ${n(s.endpoints.length)}` +
      (s.gaps > 0 ? `, sequence gaps ${n(s.gaps)} (${n(s.gapBytes)} bytes not seen)` : '') +
      (s.retransmissions > 0
        ? `, retransmissions ${n(s.retransmissions)} (${n(s.retransmittedBytes)} bytes)`
        : ''),
  );
  const u = s.uninspected;
  if (u !== undefined && u.tlsFlows + u.h2Flows > 0) {
    // What the sensor saw but could not read: its blind spot, stated in numbers.
    lines.push(
      `not inspected: TLS ${n(u.tlsFlows)} flows (${n(u.tlsBytes)} bytes` +
        (s.encrypted !== undefined ? `, ${n(s.encrypted.length)} hosts` : '') +
        `), HTTP/2 ${n(u.h2Flows)} flows (${n(u.h2Bytes)} bytes)`,
    );
  }
  if (s.scans !== undefined && s.scans.sampled > 0) {
    lines.push(
      `personal data: ${n(s.scans.full)} exchanges scanned in full, ${n(s.scans.sampled)} ` +
        `with settled fields sampled (1 in ${s.scans.every}); request counts are exact`,
    );
  }
  const anomalies = Object.entries(s.anomalies).filter(([, v]) => (v ?? 0) > 0);
  if (anomalies.length > 0) {
    lines.push(`anomalies: ${anomalies.map(([k, v]) => `${k} ${n(v ?? 0)}`).join(', ')}`);
  } else {
    lines.push('anomalies: none');
  }
  for (const sk of s.skipped) lines.push(skippedLine(sk));
  return lines;
}

function skippedLine(sk: ReplaySummary['skipped'][number]): string {
  return sk.runId < 0
    ? `skipped (same content as ${sk.earlierPath}): ${sk.file}`
    : `skipped (already replayed in run ${sk.runId}): ${sk.file}`;
}
