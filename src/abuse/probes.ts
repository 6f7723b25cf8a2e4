/**
 * Attack payloads in a request: SQL, NoSQL and command injection and path
 * traversal, as scanners and hand probing send them. Needs no training: these
 * strings have no business in ordinary parameters.
 *
 * Every pattern is linear in the input: each quantifier is bounded ({0,20}, ?)
 * and each pattern starts with a literal, so a match attempt at one position
 * costs a constant, and hostile input cannot make a scan slow (no nested or
 * overlapping unbounded repeats, which is what makes backtracking blow up).
 * Input is cut at limits.abuseMaxProbeScanChars first.
 */
import type { Limits } from '../config/limits.js';
import type { ProbeKind } from './events.js';

/** The parts of a request scanned: raw path, raw query (no '?'), body as text (decoded). */
export interface ProbeInput {
  path: string;
  query: string;
  body: string;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/**
 * Percent-decodes leniently (RFC 3986 §2.1): each valid %XX becomes the char with
 * that code (bytes as Latin-1, so overlong UTF-8 survives as two chars), an
 * invalid escape stays as it is. Never throws, unlike decodeURIComponent.
 */
export function percentDecode(s: string, plusIsSpace: boolean): string {
  if (!s.includes('%') && !(plusIsSpace && s.includes('+'))) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out += String.fromCharCode(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += plusIsSpace && c === 43 ? ' ' : s[i];
  }
  return out;
}

/**
 * Text as the patterns see it: cut, decoded twice (double encoding is a common
 * evasion), lowercased, short SQL comments made a blank, and each run of blanks
 * made one character: a newline if it held one, else a space.
 */
export function normalizeForScan(s: string, plusIsSpace: boolean, maxChars: number): string {
  const cut = s.length > maxChars ? s.slice(0, maxChars) : s;
  const once = percentDecode(cut, plusIsSpace);
  return percentDecode(once, false)
    .toLowerCase()
    .replace(/\/\*[^*]{0,32}\*\//g, ' ')
    .replace(/\s+/g, (run) => (run.includes('\n') ? '\n' : ' '));
}

const SQL: readonly RegExp[] = [
  // Tautologies after a closed string: ' or 1=1, ') or ('a'='a, " or ""=".
  /['"]\)?\s?(?:or|\|\||and)\s\(?['"]?\w{0,20}['"]?\s?(?:=|<|>|like\s|is\s)/,
  /['"]\)?\s?or\s(?:true|not\sfalse)\b/,
  // Numeric context: 1 or 1=1, 1 and 1=2.
  /\b(?:or|and)\s\d{1,10}\s?=\s?\d{1,10}\b/,
  /\bunion(?:\sall|\sdistinct)?\s?\(?\s?select\b/,
  /\b(?:sleep|pg_sleep|benchmark)\s?\(\s?\d/,
  /\bwaitfor\sdelay\s?'/,
  // Stacked query, or a comment cutting the rest of the statement, after a string.
  /['"]\s?;\s?(?:drop|select|insert|update|delete|exec|shutdown)\b/,
  /'\s?\)?\s?;?--(?:$|\s|-)/,
  /\b(?:information_schema|xp_cmdshell|load_file\s?\(|into\s(?:out|dump)file)/,
  /@@version\b/,
];

const NOSQL: readonly RegExp[] = [
  // MongoDB operators as a JSON key or in bracket query syntax (user[$ne]=x).
  /"\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|expr|or|and|not)"\s?:/,
  /\[\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|expr|or|and|not)\]/,
];

/** Shell commands after a separator or substitution; `sep` is the separator class. */
function commandPatterns(sep: string): RegExp[] {
  return [
    // Unambiguous programs.
    new RegExp(`(?:${sep}|&&|\\$\\() ?(?:whoami|uname|wget|curl|bash|nslookup|ncat|netcat|` +
      'powershell|cmd\\.exe)\\b'),
    // Programs that are also English words need shell-like arguments after them.
    new RegExp(`(?:${sep}|&&|\\$\\() ?(?:cat|ls|id|sh|nc|echo|ping|sleep)` +
      `(?:$|[;|&\`)'"]| [-/$'"\\d])`),
  ];
}

/** In a path or query a decoded newline (%0a) separates commands too; in a body it is text. */
const COMMAND_LINE = commandPatterns('[;|`\\n]');
const COMMAND_BODY = commandPatterns('[;|`]');

const TRAVERSAL: readonly RegExp[] = [
  /(?:^|[/\\=])\.\.(?:[/\\]|$)/,
  /\/etc\/(?:passwd|shadow)\b|\bwin\.ini\b|\bboot\.ini\b/,
  // Overlong UTF-8 '.', '/' and '\' (C0 AE, C0 AF, C1 9C as Latin-1, then lowercased).
  /\u00e0\u00ae|\u00e0\u00af|\u00e1\u009c/,
];

function rules(command: readonly RegExp[]): ReadonlyArray<[ProbeKind, readonly RegExp[]]> {
  return [['sql', SQL], ['nosql', NOSQL], ['command', command], ['traversal', TRAVERSAL]];
}

const LINE_RULES = rules(COMMAND_LINE);
const BODY_RULES = rules(COMMAND_BODY);

/**
 * Probe kinds found in one request, in a fixed order, each at most once; [] for
 * a clean request. The query string is decoded with '+' as space (HTML forms).
 */
export function detectProbes(req: ProbeInput, limits: Limits): ProbeKind[] {
  const max = limits.abuseMaxProbeScanChars;
  const path = normalizeForScan(req.path, false, max);
  const query = normalizeForScan(req.query, true, max);
  const body = normalizeForScan(req.body, false, max);
  const found: ProbeKind[] = [];
  for (let r = 0; r < LINE_RULES.length; r++) {
    const [kind, line] = LINE_RULES[r] as [ProbeKind, readonly RegExp[]];
    const inBody = (BODY_RULES[r] as [ProbeKind, readonly RegExp[]])[1];
    if (line.some((p) => p.test(path) || p.test(query)) || inBody.some((p) => p.test(body))) {
      found.push(kind);
    }
  }
  // LIMITATION: headers (User-Agent, Referer, cookies) are not scanned, nor
  // bodies past the scan limit; binary bodies are scanned as whatever text they decode to.
  return found;
}
