/**
 * The report's word on how complete its view is: stream bytes the sensor never saw
 * (capture loss: dropped packets, a mirror that missed some), for the latest run, per
 * endpoint and, where no exchange could be named, per host. Nothing when none was lost.
 */
import type { Report } from './model.js';

/** Thousands separated, as the run summary writes counts. */
function n(v: number): string {
  return v.toLocaleString('en-US');
}

export interface LossRow {
  /** The host, and method and path (both '' for bytes outside any exchange). */
  host: string;
  method: string;
  path: string;
  gapBytes: number;
  requests: number;
}

/** Endpoints, then hosts, that lost bytes; most bytes first. */
export function lossRows(r: Report): LossRow[] {
  const rows: LossRow[] = [];
  for (const e of r.endpoints) {
    if (e.gapBytes === 0) continue;
    rows.push({
      host: e.host, method: e.method, path: e.path, gapBytes: e.gapBytes, requests: e.requests,
    });
  }
  for (const h of r.hostLoss) {
    if (h.gapBytes > 0) rows.push({ ...h, method: '', path: '', requests: 0 });
  }
  return rows.sort((a, b) => b.gapBytes - a.gapBytes);
}

function headline(r: Report): string {
  const run = r.run === null ? '' : ` ${n(r.run.gapBytes)} in run ${r.run.id}, the latest;`;
  return `Capture loss (stream bytes the sensor never saw):${run} by endpoint or host, ` +
    'all runs:';
}

/** A short plain-text section for the table report. */
export function lossTextLines(r: Report, printable: (s: string) => string): string[] {
  const rows = lossRows(r);
  if (rows.length === 0 && (r.run === null || r.run.gapBytes === 0)) return [];
  const out = [headline(r)];
  for (const row of rows) {
    const what = row.method === ''
      ? `${printable(row.host)} (outside any exchange)`
      : `${printable(row.host)} ${printable(row.method)} ${printable(row.path)}`;
    out.push(`  ${what}  ${n(row.gapBytes)} bytes` +
      (row.requests > 0 ? ` over ${n(row.requests)} requests` : ''));
  }
  return out;
}

/** The same as a Markdown section. */
export function lossMarkdownLines(r: Report, cell: (s: string) => string): string[] {
  const rows = lossRows(r);
  if (rows.length === 0 && (r.run === null || r.run.gapBytes === 0)) return [];
  const out = ['## capture loss', '', headline(r), ''];
  if (rows.length > 0) {
    out.push('| host | method | path | bytes missing | requests |', '|---|---|---|---:|---:|');
    for (const row of rows) {
      const path = row.method === '' ? '(outside any exchange)' : `\`${cell(row.path)}\``;
      out.push(`| ${cell(row.host)} | ${cell(row.method)} | ${path} | ${row.gapBytes} | ` +
        `${row.method === '' ? '' : row.requests} |`);
    }
    out.push('');
  }
  return out;
}
