/**
 * Who may talk to `serve`, checked before any route runs:
 * - Host: without a token the server only answers Host names of the loopback address
 *   it is bound to, so a page on another site cannot reach it by DNS rebinding.
 * - Token: when one is set (required off loopback), every API call carries it in the
 *   X-Shadowtap-Token header (or `Authorization: Bearer`); compared in constant time.
 * - Same origin: a state-changing request must come from the UI's own origin, by
 *   Sec-Fetch-Site (Fetch Metadata) or Origin (RFC 6454 section 7), and carry a JSON
 *   body, which no cross-site form can send without a CORS preflight we never grant.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What the guard knows about the server it protects. */
export interface GuardOptions {
  /** Required token, or null on loopback without one. */
  token: string | null;
  /** Host header values accepted when there is no token (lowercased, with port). */
  loopbackHosts: ReadonlySet<string>;
}

/** True for an address that only this machine can reach. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** Host header values a loopback server at host:port answers to. */
export function loopbackHostsFor(host: string, port: number): Set<string> {
  const names = new Set([`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`,
    `[::1]:${port}`]);
  if (host.includes(':')) names.add(`[${host}]:${port}`);
  return names;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Whether the request's Host header is acceptable. */
export function hostAllowed(req: IncomingMessage, g: GuardOptions): boolean {
  if (g.token !== null) return true;
  const host = (header(req, 'host') ?? '').toLowerCase();
  return g.loopbackHosts.has(host);
}

/** Whether the request carries the token (always true when none is set). */
export function tokenValid(req: IncomingMessage, g: GuardOptions): boolean {
  if (g.token === null) return true;
  let given = header(req, 'x-shadowtap-token');
  const auth = header(req, 'authorization');
  if (given === undefined && auth !== undefined && /^bearer\s+/i.test(auth)) {
    given = auth.replace(/^bearer\s+/i, '');
  }
  if (given === undefined) return false;
  // Hashing first gives equal lengths, so the comparison time says nothing.
  return timingSafeEqual(digest(given), digest(g.token));
}

/**
 * Whether a state-changing request comes from the page this server sent: same-origin
 * by Fetch Metadata when the browser sends it, else an Origin equal to this server's.
 * A request with neither (not a browser) must at least name the origin.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = header(req, 'origin');
  const host = header(req, 'host');
  if (origin !== undefined) return host !== undefined && origin === `http://${host}`;
  return site === 'same-origin';
}

/** Whether the request body is declared JSON (media type per RFC 9110 section 8.3.1). */
export function isJsonBody(req: IncomingMessage): boolean {
  const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}
