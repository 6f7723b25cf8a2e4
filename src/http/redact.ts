/**
 * The one place credentials are removed (STYLE 11): header values and query
 * parameters that carry secrets never leave the HTTP parser. Header names are kept
 * (lowercased) so inference still sees which credentials an API expects.
 */

/** What a credential value becomes. */
export const REDACTED = '[redacted]';

const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
]);

const CREDENTIAL_NAME_PARTS = ['token', 'secret', 'key', 'password', 'session', 'auth'];

// Query parameter names compared lowercased with '-' and '_' removed.
const CREDENTIAL_PARAMS = new Set([
  'apikey',
  'accesstoken',
  'token',
  'key',
  'password',
  'passwd',
  'secret',
  'clientsecret',
  'sig',
  'signature',
  'authtoken',
  'idtoken',
  'refreshtoken',
  'sessionid',
  'xamzsignature',
  'xamzcredential',
  'xamzsecuritytoken',
]);

/** Whether a header (name lowercased) carries a credential. */
export function isCredentialHeader(name: string): boolean {
  if (CREDENTIAL_HEADERS.has(name)) return true;
  for (const part of CREDENTIAL_NAME_PARTS) if (name.includes(part)) return true;
  return false;
}

/**
 * The value to keep for a header (name lowercased). Authorization and
 * WWW-Authenticate style values keep their scheme word (RFC 9110 §11.4, §11.6.1:
 * `auth-scheme SP credentials`), e.g. 'Bearer [redacted]'.
 */
export function redactHeaderValue(name: string, value: string): string {
  if (!isCredentialHeader(name)) return value;
  if (name.endsWith('authorization') || name.endsWith('authenticate')) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)[ \t]+\S/.exec(value);
    if (m !== null) return m[1] + ' ' + REDACTED;
  }
  return REDACTED;
}

/** Headers as kept: names lowercased, credential values replaced, order kept. */
export function redactHeaders(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    out.push([name, redactHeaderValue(name, raw[i + 1]!)]);
  }
  return out;
}

/** Whether a query parameter name (as sent, maybe percent-encoded) names a credential. */
export function isCredentialParam(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // malformed percent-encoding: judge the name as sent
  }
  return CREDENTIAL_PARAMS.has(decoded.toLowerCase().replace(/[-_\s]/g, ''));
}

/**
 * The query string with credential parameter values replaced; everything else as sent.
 * LIMITATION: parameters are judged by name only; a secret in a parameter with an
 * innocent name (or in the path) stays.
 */
export function redactQuery(query: string): string {
  if (query === '') return query;
  let changed = false;
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq < 0 || !isCredentialParam(part.slice(0, eq))) return part;
    changed = true;
    return part.slice(0, eq + 1) + REDACTED;
  });
  return changed ? parts.join('&') : query;
}
