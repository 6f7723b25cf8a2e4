/** `shadowtap export openapi`: the traffic in the database as an OpenAPI 3.1 document. */
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { buildOpenApi } from '../../report/openapi.js';
import { Store } from '../../store/db.js';
import { collect } from '../options.js';
import { writeResult } from '../output.js';
import { existsOrThrow } from './common.js';

interface ExportOptions {
  db: string;
  catalog: string[];
  out?: string;
}

/** Registers `export openapi` (and `export` itself when no other subcommand made it). */
export function registerExport(program: Command): void {
  // Other `export` subcommands may have made the parent already: share it.
  const exp = program.commands.find((c) => c.name() === 'export') ??
    program.command('export').description('write what the traffic shows in another format');
  exp
    .command('openapi')
    .description('an OpenAPI 3.1 document of the endpoints seen (types and names, never values)')
    .option('--db <file>', 'SQLite database', 'shadowtap.db')
    .option('--catalog <spec>',
      'catalog for x-shadowtap-status (repeatable); default: the catalog of the last replay',
      collect, [])
    .option('--out <file>', 'write the document to a file instead of stdout')
    .action(async (opts: ExportOptions) => {
      existsOrThrow(opts.db, 'database');
      const catalogGiven = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
      const store = Store.open(opts.db, { readonly: true });
      try {
        const doc = buildOpenApi(store.endpoints(), catalogGiven ?? store.catalog());
        writeResult(JSON.stringify(doc, null, 2) + '\n', opts.out);
      } finally {
        store.close();
      }
    });
}
