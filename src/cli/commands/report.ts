/** `shadowtap report`: the inventory in the database, classified against the catalog. */
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { limitsWith } from '../../config/limits.js';
import { ShadowtapError } from '../../errors.js';
import { log } from '../../log.js';
import { FINDING_KINDS, untriagedFindings, type FindingKind } from '../../report/findings.js';
import { pageFromStore, reportFromStore } from '../../report/from-store.js';
import { renderPage } from '../../report/html/page.js';
import { render, type ReportFormat } from '../../report/render.js';
import { renderSarif } from '../../report/sarif.js';
import { Store } from '../../store/db.js';
import { choiceOption, collect } from '../options.js';
import { writeResult } from '../output.js';
import { refuseSameFile } from '../paths.js';
import { existsOrThrow } from './common.js';

/** Formats every command that prints a report understands. */
export const REPORT_FORMATS = ['table', 'json', 'md'] as const;
/** Formats of `report` alone: they need the database beside the report. */
const REVIEW_FORMATS = [...REPORT_FORMATS, 'html', 'sarif'] as const;
type ReviewFormat = (typeof REVIEW_FORMATS)[number];

/** Exit status when `--fail-on` finds untriaged findings (README: exit status). */
export const EXIT_FINDINGS = 3;

interface ReportOptions {
  db: string;
  catalog: string[];
  format: ReviewFormat;
  out?: string;
  failOn?: FindingKind[];
}

function kindsOption(value: string): FindingKind[] {
  const words = value.split(',').map((w) => w.trim()).filter((w) => w !== '');
  for (const w of words) {
    if (!(FINDING_KINDS as readonly string[]).includes(w)) {
      throw new ShadowtapError('usage',
        `--fail-on takes finding kinds from ${FINDING_KINDS.join(', ')}, not '${w}'`);
    }
  }
  return words as FindingKind[];
}

/** Registers `report`. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('print the endpoint inventory with shadow, zombie and unseen operations')
    .option('--db <file>', 'SQLite database', 'shadowtap.db')
    .option('--catalog <spec>', 'OpenAPI/Swagger file or folder, FILE@HOST[,HOST] binds it ' +
      '(repeatable); default: the catalog of the last replay', collect, [])
    .option('--format <format>', `output format: ${REVIEW_FORMATS.join(', ')}`,
      choiceOption('--format', REVIEW_FORMATS), 'table')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <kinds>', `exit with status ${EXIT_FINDINGS} when untriaged findings of ` +
      `these kinds exist (${FINDING_KINDS.join(',')})`, kindsOption)
    .action(async (opts: ReportOptions) => {
      existsOrThrow(opts.db, 'database');
      refuseSameFile([
        { what: '--db', output: true, path: opts.db },
        ...opts.catalog.map((c) => ({ what: '--catalog', path: c.replace(/@[^@/]*$/, '') })),
        { what: '--out', output: true, path: opts.out },
      ]);
      const catalogGiven = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
      const store = Store.open(opts.db, { readonly: true });
      const now = Date.now() / 1000;
      try {
        const page = opts.format !== 'html' ? null : pageFromStore(store, catalogGiven,
          { now, mode: 'file', canTriage: false, limits: limitsWith() });
        const report = page?.report ?? reportFromStore(store, catalogGiven, now).report;
        let text: string;
        if (page !== null) {
          text = renderPage({ mode: 'file', data: page });
        } else if (opts.format === 'sarif') {
          text = renderSarif(report);
        } else {
          const color = opts.out === undefined && process.stdout.isTTY === true;
          text = render(report, opts.format as ReportFormat, { color });
        }
        writeResult(text, opts.out);
        if (opts.failOn !== undefined && opts.failOn.length > 0) {
          const open = untriagedFindings(report.endpoints, new Set(opts.failOn));
          if (open.length > 0) {
            log.warn(`${open.length} endpoint(s) with untriaged ${opts.failOn.join('/')} ` +
              `findings (exit status ${EXIT_FINDINGS})`);
            // A gate, not an error: the report was written in full. main() leaves a set
            // exit code alone when the command returns.
            process.exitCode = EXIT_FINDINGS;
          }
        }
      } finally {
        store.close();
      }
    });
}
