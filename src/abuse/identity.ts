/**
 * Who sent a request: the principal (a tokenised credential identity) and the
 * client address (the TCP peer, or the hop a trusted proxy reports). Abuse is
 * scored per principal and per address, because an attacker who rotates
 * credentials still comes from somewhere, and one who rotates addresses still
 * carries a credential.
 *
 * Header values arrive RAW here and never leave raw: every identity is passed
 * through the caller's `tokenize` (HMAC, owned by src/privacy/) before it is
 * returned.
 */
import type { AnomalyCounter } from '../anomalies.js';
import { ShadowtapError } from '../errors.js';
import type { LoginOutcome } from './events.js';

/** Lowercased header name and raw value, in wire order. */
export type HeaderPair = readonly [string, string];

/** Keyed one-way mapping of a credential to a stable token (src/privacy/ supplies it). */
export type Tokenize = (value: string) => string;

/** Where credentials are looked for besides the Authorization header. */
export interface IdentityOptions {
  /** Headers that carry API keys, lowercased. */
  apiKeyHeaders: readonly string[];
  /** Cookie names that carry sessions, lowercased; any name containing "session" also counts. */
  sessionCookies: readonly string[];
}

/** Header and cookie names common across frameworks. */
export const DEFAULT_IDENTITY_OPTIONS: Readonly<IdentityOptions> = Object.freeze({
  apiKeyHeaders: ['x-api-key', 'api-key', 'apikey', 'x-apikey', 'x-auth-token', 'x-access-token'],
  sessionCookies: ['sid', 'connect.sid', 'jsessionid', 'phpsessid', 'asp.net_sessionid'],
});

function header(headers: readonly HeaderPair[], name: string): string | null {
  for (const [n, v] of headers) if (n === name) return v;
  return null;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The `sub` claim of a JWT in compact form (RFC 7519 §7.2: three base64url parts
 * separated by dots), read WITHOUT verifying the signature: we only need a
 * stable name for the caller, not proof of it. Null when the token is not a JWT
 * or has no string or number subject.
 */
export function jwtSubject(token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const payload = parts[1] ?? '';
  if (!BASE64URL.test(parts[0] ?? '') || !BASE64URL.test(payload)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null; // an opaque token that happens to have two dots
  }
  if (typeof claims !== 'object' || claims === null) return null;
  const sub = (claims as Record<string, unknown>).sub;
  if (typeof sub === 'string' && sub !== '') return sub;
  if (typeof sub === 'number' && Number.isFinite(sub)) return String(sub);
  return null;
}

/** The user name of HTTP Basic credentials (RFC 7617 §2), never the password. */
function basicUser(credentials: string): string | null {
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  return user === '' ? null : user;
}

function sessionCookie(cookieHeader: string, names: readonly string[]): string | null {
  // RFC 6265 §4.2.1: cookie-pairs separated by "; ".
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim().toLowerCase();
    const value = pair.slice(eq + 1).trim();
    if (value === '') continue;
    if (names.includes(name) || name.includes('session')) return `${name}=${value}`;
  }
  return null;
}

/**
 * The tokenised principal of a request, prefixed with its kind: a bearer JWT's
 * subject (`jwt:`), else the bearer token itself (`bearer:`), else the Basic user
 * (`basic:`), else an API key header (`apikey:`), else a session cookie
 * (`session:`), else null. Issuer is ignored: two issuers' equal subjects merge.
 */
export function principalOf(
  headers: readonly HeaderPair[],
  tokenize: Tokenize,
  options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS,
): string | null {
  const auth = header(headers, 'authorization')?.trim() ?? '';
  const space = auth.indexOf(' ');
  // RFC 9110 §11.1: the auth scheme is case-insensitive.
  const scheme = space > 0 ? auth.slice(0, space).toLowerCase() : '';
  const credentials = space > 0 ? auth.slice(space + 1).trim() : '';
  if (scheme === 'bearer' && credentials !== '') {
    const sub = jwtSubject(credentials);
    return sub !== null ? 'jwt:' + tokenize(sub) : 'bearer:' + tokenize(credentials);
  }
  if (scheme === 'basic' && credentials !== '') {
    const user = basicUser(credentials);
    if (user !== null) return 'basic:' + tokenize(user);
  }
  for (const name of options.apiKeyHeaders) {
    const key = header(headers, name)?.trim();
    if (key) return 'apikey:' + tokenize(key);
  }
  for (const [n, v] of headers) {
    if (n !== 'cookie') continue;
    const session = sessionCookie(v, options.sessionCookies);
    if (session !== null) return 'session:' + tokenize(session);
  }
  // LIMITATION: API keys sent in the query string (api_key=...) are not used.
  return null;
}

/** Proxies whose X-Forwarded-For the user trusts: exact addresses and IPv4 CIDR blocks. */
export interface TrustedProxies {
  exact: ReadonlySet<string>;
  blocks: ReadonlyArray<{ base: number; mask: number }>;
}

function ipv4ToInt(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const b = Number(p);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return n >>> 0;
}

/**
 * Canonical form of an address as found in a header or a list: brackets and port
 * removed, IPv6 lowercased, IPv4-mapped IPv6 written as IPv4. Null when it is not
 * an IP address (e.g. "unknown" or an obfuscated identifier, RFC 7239 §6).
 */
export function normalizeAddress(raw: string): string | null {
  let s = raw.trim();
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    s = s.slice(1, close);
  } else if (s.indexOf(':') === s.lastIndexOf(':') && s.includes('.')) {
    const colon = s.indexOf(':');
    if (colon >= 0) s = s.slice(0, colon); // IPv4 with a port
  }
  if (ipv4ToInt(s) !== null) return s;
  s = s.toLowerCase();
  if (s.startsWith('::ffff:') && ipv4ToInt(s.slice(7)) !== null) return s.slice(7);
  if (!s.includes(':') || !/^[0-9a-f:.]+$/.test(s) || s.length > 45) return null;
  return s;
}

/** Parses the user's trusted-proxy list; a bad entry is an operator error naming it. */
export function parseTrustedProxies(list: readonly string[]): TrustedProxies {
  const exact = new Set<string>();
  const blocks: Array<{ base: number; mask: number }> = [];
  for (const entry of list) {
    const slash = entry.indexOf('/');
    if (slash >= 0) {
      const base = ipv4ToInt(entry.slice(0, slash));
      const bits = Number(entry.slice(slash + 1));
      if (base === null || !Number.isInteger(bits) || bits < 0 || bits > 32) {
        // LIMITATION: IPv6 proxies are listed one address at a time, not as CIDR blocks.
        throw new ShadowtapError('usage', `trusted proxy '${entry}' is not an IPv4 CIDR block`);
      }
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      blocks.push({ base: (base & mask) >>> 0, mask });
      continue;
    }
    const addr = normalizeAddress(entry);
    if (addr === null) throw new ShadowtapError('usage', `trusted proxy '${entry}' is not an IP`);
    exact.add(addr);
  }
  return { exact, blocks };
}

/** True when `addr` (normalised) is one of the trusted proxies. */
export function isTrusted(addr: string, trusted: TrustedProxies): boolean {
  if (trusted.exact.has(addr)) return true;
  if (trusted.blocks.length === 0) return false;
  const n = ipv4ToInt(addr);
  if (n === null) return false;
  return trusted.blocks.some((b) => ((n & b.mask) >>> 0) === b.base);
}

/**
 * The client address of a request. X-Forwarded-For lists the hops a request
 * passed, client first; each proxy appends the address it received from. Only a
 * trusted proxy's word counts, so the list is walked from the right while the
 * current hop is trusted: the first untrusted address is the client. A malformed
 * hop stops the walk at the last address we could vouch for, and is counted.
 * Several X-Forwarded-For fields are one list in order (RFC 9110 §5.3).
 */
export function clientAddressOf(
  peer: string,
  headers: readonly HeaderPair[],
  trusted: TrustedProxies,
  anomalies?: AnomalyCounter,
): string {
  let addr = normalizeAddress(peer) ?? peer;
  if (!isTrusted(addr, trusted)) return addr;
  const hops: string[] = [];
  for (const [n, v] of headers) if (n === 'x-forwarded-for') hops.push(...v.split(','));
  // LIMITATION: the standard Forwarded header (RFC 7239) is not read.
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i] ?? '');
    if (hop === null) {
      anomalies?.add('bad-forwarded-for');
      return addr;
    }
    addr = hop;
    if (!isTrusted(addr, trusted)) return addr;
  }
  return addr;
}

/** Path words that mark a login-like endpoint. */
const LOGIN_WORDS = new Set([
  'login', 'logon', 'signin', 'auth', 'oauth', 'oauth2', 'authenticate', 'token', 'tokens',
  'session', 'sessions',
]);

function isLoginPath(path: string): boolean {
  const q = path.indexOf('?');
  const p = (q >= 0 ? path.slice(0, q) : path).toLowerCase();
  for (const segment of p.split('/')) {
    // "sign-in" and "user_login" both count; "authors" does not.
    if (LOGIN_WORDS.has(segment.replace(/[-_.]/g, ''))) return true;
    for (const word of segment.split(/[-_.]/)) if (LOGIN_WORDS.has(word)) return true;
  }
  return false;
}

/**
 * Outcome of a login attempt: a POST to a login-like path answered 2xx is a
 * success, 401 or 403 a failure (RFC 9110 §15.5.2, §15.5.4); anything else is
 * not a login outcome. LIMITATION: logins that fail with 200 and an error body,
 * or live under other path names, are not seen.
 */
export function loginOutcome(method: string, path: string, status: number | null): LoginOutcome {
  if (method !== 'POST' || status === null || !isLoginPath(path)) return null;
  if (status >= 200 && status < 300) return 'success';
  if (status === 401 || status === 403) return 'failure';
  return null;
}
