/**
 * The report's view of hosts seen over TLS: what the sensor could name (the
 * SNI) but not inspect, and whether the catalog covers them.
 */
import type { Catalog } from '../catalog/types.js';
import { normaliseHost } from '../catalog/servers.js';
import type { EncryptedHost } from '../tls/hosts.js';

/** One host seen over TLS, as the JSON report lists it under `encrypted`. */
export interface ReportEncrypted extends EncryptedHost {
  /** known-host when the catalog covers the host, else unknown-host. */
  status: 'known-host' | 'unknown-host';
}

/**
 * Rows for the stored TLS hosts. A host is known when a spec names it (servers or
 * FILE@HOST) or when plaintext endpoints on it were bound to the catalog (their
 * verdict is not unknown-host), the same binding as src/catalog/verdict.ts.
 * LIMITATION: a spec bound to hosts by traffic alone (no usable server host) makes a
 * host known only when some of its plaintext traffic matched; TLS-only hosts stay unknown.
 */
export function encryptedRows(
  hosts: readonly EncryptedHost[],
  catalog: Catalog | null,
  endpoints: ReadonlyArray<{ host: string; status: string }>,
): ReportEncrypted[] {
  const known = new Set<string>();
  for (const op of catalog?.operations ?? []) {
    for (const h of [...op.hosts, ...op.boundHosts]) known.add(normaliseHost(h));
  }
  for (const e of endpoints) if (e.status !== 'unknown-host') known.add(normaliseHost(e.host));
  return hosts.map((h) => ({
    host: h.host,
    flows: h.flows,
    bytes: h.bytes,
    alpn: [...h.alpn],
    firstSeen: h.firstSeen,
    lastSeen: h.lastSeen,
    status: known.has(normaliseHost(h.host)) ? 'known-host' : 'unknown-host',
  }));
}

/** A short plain-text section for the table report; nothing when no TLS host was seen. */
export function encryptedTextLines(rows: readonly ReportEncrypted[]): string[] {
  if (rows.length === 0) return [];
  const out = [`Hosts seen over TLS (not inspected): ${rows.length}`];
  for (const r of rows) {
    out.push(`  ${r.status.padEnd(12)} ${r.host}  ${r.flows} flows, ${r.bytes} bytes` +
      (r.alpn.length > 0 ? `, alpn ${r.alpn.join(',')}` : ''));
  }
  return out;
}

/** The same as a Markdown section. */
export function encryptedMarkdownLines(
  rows: readonly ReportEncrypted[],
  cell: (s: string) => string,
): string[] {
  if (rows.length === 0) return [];
  const out = [`## encrypted (${rows.length})`, '',
    'Hosts seen over TLS, named by the ClientHello (SNI); their traffic is not inspected.',
    '', '| status | host | flows | bytes | alpn |', '|---|---|---:|---:|---|'];
  for (const r of rows) {
    out.push(`| ${r.status} | ${cell(r.host)} | ${r.flows} | ${r.bytes} | ` +
      `${cell(r.alpn.join(', '))} |`);
  }
  out.push('');
  return out;
}
