/**
 * `shadowtap capture`: a live capture into the database, checkpointed every
 * interval, until --duration, SIGINT or SIGTERM. The first signal finishes cleanly
 * (flows closed, last checkpoint written, exit 0); a second one exits at once.
 * Abuse alerts are raised as it goes (capture-abuse.ts).
 */
import { Option, type Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { DEFAULT_LIMITS, limitsWith } from '../../config/limits.js';
import { ShadowtapError } from '../../errors.js';
import { log } from '../../log.js';
import { LiveAbuse, type LiveAbuseOptions } from '../../pipeline/abuse-live.js';
import { CaptureRun } from '../../pipeline/capture.js';
import { intervalLine } from '../../pipeline/capture-stats.js';
import { loadOrCreateSecret } from '../../privacy/secret.js';
import { runSummaryLines } from '../../report/summary.js';
import { openLive } from '../../source/live.js';
import { Store } from '../../store/db.js';
import { AlertsFile } from '../alerts-file.js';
import {
  CAPTURE_ABUSE_HELP, captureAbuseLine, captureAbuseOptions, type CaptureAbuseValues,
} from '../capture-abuse.js';
import { durationOption } from '../duration.js';
import { collect, FULL_SCAN_OPTION, intOption } from '../options.js';
import { refuseSameFile } from '../paths.js';
import { dropPrivileges, lookupUser } from '../privileges.js';

interface CaptureCliOptions extends CaptureAbuseValues {
  interface: string;
  filter: string;
  catalog: string[];
  db: string;
  flushEvery: number;
  duration?: number;
  exchanges?: string;
  workers: number;
  bufferSize: number;
  snaplen: number;
  user?: string;
  retentionDays?: number;
  secretFile?: string;
  alertsJsonl?: string;
  fullScanEvery: number;
}

const MIB = 1 << 20;
// libpcap's own ceiling on the snap length (MAXIMUM_SNAPLEN in pcap-int.h).
const MAX_SNAPLEN = 262_144;
// Below this not even Ethernet, IPv6 and TCP headers fit.
const MIN_SNAPLEN = 128;

function snaplenOption(value: string): number {
  const n = intOption('--snaplen', MAX_SNAPLEN)(value);
  if (n < MIN_SNAPLEN) {
    throw new ShadowtapError('usage', `--snaplen takes ${MIN_SNAPLEN} to ${MAX_SNAPLEN}, not ${n}`);
  }
  return n;
}

// A sensor that prunes what it saw today is a mistake, not a policy: at least a day.
function retentionOption(value: string): number {
  const n = intOption('--retention-days', 100_000)(value);
  if (n < 1) throw new ShadowtapError('usage', `--retention-days takes 1 or more, not ${n}`);
  return n;
}

/** Registers `capture` on the program. */
export function registerCapture(program: Command): void {
  program
    .command('capture')
    .description(
      'capture live traffic from an interface into the database (passive: never transmits)',
    )
    .requiredOption('--interface <name>', 'device to capture on (see shadowtap interfaces)')
    .option('--filter <bpf>', 'BPF filter expression, compiled by libpcap (pcap-filter(7))', '')
    .option(
      '--catalog <spec>',
      'OpenAPI/Swagger file or folder, FILE@HOST[,HOST] binds it (repeatable)',
      collect,
      [],
    )
    .option(
      '--db <file>',
      'SQLite database (created if missing, and opened before privileges are dropped)',
      'shadowtap.db',
    )
    .addOption(
      new Option('--flush-every <duration>', 'write to the database and print stats this often')
        .argParser(durationOption('--flush-every', 1))
        .default(10_000, '10s'),
    )
    .option(
      '--duration <duration>',
      'stop after this long (30s, 10m, 1h, 2d)',
      durationOption('--duration', 1),
    )
    .option(
      '--exchanges <file>',
      'also write one JSON line per HTTP exchange (raw request lines; mode 0600)',
    )
    .option(
      '--workers <n>', 'flow worker threads; 0 runs in-process', intOption('--workers', 64), 2,
    )
    .option(
      '--buffer-size <MiB>',
      'libpcap kernel buffer',
      intOption('--buffer-size', 4096),
      DEFAULT_LIMITS.liveBufferBytes / MIB,
    )
    .option(
      '--snaplen <bytes>',
      'bytes kept of each packet',
      snaplenOption,
      DEFAULT_LIMITS.liveSnapLength,
    )
    .option('--user <name>', 'drop root for this user once the capture and database are open')
    .option(...FULL_SCAN_OPTION)
    .option(
      '--retention-days <n>',
      'prune endpoints last seen (capture time) more than N days ago, at every checkpoint',
      retentionOption,
    )
    .option(
      '--secret-file <file>',
      'key for the tokens of personal data (default: ~/.config/shadowtap/secret)',
    )
    .option('--model <file>', CAPTURE_ABUSE_HELP.model)
    .option('--train-for <duration>', CAPTURE_ABUSE_HELP.trainFor,
      durationOption('--train-for', 1))
    .option('--seed <n>', 'seed of the model --train-for fits', intOption('--seed', 2 ** 32 - 1))
    .option('--trusted-proxy <addr>',
      'proxy (IP or IPv4 CIDR) whose X-Forwarded-For names the client (repeatable)', collect, [])
    .option('--alerts-jsonl <file>', 'also append each abuse alert as one JSON line (mode 0600)')
    .option('--abuse-timeout <sec>', 'seconds to wait for abuse scoring when the capture stops',
      intOption('--abuse-timeout', 86_400), DEFAULT_LIMITS.abuseDrainTimeoutSec)
    .option('--no-abuse', 'do not look for abuse (no alerts)')
    .addHelpText('after', `\nAbuse alerts: ${CAPTURE_ABUSE_HELP.none}.`)
    .action(async (opts: CaptureCliOptions) => {
      const limits = limitsWith({
        liveSnapLength: opts.snaplen,
        liveBufferBytes: Math.max(1, opts.bufferSize) * MIB,
        fullScanEvery: opts.fullScanEvery,
      });
      if (opts.user !== undefined) lookupUser(opts.user); // a typo fails before anything opens
      refuseSameFile([
        { what: '--db', output: true, path: opts.db },
        { what: '--exchanges', output: true, path: opts.exchanges },
        { what: '--alerts-jsonl', output: true, path: opts.alertsJsonl },
        { what: '--model', output: opts.trainFor !== undefined, makesFolder: true,
          path: opts.model },
        { what: '--secret-file', path: opts.secretFile },
      ]);
      const catalog = opts.catalog.length > 0 ? await loadCatalog(opts.catalog) : null;
      const abuse = captureAbuseOptions(opts, limits); // a bad model fails before the capture
      // The capture opens first: a wrong interface, filter or missing privilege is
      // reported before any file is created.
      const source = await openLive({
        interface: opts.interface,
        filter: opts.filter,
        snapLength: limits.liveSnapLength,
        bufferBytes: limits.liveBufferBytes,
        limits,
      });
      let store: Store | null = null;
      let alertsFile: AlertsFile | null = null;
      let liveAbuse: LiveAbuse | null = null;
      try {
        alertsFile = abuse !== null && opts.alertsJsonl !== undefined
          ? new AlertsFile(opts.alertsJsonl) : null;
        const secret = loadOrCreateSecret({ path: opts.secretFile, dbPath: opts.db });
        if (secret.created) log.info(`created the tokenisation secret ${secret.path} (mode 0600)`);
        store = Store.open(opts.db);
        liveAbuse = abuse === null ? null : new LiveAbuse(withAlertsFile(abuse, alertsFile));
        const run = new CaptureRun({
          source,
          interface: opts.interface,
          store,
          catalog: catalog ?? store.catalog(),
          limits,
          workers: opts.workers,
          exchangesPath: opts.exchanges ?? null,
          secret: secret.secret,
          command: ['capture', ...process.argv.slice(3)].join(' '),
          flushEveryMs: opts.flushEvery,
          retentionDays: opts.retentionDays ?? null,
          onInterval: (s) => log.info(intervalLine(s)),
          ...(liveAbuse !== null ? { abuse: liveAbuse } : {}),
        });
        if (opts.user !== undefined) {
          const files = [opts.db, `${opts.db}-wal`, `${opts.db}-shm`];
          if (opts.exchanges !== undefined) files.push(opts.exchanges);
          if (alertsFile !== null) files.push(alertsFile.path);
          if (opts.trainFor !== undefined && opts.model !== undefined) files.push(opts.model);
          dropPrivileges(opts.user, files);
          log.info(`running as ${opts.user}: the capture handle and ${opts.db} were opened first`);
        }
        const ready = `capturing on ${opts.interface}` +
          (opts.filter === '' ? '' : ` (filter '${opts.filter}')`) +
          `, snap length ${limits.liveSnapLength}; checkpoint every ${opts.flushEvery / 1000} s`;
        await runUntilStopped(run, opts.duration, opts.interface, liveAbuse, ready);
      } catch (e) {
        source.stop(); // no capture left open behind a failure (a no-op once stopped)
        await liveAbuse?.close(); // nor a scoring thread (run() closes it, but may not have run)
        throw e;
      } finally {
        store?.close();
        alertsFile?.close();
      }
    });
}

/** The options with the --alerts-jsonl file, opened once the capture is. */
function withAlertsFile(o: LiveAbuseOptions, file: AlertsFile | null): LiveAbuseOptions {
  return file === null ? o : { ...o, onAlerts: (alerts, run) => file.append(alerts, run) };
}

/**
 * Runs the capture; --duration and the first signal stop it, a second exits. The
 * `ready` line is printed once the signal handlers are in place: a supervisor that
 * signals as soon as it reads it must not meet the default action (exit, no
 * checkpoint).
 */
async function runUntilStopped(
  run: CaptureRun,
  durationMs: number | undefined,
  iface: string,
  abuse: LiveAbuse | null,
  ready: string,
): Promise<void> {
  let stopping = false;
  let finished = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // CLI only: the run cannot finish cleanly any more; checkpoints already written stay.
      process.stderr.write(finished
        ? `shadowtap: ${signal} while closing: the last checkpoint is written; exiting\n`
        : `shadowtap: ${signal} while finishing: exiting without the last checkpoint\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    log.info(`${signal}: stopping; closing flows and writing the database (again to exit now)`);
    run.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  log.info(ready);
  const timer = durationMs === undefined
    ? null
    : setTimeout(() => {
      stopping = true;
      run.stop();
    }, durationMs);
  const started = performance.now();
  try {
    const summary = await run.run();
    const seconds = (performance.now() - started) / 1000;
    const lines = runSummaryLines(summary, seconds);
    lines[0] = `run ${summary.runId}: live capture on ${iface}, ${summary.packets} packets, ` +
      `${(summary.bytes / 1e6).toFixed(2)} MB in ${seconds.toFixed(1)} s`;
    for (const line of lines) log.info(line);
    if (abuse !== null) log.info(captureAbuseLine(abuse.stats));
  } finally {
    if (timer !== null) clearTimeout(timer);
    // The handlers stay until the process ends: a signal while the workers and the
    // database close must not meet the default action either.
    finished = stopping = true;
  }
}
