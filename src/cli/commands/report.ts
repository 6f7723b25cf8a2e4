/** `shadowtap report`: the inventory in the database, classified against the catalog. */
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { buildReport } from '../../report/model.js';
import { render, type ReportFormat } from '../../report/render.js';
import { Store } from '../../store/db.js';
import { choiceOption, collect } from '../options.js';
import { writeResult } from '../output.js';
import { existsOrThrow } from './common.js';

export const REPORT_FORMATS = ['table', 'json', 'md'] as const;

interface ReportOptions {
  db: string;
  catalog: string[];
  format: ReportFormat;
  out?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('print the endpoint inventory with shadow, zombie and unseen operations')
    .option('--db <file>', 'SQLite database', 'shadowtap.db')
    .option('--catalog <spec>', 'OpenAPI/Swagger file or folder, FILE@HOST[,HOST] binds it (repeatable); default: the catalog of the last replay', collect, [])
    .option('--format <format>', `output format: ${REPORT_FORMATS.join(', ')}`, choiceOption('--format', REPORT_FORMATS), 'table')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .action(async (opts: ReportOptions) => {
      existsOrThrow(opts.db, 'database');
      const catalogGiven = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
      const store = Store.open(opts.db, { readonly: true });
      try {
        const catalog = catalogGiven ?? store.catalog();
        const report = buildReport(store.endpoints(), catalog, store.latestRun(), Date.now() / 1000);
        const color = opts.out === undefined && process.stdout.isTTY === true;
        writeResult(render(report, opts.format, { color }), opts.out);
      } finally {
        store.close();
      }
    });
}
