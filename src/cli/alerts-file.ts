/**
 * `replay --alerts-jsonl FILE`: each alert appended as one JSON line (the shape of
 * `shadowtap alerts --format json`), for a SIEM agent tailing the file. Alerts hold
 * no raw request data, but they do say who is suspected of what, so the file is
 * kept private (mode 0600) like the exchanges file.
 */
import { closeSync, writeSync } from 'node:fs';
import type { Alert } from '../abuse/alerts.js';
import { openPrivateFile } from '../privacy/private-file.js';
import { alertJson } from '../store/alerts.js';

/** An alerts file opened for appending; opened before the replay so a bad path fails early. */
export class AlertsFile {
  private readonly fd: number;

  constructor(readonly path: string) {
    this.fd = openPrivateFile(path, 'append', 'alerts file');
  }

  /** Appends the alerts of run `run`, one line each, in one write. */
  append(alerts: readonly Alert[], run: number): void {
    if (alerts.length === 0) return;
    writeSync(this.fd, alerts.map((a) => JSON.stringify(alertJson(a, run)) + '\n').join(''));
  }

  close(): void {
    closeSync(this.fd);
  }
}
