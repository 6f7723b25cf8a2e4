/** `shadowtap alerts`: the abuse alerts in the database, as a table or JSON. */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { ShadowtapError } from '../../errors.js';
import { Store } from '../../store/db.js';
import type { AlertJson } from '../../store/alerts.js';
import { choiceOption } from '../options.js';
import { writeResult } from '../output.js';
import { existsOrThrow } from './common.js';

/** Output formats of `shadowtap alerts`. */
export const ALERT_FORMATS = ['table', 'json'] as const;

interface AlertsOptions {
  db: string;
  since?: number;
  format: (typeof ALERT_FORMATS)[number];
  out?: string;
}

/** `--since`: epoch seconds (a number) or an ISO 8601 date and time; a usage error otherwise. */
export function parseSince(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new ShadowtapError('usage',
      `--since takes epoch seconds or an ISO date (2024-06-05T10:00:00Z), not '${value}'`);
  }
  return ms / 1000;
}

function iso(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
}

// The table shows enough of a token to tell clients apart; the JSON keeps all of it.
function shortToken(client: string | null): string {
  if (client === null) return '-';
  return client.length > 24 ? client.slice(0, 23) + '…' : client;
}

/** The alerts as a compact table, one row each. */
export function renderAlertsTable(alerts: readonly AlertJson[]): string {
  if (alerts.length === 0) return 'No alerts.\n';
  const table = new Table({
    head: ['window (capture time)', 'detector', 'address', 'client', 'score', 'endpoints',
      'reasons'],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: true,
  });
  for (const a of alerts) {
    const seconds = Math.round((a.window.end - a.window.start) * 1000) / 1000;
    table.push([
      `${iso(a.window.start)} +${seconds}s`,
      a.detector,
      a.clientAddress,
      shortToken(a.client),
      `${Number(a.score.toFixed(3))} ≥ ${Number(a.threshold.toFixed(3))}`,
      a.endpoints.map((e) => `${e.method} ${e.host}${e.path}`).join('\n'),
      a.reasons.map((r) => `${r.feature} ${Number(r.value.toFixed(3))}`).join('\n'),
    ]);
  }
  return `Alerts: ${alerts.length}\n${table.toString()}\n`;
}

export function registerAlerts(program: Command): void {
  program
    .command('alerts')
    .description('list the abuse alerts raised by replays into the database')
    .option('--db <file>', 'SQLite database', 'shadowtap.db')
    .option('--since <time>',
      'only alerts whose window ends at or after this capture time (epoch seconds or ISO date)',
      parseSince)
    .option('--format <format>', `output format: ${ALERT_FORMATS.join(', ')}`,
      choiceOption('--format', ALERT_FORMATS), 'table')
    .option('--out <file>', 'write to a file instead of stdout')
    .action((opts: AlertsOptions) => {
      existsOrThrow(opts.db, 'database');
      const store = Store.open(opts.db, { readonly: true });
      try {
        const alerts = store.alertsSince(opts.since ?? -Infinity);
        const text = opts.format === 'json'
          ? JSON.stringify(alerts, null, 2) + '\n'
          : renderAlertsTable(alerts);
        writeResult(text, opts.out);
      } finally {
        store.close();
      }
    });
}
