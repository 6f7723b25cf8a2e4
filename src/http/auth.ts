import { isCredentialParam } from './redact.js';

/** The auth schemes a request can be seen to carry. */
export type AuthKind =
  | 'none'
  | 'basic'
  | 'bearer'
  | 'jwt'
  | 'apikey-header'
  | 'apikey-query'
  | 'cookie';

const API_KEY_HEADERS = new Set([
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
]);
const SESSION_COOKIE = /sess|^sid$|[._-]sid$|auth|token|jwt|^remember/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The credentials a request carries, sorted and without repeats; ['none'] when it
 * carries none. Computed from raw headers and the raw query, before redaction.
 * A bearer token that is a JWT (three base64url parts whose first decodes to a
 * JSON object, RFC 7519 §7.2) counts as both 'bearer' and 'jwt'.
 * LIMITATION: other Authorization schemes (Token, ApiKey, Digest, AWS4-HMAC-SHA256...)
 * all count as 'apikey-header'; the closed list of kinds has no finer names.
 */
export function detectAuth(rawHeaders: string[], query: string): AuthKind[] {
  const found = new Set<AuthKind>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim();
    if (name === 'authorization' || name === 'proxy-authorization') {
      authorization(value, found);
    } else if (name === 'cookie') {
      if (hasSessionCookie(value)) found.add('cookie');
    } else if (API_KEY_HEADERS.has(name) || /api[-_]?key/.test(name)) {
      if (value !== '') found.add('apikey-header');
    }
  }
  if (query !== '') {
    for (const part of query.split('&')) {
      const eq = part.indexOf('=');
      if (eq > 0 && eq < part.length - 1 && isCredentialParam(part.slice(0, eq))) {
        found.add('apikey-query');
      }
    }
  }
  if (found.size === 0) return ['none'];
  return [...found].sort();
}

function authorization(value: string, found: Set<AuthKind>): void {
  const sp = value.search(/[ \t]/);
  if (sp < 0) {
    if (value === '') return;
    found.add(isJwt(value) ? 'jwt' : 'apikey-header');
    return;
  }
  const scheme = value.slice(0, sp).toLowerCase();
  const credential = value.slice(sp).trim();
  if (scheme === 'basic') found.add('basic');
  else if (scheme === 'bearer') {
    found.add('bearer');
    if (isJwt(credential)) found.add('jwt');
  } else found.add('apikey-header');
}

/** Whether a token looks like a JWS compact serialisation with a JSON header. */
export function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || !BASE64URL.test(parts[0]!) || !BASE64URL.test(parts[1]!)) return false;
  if (parts[2] !== '' && !BASE64URL.test(parts[2]!)) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && !Array.isArray(header);
  } catch {
    return false;
  }
}

function hasSessionCookie(value: string): boolean {
  for (const pair of value.split(';')) {
    const eq = pair.indexOf('=');
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim().toLowerCase();
    if (name !== '' && SESSION_COOKIE.test(name)) return true;
  }
  return false;
}
