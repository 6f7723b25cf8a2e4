/**
 * `shadowtap prune`: retention by hand. Endpoints last seen more than N days
 * before the latest capture time in the database go, with their schemas and
 * personal-data findings. Capture time, not the clock, so the same database
 * prunes the same way whenever it is run (STYLE 7).
 */
import type { Command } from 'commander';
import { log } from '../../log.js';
import { Store } from '../../store/db.js';
import { intOption } from '../options.js';
import { existsOrThrow } from './common.js';

const DAY_SECONDS = 86_400;

/** Registers `prune` on the program. */
export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description('delete endpoints last seen more than N days before the latest capture time')
    .option('--db <file>', 'SQLite database', 'shadowtap.db')
    .requiredOption(
      '--older-than-days <n>',
      'days of capture time to keep',
      intOption('--older-than-days', 100_000),
    )
    .action((opts: { db: string; olderThanDays: number }) => {
      existsOrThrow(opts.db, 'database');
      const store = Store.open(opts.db);
      try {
        const latest = store.latestCaptureTime();
        if (latest === null) {
          log.info(`${opts.db}: nothing captured yet; nothing to prune`);
          return;
        }
        const cutoff = latest - opts.olderThanDays * DAY_SECONDS;
        const pruned = store.pruneEndpoints(cutoff);
        log.info(
          `pruned ${pruned} endpoint(s) last seen before ` +
            `${new Date(cutoff * 1000).toISOString()} ` +
            `(${opts.olderThanDays} days before the latest capture, ` +
            `${new Date(latest * 1000).toISOString()})`,
        );
      } finally {
        store.close();
      }
    });
}
