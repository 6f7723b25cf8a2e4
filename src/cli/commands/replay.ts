/** `shadowtap replay`: capture files through the pipeline into the database, then the report. */
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { DEFAULT_LIMITS, limitsWith } from '../../config/limits.js';
import { log } from '../../log.js';
import { replay } from '../../pipeline/replay.js';
import { reportFromStore } from '../../report/from-store.js';
import { render, type ReportFormat } from '../../report/render.js';
import { runSummaryLines } from '../../report/summary.js';
import { Store } from '../../store/db.js';
import { loadOrCreateSecret } from '../../privacy/secret.js';
import { openCapture } from '../../source/open.js';
import { startProgress } from '../progress.js';
import { choiceOption, collect, FULL_SCAN_OPTION, intOption } from '../options.js';
import { writeResult } from '../output.js';
import { refuseSameFile } from '../paths.js';
import { REPORT_FORMATS } from './report.js';
import { abuseOptions, abuseSummaryLines } from '../abuse-options.js';
import { AlertsFile } from '../alerts-file.js';

interface ReplayCliOptions {
  catalog: string[];
  db: string;
  workers: number;
  exchanges?: string;
  force: boolean;
  format: ReportFormat;
  out?: string;
  report: boolean;
  secretFile?: string;
  abuse: boolean;
  model?: string;
  trustedProxy: string[];
  abuseTimeout: number;
  alertsJsonl?: string;
  fullScanEvery: number;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'replay pcap/pcapng files (optionally gzip-compressed) into the database and print ' +
        'the report',
    )
    .argument('<capture...>', 'capture files, read in the order given')
    .option('--catalog <spec>',
      'OpenAPI/Swagger file or folder, FILE@HOST[,HOST] binds it (repeatable)', collect, [])
    .option('--db <file>', 'SQLite database (created if missing)', 'shadowtap.db')
    .option('--workers <n>', 'flow worker threads; 0 runs in-process',
      intOption('--workers', 64), 2)
    .option('--exchanges <file>',
      'also write one JSON line per HTTP exchange (raw request lines; mode 0600)')
    .option('--force', 'replay files already replayed into this database', false)
    .option('--format <format>', `report format: ${REPORT_FORMATS.join(', ')}`,
      choiceOption('--format', REPORT_FORMATS), 'table')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--no-report', 'do not print the report after the replay')
    .option('--secret-file <file>', 'key for the tokens of personal data ' +
      '(default: ~/.config/shadowtap/secret, created on first use)')
    .option('--model <file>',
      'abuse model made by `shadowtap train` (default: fit one on the capture itself)')
    .option('--trusted-proxy <addr>',
      'proxy (IP or IPv4 CIDR) whose X-Forwarded-For names the client (repeatable)', collect, [])
    .option('--alerts-jsonl <file>', 'also append each abuse alert as one JSON line (mode 0600)')
    .option('--abuse-timeout <sec>', 'seconds to wait for abuse scoring at the end',
      intOption('--abuse-timeout', 86_400), DEFAULT_LIMITS.abuseDrainTimeoutSec)
    .option('--no-abuse', 'do not look for abuse (no alerts)')
    .option(...FULL_SCAN_OPTION)
    .action(async (captures: string[], opts: ReplayCliOptions) => {
      const limits = limitsWith({ fullScanEvery: opts.fullScanEvery });
      refuseSameFile([
        ...captures.map((c) => ({ what: 'a capture', path: c })),
        ...opts.catalog.map((c) => ({ what: '--catalog', path: c.replace(/@[^@/]*$/, '') })),
        { what: '--db', output: true, path: opts.db },
        { what: '--exchanges', output: true, path: opts.exchanges },
        { what: '--out', output: true, path: opts.out },
        { what: '--alerts-jsonl', output: true, path: opts.alertsJsonl },
        { what: '--secret-file', path: opts.secretFile },
        { what: '--model', path: opts.model },
      ]);
      // Every capture and the catalog are checked before anything is created, so a
      // mistake leaves no empty database or new secret behind.
      for (const c of captures) await openCapture(c, limits);
      const catalog = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
      const abuse = opts.abuse ? abuseOptions(opts, limits) : undefined;
      const alertsFile = opts.abuse && opts.alertsJsonl ? new AlertsFile(opts.alertsJsonl) : null;
      const secret = loadOrCreateSecret({ path: opts.secretFile, dbPath: opts.db });
      if (secret.created) log.info(`created the tokenisation secret ${secret.path} (mode 0600)`);
      const store = Store.open(opts.db);
      try {
        const started = performance.now();
        const progress = startProgress(process.stderr); // null unless stderr is a terminal
        const summary = await replay({
          files: captures,
          catalog: catalog ?? store.catalog(),
          store,
          workers: opts.workers,
          exchangesPath: opts.exchanges ?? null,
          force: opts.force,
          limits,
          secret: secret.secret,
          command: ['replay', ...captures].join(' '),
          ...(abuse !== undefined ? { abuse } : {}),
          ...(progress !== null ? { onProgress: (p) => progress.update(p) } : {}),
        }).finally(() => progress?.done());
        const seconds = (performance.now() - started) / 1000;
        for (const line of runSummaryLines(summary, seconds)) log.info(line);
        for (const line of abuseSummaryLines(summary.packetSeconds, summary.abuse ?? null)) {
          log.info(line);
        }
        if (alertsFile !== null && summary.runId !== null && summary.abuse) {
          alertsFile.append(summary.abuse.alerts, summary.runId);
        }
        if (opts.report) {
          const { report } = reportFromStore(store, catalog, Date.now() / 1000);
          const color = opts.out === undefined && process.stdout.isTTY === true;
          writeResult(render(report, opts.format, { color }), opts.out);
        }
      } finally {
        store.close();
        alertsFile?.close();
      }
    });
}
