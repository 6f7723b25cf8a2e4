/** `shadowtap serve`: the review UI over the database, with triage, until interrupted. */
import type { Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { limitsWith } from '../../config/limits.js';
import { log } from '../../log.js';
import { startServer } from '../../serve/server.js';
import { Store } from '../../store/db.js';
import { collect, intOption } from '../options.js';
import { existsOrThrow } from './common.js';

interface ServeCliOptions {
  db: string;
  catalog: string[];
  port: number;
  host: string;
  token?: string;
  readOnly: boolean;
}

/** Registers `serve`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('review UI in the browser: the report live, with triage stored in the database')
    .option('--db <file>', 'SQLite database', 'shadowtap.db')
    .option('--catalog <spec>', 'OpenAPI/Swagger file or folder, FILE@HOST[,HOST] binds it ' +
      '(repeatable); default: the catalog of the last replay', collect, [])
    .option('--port <n>', 'TCP port (0 picks a free one)', intOption('--port', 65535), 8080)
    .option('--host <address>', 'address to listen on; other than loopback needs --token',
      '127.0.0.1')
    .option('--token <token>',
      'required in the X-Shadowtap-Token header of every API call (env SHADOWTAP_TOKEN)')
    .option('--read-only', 'show the views, refuse triage', false)
    .action(async (opts: ServeCliOptions) => {
      existsOrThrow(opts.db, 'database');
      const catalog = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
      const token = opts.token ?? process.env.SHADOWTAP_TOKEN ?? null;
      const store = Store.open(opts.db, { readonly: opts.readOnly });
      try {
        const running = await startServer({
          store, catalog, limits: limitsWith(), host: opts.host, port: opts.port,
          token: token === '' ? null : token, readOnly: opts.readOnly,
        });
        // The token goes in the fragment, which browsers never send to a server.
        const open = token ? `${running.url}#token=${encodeURIComponent(token)}` : running.url;
        log.info(`serving ${opts.db} at ${open}${opts.readOnly ? ' (read-only)' : ''}; ` +
          'Ctrl-C stops');
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void running.close().then(resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      } finally {
        store.close();
      }
    });
}
