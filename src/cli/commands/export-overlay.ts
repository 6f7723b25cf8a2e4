/**
 * `shadowtap export overlay`: the endpoints reviewers accepted, as an OpenAPI 3.1
 * document to load beside the catalog. Other `export` subcommands share the parent
 * command: whichever registers first creates it, the others add to it.
 */
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { reportFromStore } from '../../report/from-store.js';
import { buildOverlay } from '../../report/overlay.js';
import { Store } from '../../store/db.js';
import { collect } from '../options.js';
import { writeResult } from '../output.js';
import { existsOrThrow } from './common.js';

interface OverlayOptions {
  db: string;
  catalog: string[];
  out?: string;
}

/** The `export` command, created when no other subcommand made it yet. */
export function exportCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'export') ??
    program.command('export').description('write what the database knows in other formats');
}

/** Registers `export overlay`. */
export function registerExportOverlay(program: Command): void {
  exportCommand(program)
    .command('overlay')
    .description('the endpoints accepted in review, as an OpenAPI 3.1 document for the catalog')
    .option('--db <file>', 'SQLite database', 'shadowtap.db')
    .option('--catalog <spec>',
      'catalog the verdicts are made against (default: the last replay\'s)', collect, [])
    .option('--out <file>', 'write the document to a file instead of stdout')
    .action(async (opts: OverlayOptions) => {
      existsOrThrow(opts.db, 'database');
      const catalog = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
      const store = Store.open(opts.db, { readonly: true });
      try {
        const { report, records } = reportFromStore(store, catalog, Date.now() / 1000);
        writeResult(JSON.stringify(buildOverlay(report, records), null, 2) + '\n', opts.out);
      } finally {
        store.close();
      }
    });
}
