/**
 * Where a spec says its operations live: hosts and base paths from OpenAPI 3
 * `servers` (with variables) or Swagger 2 `host` + `basePath`. Scheme and port are
 * dropped: a passive sensor sees the Host header and the path, and a mirror port or a
 * TLS-terminating proxy changes both of the others.
 */

/** Hosts and base paths of a list of servers. */
export interface ServerBinding {
  hosts: string[];
  basePaths: string[];
}

interface ServerVariable {
  default?: unknown;
  enum?: unknown;
}

/** Lowercased host without port, brackets or trailing dot. */
export function normaliseHost(raw: string): string {
  let h = raw.trim().toLowerCase();
  const at = h.lastIndexOf('@');
  if (at >= 0) h = h.slice(at + 1);
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.lastIndexOf(':');
  if (colon >= 0 && h.indexOf(':') === colon) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * Hosts that say nothing about where the API runs in production: loopback, the
 * unspecified address, and names left unexpanded. A spec naming only those binds to
 * the hosts whose traffic matches it instead.
 */
export function usableHost(host: string): boolean {
  if (host === '' || host.includes('{') || host.includes('}')) return false;
  if (host === 'localhost' || host.endsWith('.localhost')) return false;
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === '0.0.0.0') return false;
  return host !== '::1' && host !== '::';
}

/** `/v2/` → `/v2`; `/` and '' → ''. */
export function normaliseBasePath(raw: string): string {
  let p = raw.trim();
  if (p === '' || p === '/') return '';
  if (!p.startsWith('/')) p = '/' + p;
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p === '/' ? '' : p;
}

function variableValues(v: ServerVariable): string[] {
  const out: string[] = [];
  const add = (x: unknown): void => {
    if ((typeof x === 'string' || typeof x === 'number') && !out.includes(String(x))) {
      out.push(String(x));
    }
  };
  add(v.default);
  if (Array.isArray(v.enum)) for (const x of v.enum) add(x);
  return out;
}

/** Every URL a server object stands for, variables replaced, at most `max`. */
export function expandServerUrl(
  url: string,
  variables: Record<string, ServerVariable> | undefined,
  max: number,
): string[] {
  let urls = [url];
  for (const [name, v] of Object.entries(variables ?? {})) {
    const values = variableValues(v ?? {});
    if (values.length === 0) continue;
    const next: string[] = [];
    for (const u of urls) {
      for (const value of values) {
        if (next.length >= max) break;
        next.push(u.split('{' + name + '}').join(value));
      }
    }
    // LIMITATION: past `max` combinations the remaining variable values are ignored.
    urls = next;
  }
  return urls;
}

const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)([^?#]*)/i;

/** Host (normalised, '' when none) and base path of one expanded server URL. */
export function splitServerUrl(url: string): { host: string; basePath: string } {
  const m = ABSOLUTE.exec(url.trim());
  if (m !== null) return { host: normaliseHost(m[1]!), basePath: normaliseBasePath(m[2]!) };
  // RFC 3986 section 4.2: a relative reference; OpenAPI reads it against the spec's URL.
  const path = url.split(/[?#]/)[0] ?? '';
  return { host: '', basePath: normaliseBasePath(path) };
}

function pushUnique(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

/** Binding from an OpenAPI 3 `servers` array (absent or empty means `/`). */
export function fromServers(servers: unknown, maxExpansions: number): ServerBinding {
  const out: ServerBinding = { hosts: [], basePaths: [] };
  const list = Array.isArray(servers) && servers.length > 0 ? servers : [{ url: '/' }];
  for (const s of list) {
    if (s === null || typeof s !== 'object') continue;
    const server = s as { url?: unknown; variables?: Record<string, ServerVariable> };
    if (typeof server.url !== 'string') continue;
    for (const url of expandServerUrl(server.url, server.variables, maxExpansions)) {
      const { host, basePath } = splitServerUrl(url);
      if (usableHost(host)) pushUnique(out.hosts, host);
      pushUnique(out.basePaths, basePath);
    }
  }
  if (out.basePaths.length === 0) out.basePaths.push('');
  return out;
}

/** Binding from Swagger 2 `host` and `basePath`. */
export function fromSwagger2(host: unknown, basePath: unknown): ServerBinding {
  const h = typeof host === 'string' ? normaliseHost(host) : '';
  return {
    hosts: usableHost(h) ? [h] : [],
    basePaths: [normaliseBasePath(typeof basePath === 'string' ? basePath : '')],
  };
}
