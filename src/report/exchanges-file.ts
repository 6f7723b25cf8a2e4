/**
 * The opt-in `--exchanges` file: one JSON line per HTTP exchange, for checking
 * against other tools. It is the one output that holds raw request lines, so it is
 * created with mode 0600.
 */
import { closeSync, writeSync } from 'node:fs';
import { openPrivateFile } from '../privacy/private-file.js';
import type { ExchangeSummary } from '../pipeline/messages.js';

/** `ip:port`, IPv6 in brackets (RFC 3986 host syntax). */
export function endpointString(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** One line of the exchanges file. */
export function exchangeLine(ex: ExchangeSummary): string {
  return JSON.stringify({
    ts: ex.ts,
    client: endpointString(ex.clientIp, ex.clientPort),
    server: endpointString(ex.serverIp, ex.serverPort),
    method: ex.method,
    host: ex.host,
    uri: ex.uri,
    status: ex.status,
  });
}

/** Appends exchange lines to a file created (or truncated) with mode 0600. */
export class ExchangesFile {
  private readonly fd: number;
  private pending: string[] = [];
  count = 0;

  constructor(readonly path: string) {
    this.fd = openPrivateFile(path, 'truncate', 'exchanges file');
  }

  write(ex: ExchangeSummary): void {
    this.pending.push(exchangeLine(ex));
    this.count++;
    if (this.pending.length >= 1024) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join('\n') + '\n');
    this.pending = [];
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
