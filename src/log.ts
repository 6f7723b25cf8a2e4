/**
 * The one diagnostics channel: everything here goes to stderr, never stdout,
 * so reports on stdout stay machine-readable (STYLE 9).
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold = ORDER[(process.env.SHADOWTAP_LOG as Level) ?? 'info'] ?? ORDER.info;
let sink: (line: string) => void = (line) => process.stderr.write(line + '\n');

/** Sets the lowest level written. */
export function setLogLevel(level: Level): void {
  threshold = ORDER[level];
}

/** Redirects log lines (tests capture them). Returns the previous sink. */
export function setLogSink(next: (line: string) => void): (line: string) => void {
  const prev = sink;
  sink = next;
  return prev;
}

function write(level: Level, msg: string): void {
  if (ORDER[level] < threshold) return;
  sink(level === 'info' ? msg : `${level}: ${msg}`);
}

export const log = {
  debugEnabled: (): boolean => ORDER.debug >= threshold,
  debug: (msg: string): void => write('debug', msg),
  info: (msg: string): void => write('info', msg),
  warn: (msg: string): void => write('warn', msg),
  error: (msg: string): void => write('error', msg),
};
