#!/usr/bin/env node
/**
 * The shadowtap command line. The one place that turns errors into exit codes:
 * operator mistakes print one line and exit 1 (2 for usage); nothing else in the
 * code calls process.exit.
 */
import { Command, CommanderError } from 'commander';
import { exitCodeFor, isShadowtapError } from '../errors.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerExport } from './commands/export.js';
import { registerExportOverlay } from './commands/export-overlay.js';
import { registerServe } from './commands/serve.js';
import { registerCapture } from './commands/capture.js';
import { registerInterfaces } from './commands/interfaces.js';
import { registerPrune } from './commands/prune.js';
import { registerAlerts } from './commands/alerts.js';
import { registerTrain } from './commands/train.js';

function fail(message: string, code: number): never {
  process.stderr.write(`shadowtap: ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('shadowtap')
    .description(
      'passive sensor that finds the HTTP APIs your traffic shows and your catalog does not',
    )
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // Usage mistakes read like every other error: one line, named after us.
      outputError: (s, write) =>
        write(`shadowtap: ${s.replace(/^error: /, '').trim()} (see shadowtap --help)\n`),
    });
  registerReplay(program);
  registerReport(program);
  registerExport(program);
  registerExportOverlay(program);
  registerServe(program);
  registerInterfaces(program);
  registerCapture(program);
  registerPrune(program);
  registerAlerts(program);
  registerTrain(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end here with status 0; usage mistakes were already printed.
      process.exit(e.exitCode === 0 ? 0 : 2);
    }
    if (isShadowtapError(e)) fail(e.message, exitCodeFor(e.code));
    const why = e instanceof Error ? e.message : String(e);
    if (process.env.SHADOWTAP_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    fail(`internal error: ${why} (set SHADOWTAP_DEBUG=1 for details)`, 70);
  }
}

// Benchmarks (bench/run.ts) read peak memory and CPU time, worker threads included,
// from one JSON line this hidden switch writes to stderr as the process exits.
if (process.env.SHADOWTAP_REPORT_RUSAGE === '1') {
  process.on('exit', () => process.stderr.write(`${JSON.stringify(process.resourceUsage())}\n`));
}
await main(process.argv);
