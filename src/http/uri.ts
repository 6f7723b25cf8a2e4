/** Path and query of a request target (RFC 9112 §3.2), percent-encoding kept. */
export interface TargetParts {
  path: string;
  query: string;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Splits a request target into path and query. Origin-form gives them as sent;
 * absolute-form (`http://h/p?q`, §3.2.2) gives the origin-form path ('/' when
 * empty); authority-form (CONNECT, §3.2.3) has no path (''); asterisk-form (§3.2.4)
 * is '*'.
 */
export function splitTarget(method: string, target: string): TargetParts {
  if (target === '*') return { path: '*', query: '' };
  if (method === 'CONNECT' && !target.startsWith('/')) return { path: '', query: '' };
  let rest = target;
  const scheme = SCHEME.exec(rest);
  if (scheme !== null) {
    const afterAuthority = rest.slice(scheme[0].length).search(/[/?#]/);
    rest = afterAuthority < 0 ? '' : rest.slice(scheme[0].length + afterAuthority);
  }
  const hash = rest.indexOf('#'); // not allowed in a request target, but seen
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  let path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  if (scheme !== null && path === '') path = '/';
  return { path, query };
}

/**
 * The host (and port, as sent) an absolute-form target names, lowercased and without
 * userinfo; null for any other form. A server takes it over the Host header (RFC 9112
 * §3.2.2), so it is the request's host for the inventory; CONNECT's authority-form
 * names a tunnel's far end, not the server asked, and is not taken.
 */
export function targetHost(method: string, target: string): string | null {
  if (method === 'CONNECT') return null;
  const scheme = SCHEME.exec(target);
  if (scheme === null) return null;
  const rest = target.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const host = authority.slice(authority.lastIndexOf('@') + 1); // userinfo: a credential
  return host === '' ? null : host.toLowerCase();
}
