/**
 * `shadowtap train`: fits an abuse model on captures taken as a clean baseline
 * and saves it for `replay --model`. The captures go through the same pipeline as
 * a replay, into a throw-away in-memory database, so the user's database is not
 * touched; principals are tokenised under a throw-away key, since the model keeps
 * no client names, only the shape of their behaviour.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { parseTrustedProxies } from '../../abuse/identity.js';
import { saveModelFile } from '../../abuse/model-file.js';
import { loadCatalog } from '../../catalog/load.js';
import { DEFAULT_LIMITS, limitsWith } from '../../config/limits.js';
import { ShadowtapError } from '../../errors.js';
import { log } from '../../log.js';
import { SECRET_BYTES } from '../../privacy/secret.js';
import { replay } from '../../pipeline/replay.js';
import { Store } from '../../store/db.js';
import { collect, intOption } from '../options.js';

interface TrainOptions {
  model: string;
  seed?: number;
  window: number;
  catalog: string[];
  workers: number;
  trustedProxy: string[];
  abuseTimeout: number;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('fit an abuse model on captures of ordinary traffic, for replay --model')
    .argument('<capture...>', 'capture files taken as the baseline, read in the order given')
    .requiredOption('--model <file>', 'where to save the model (JSON), e.g. models/NAME.json')
    .option('--seed <n>', 'seed of the forest: the same captures and seed give the same model',
      intOption('--seed', 2 ** 32 - 1))
    .option('--window <sec>',
      'preferred window length in capture seconds (short captures use shorter ones)',
      intOption('--window', 86_400), 60)
    .option('--catalog <spec>',
      'OpenAPI/Swagger file or folder; requests outside it count as shadow (repeatable)',
      collect, [])
    .option('--workers <n>', 'flow worker threads; 0 runs in-process',
      intOption('--workers', 64), 2)
    .option('--trusted-proxy <addr>',
      'proxy (IP or IPv4 CIDR) whose X-Forwarded-For names the client (repeatable)', collect, [])
    .option('--abuse-timeout <sec>', 'seconds to wait for the training at the end',
      intOption('--abuse-timeout', 86_400), DEFAULT_LIMITS.abuseDrainTimeoutSec)
    .action(async (captures: string[], opts: TrainOptions) => {
      if (opts.window < 1) throw new ShadowtapError('usage', '--window takes at least 1 second');
      const limits = limitsWith();
      const trustedProxies = parseTrustedProxies(opts.trustedProxy);
      const catalog = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
      const store = Store.open(':memory:');
      try {
        const summary = await replay({
          files: captures, catalog, store, workers: opts.workers, exchangesPath: null,
          force: true, limits, secret: randomBytes(SECRET_BYTES),
          command: ['train', ...captures].join(' '),
          abuse: {
            model: null, trustedProxies, timeoutSec: opts.abuseTimeout,
            train: {
              windowSec: opts.window, ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
            },
          },
        });
        const outcome = summary.abuse;
        if (!outcome?.scored || outcome.fitted === null) {
          const why = outcome?.notScored ?? 'no exchanges';
          throw new ShadowtapError('usage', `train: no model: ${why}`);
        }
        const model = outcome.fitted;
        mkdirSync(dirname(opts.model), { recursive: true });
        saveModelFile(opts.model, model);
        log.info(
          `trained ${opts.model}: ${model.training.rows.toLocaleString('en-US')} client-windows ` +
            `of ${model.training.windowSec} s from ${outcome.events.toLocaleString('en-US')} ` +
            `exchanges, ${model.trees.length} trees, threshold ${model.threshold.toFixed(4)}, ` +
            `seed ${model.seed}`,
        );
      } finally {
        store.close();
      }
    });
}
