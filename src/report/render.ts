/**
 * Renders a Report as a terminal table, Markdown or JSON. Results go to stdout or a
 * file; nothing here writes diagnostics.
 */
import Table from 'cli-table3';
import type { Report, ReportEndpoint } from './model.js';
import { STATUS_ORDER } from './model.js';
import { encryptedMarkdownLines, encryptedTextLines } from './encrypted.js';
import { lossMarkdownLines, lossTextLines } from './loss.js';

export type ReportFormat = 'table' | 'json' | 'md';

/** No rule between rows: a long inventory stays readable. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function codes(e: ReportEndpoint): string {
  const parts = Object.entries(e.statusCodes)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([c, n]) => `${c}×${n}`);
  if (e.noResponse > 0) parts.push(`none×${e.noResponse}`);
  return parts.join(' ');
}

function isoTime(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Endpoints grouped by status (STATUS_ORDER), each group in the report's own order:
 * risk first, then host, path and method. The sort is stable, so that order holds.
 */
export function byStatusGroup(endpoints: readonly ReportEndpoint[]): ReportEndpoint[] {
  return [...endpoints].sort(
    (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
  );
}

function riskCell(e: ReportEndpoint): string {
  return `${e.risk.level} ${e.risk.score}`;
}

function countsLine(r: Report): string {
  return STATUS_ORDER.map((s) => `${r.counts[s]} ${s}`).join(', ');
}

/** The report as JSON; field names are a documented contract (README). */
export function renderJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/** The report as a terminal table, shadow and zombie endpoints first, by risk inside. */
export function renderTable(r: Report, options: { color?: boolean } = {}): string {
  const out: string[] = [];
  // On a first run everything is new; the mark only helps once there is history.
  const markNew = r.endpoints.some((e) => !e.new);
  out.push(`Endpoints: ${r.endpoints.length} (${countsLine(r)})`);
  if (r.catalog.length === 0) out.push('No catalog given: every host is unknown-host.');
  const table = new Table({
    head: ['status', 'risk', 'host', 'method', 'path', 'requests', 'responses', 'auth'],
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] },
    chars: COMPACT,
    wordWrap: true,
  });
  for (const e of byStatusGroup(r.endpoints)) {
    table.push([
      e.status + (markNew && e.new ? ' (new)' : ''),
      riskCell(e),
      printable(e.host),
      printable(e.method),
      printable(e.path),
      String(e.requests),
      codes(e),
      e.auth.join(','),
    ]);
  }
  out.push(table.toString());
  if (r.unseen.length > 0) {
    out.push(`Catalog operations never seen in traffic: ${r.unseen.length}`);
    const t = new Table({
      head: ['host', 'method', 'path', 'operationId'],
      style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] },
      chars: COMPACT,
    });
    for (const u of r.unseen) {
      t.push([printable(u.host ?? '(any)'), u.method, printable(u.path), u.operationId ?? '']);
    }
    out.push(t.toString());
  }
  out.push(...encryptedTextLines(r.encrypted));
  out.push(...lossTextLines(r, printable));
  return out.join('\n') + '\n';
}

/**
 * Text that came off the wire (hosts, paths, methods) with control characters shown
 * as \xHH: an escape sequence in a Host header must not reach the operator's terminal.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function mdCell(s: string): string {
  return printable(s).replace(/\|/g, '\\|');
}

/** The report as Markdown, for tickets and pull requests. */
export function renderMarkdown(r: Report): string {
  const out: string[] = ['# shadowtap report', ''];
  if (r.run !== null && r.run.captureFirst !== null && r.run.captureLast !== null) {
    out.push(`Latest run ${r.run.id}: traffic from ${isoTime(r.run.captureFirst)} ` +
      `to ${isoTime(r.run.captureLast)}.`, '');
  }
  out.push(`Catalog: ${r.catalog.length > 0 ? r.catalog.map(mdCell).join(', ') : 'none'}.`, '');
  out.push(`**${r.endpoints.length} endpoints**: ${countsLine(r)}.`, '');
  for (const status of STATUS_ORDER) {
    const rows = r.endpoints.filter((e) => e.status === status);
    if (rows.length === 0) continue;
    out.push(`## ${status} (${rows.length})`, '');
    out.push('| risk | host | method | path | requests | responses | auth | first seen | ' +
      'last seen | why |');
    out.push('|---|---|---|---|---:|---|---|---|---|---|');
    for (const e of rows) {
      out.push(
        `| ${riskCell(e)} | ${mdCell(e.host)} | ${mdCell(e.method)} | ` +
          `\`${mdCell(e.path)}\`${e.new ? ' (new)' : ''} | ` +
          `${e.requests} | ${codes(e)} | ${e.auth.join(', ')} | ${isoTime(e.firstSeen)} | ` +
          `${isoTime(e.lastSeen)} | ${mdCell(e.risk.reasons.join('; '))} |`,
      );
    }
    out.push('');
  }
  if (r.unseen.length > 0) {
    out.push(`## unseen catalog operations (${r.unseen.length})`, '');
    out.push('| host | method | path | operationId |', '|---|---|---|---|');
    for (const u of r.unseen) {
      out.push(`| ${mdCell(u.host ?? '(any)')} | ${u.method} | \`${mdCell(u.path)}\` | ` +
        `${mdCell(u.operationId ?? '')} |`);
    }
    out.push('');
  }
  out.push(...encryptedMarkdownLines(r.encrypted, mdCell));
  out.push(...lossMarkdownLines(r, mdCell));
  return out.join('\n');
}

export function render(r: Report, format: ReportFormat, options: { color?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return renderJson(r);
    case 'md':
      return renderMarkdown(r);
    case 'table':
      return renderTable(r, options);
  }
}
