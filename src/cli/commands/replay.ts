/** `shadowtap replay`: capture files through the pipeline into the database, then the report. */
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { limitsWith } from '../../config/limits.js';
import { log } from '../../log.js';
import { replay } from '../../pipeline/replay.js';
import { buildReport } from '../../report/model.js';
import { render, type ReportFormat } from '../../report/render.js';
import { runSummaryLines } from '../../report/summary.js';
import { Store } from '../../store/db.js';
import { loadOrCreateSecret } from '../../privacy/secret.js';
import { startProgress } from '../progress.js';
import { choiceOption, collect, intOption } from '../options.js';
import { writeResult } from '../output.js';
import { REPORT_FORMATS } from './report.js';

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
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay pcap/pcapng files (optionally gzip-compressed) into the database and print the report')
    .argument('<capture...>', 'capture files, read in the order given')
    .option('--catalog <spec>', 'OpenAPI/Swagger file or folder, FILE@HOST[,HOST] binds it (repeatable)', collect, [])
    .option('--db <file>', 'SQLite database (created if missing)', 'shadowtap.db')
    .option('--workers <n>', 'flow worker threads; 0 runs in-process', intOption('--workers', 64), 2)
    .option('--exchanges <file>', 'also write one JSON line per HTTP exchange (raw request lines; mode 0600)')
    .option('--force', 'replay files already replayed into this database', false)
    .option('--format <format>', `report format: ${REPORT_FORMATS.join(', ')}`, choiceOption('--format', REPORT_FORMATS), 'table')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--no-report', 'do not print the report after the replay')
    .option('--secret-file <file>', 'key for the tokens of personal data (default: ~/.config/shadowtap/secret, created on first use)')
    .action(async (captures: string[], opts: ReplayCliOptions) => {
      const catalog = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
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
          limits: limitsWith(),
          secret: secret.secret,
          command: ['replay', ...captures].join(' '),
          ...(progress !== null ? { onProgress: (p) => progress.update(p) } : {}),
        }).finally(() => progress?.done());
        const seconds = (performance.now() - started) / 1000;
        for (const line of runSummaryLines(summary, seconds)) log.info(line);
        if (opts.report) {
          const report = buildReport(
            store.endpoints(),
            catalog ?? store.catalog(),
            store.latestRun(),
            Date.now() / 1000,
            store.triage(),
          );
          const color = opts.out === undefined && process.stdout.isTTY === true;
          writeResult(render(report, opts.format, { color }), opts.out);
        }
      } finally {
        store.close();
      }
    });
}
