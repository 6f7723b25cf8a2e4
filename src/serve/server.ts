/**
 * `serve`: the review page and its API on node:http, bound to loopback unless told
 * otherwise (and then only with a token). Every answer says not to cache, sniff or
 * frame it; the page's policy lets its script call this origin and nothing else.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { userInfo } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Catalog } from '../catalog/types.js';
import type { Limits } from '../config/limits.js';
import { ShadowtapError } from '../errors.js';
import { log } from '../log.js';
import { pageCsp, renderPage } from '../report/html/page.js';
import type { Store } from '../store/db.js';
import { ReviewApi, type ApiAnswer } from './api.js';
import {
  hostAllowed, isJsonBody, isLoopback, loopbackHostsFor, sameOrigin, tokenValid,
  type GuardOptions,
} from './guard.js';
import { parseTriageInput, reviewerName } from './triage-input.js';

/** How to run the review server. */
export interface ServeOptions {
  store: Store;
  catalog: Catalog | null;
  limits: Limits;
  host: string;
  port: number;
  token: string | null;
  readOnly: boolean;
}

/** A running review server. */
export interface RunningServer {
  /** Base URL, `http://127.0.0.1:8080/`. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

const COMMON_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(res: ServerResponse, status: number, type: string, body: string,
  extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, a: ApiAnswer): void {
  send(res, a.status, 'application/json; charset=utf-8', JSON.stringify(a.body));
}

/**
 * The body as text, or null past `max` bytes. An oversized body is read to its end
 * and dropped, so the client gets the 413 instead of a reset; one far larger is cut.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) parts.push(c);
      else if (size > max * 64) req.destroy();
    });
    req.on('end', () => resolve(size > max ? null : Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => { if (!req.complete) resolve(null); });
  });
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Starts the server; resolves once it listens. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  if (!isLoopback(opts.host) && opts.token === null) {
    throw new ShadowtapError('usage',
      `--host ${opts.host} is reachable from other machines: give --token too`);
  }
  const api = new ReviewApi(opts.store, opts.catalog, opts.limits, opts.readOnly);
  const page = renderPage({ mode: 'serve', data: null });
  const pageHeaders = { 'Content-Security-Policy': pageCsp('serve') + "; frame-ancestors 'none'" };
  const fallbackUser = osUser();
  let guard: GuardOptions = { token: opts.token, loopbackHosts: new Set() };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://serve.invalid');
    const method = req.method ?? 'GET';
    if (!hostAllowed(req, guard)) {
      sendJson(res, { status: 421, body: { error: 'unexpected Host header' } });
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (method !== 'GET' && method !== 'HEAD') {
        sendJson(res, { status: 405, body: { error: 'method not allowed' } });
        return;
      }
      send(res, 200, 'text/html; charset=utf-8', page, pageHeaders);
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      sendJson(res, { status: 404, body: { error: 'not found' } });
      return;
    }
    if (!tokenValid(req, guard)) {
      sendJson(res, { status: 401, body: { error: 'token required' } });
      return;
    }
    const route = `${method} ${url.pathname}`;
    switch (route) {
      case 'GET /api/health':
        sendJson(res, { status: 200, body: { ok: true, readOnly: opts.readOnly } });
        return;
      case 'GET /api/report':
        sendJson(res, api.report());
        return;
      case 'GET /api/triage':
        sendJson(res, api.triage());
        return;
      case 'GET /api/overlay':
        sendJson(res, api.overlay());
        return;
      case 'POST /api/triage':
        break;
      default:
        sendJson(res, { status: url.pathname.match(/^\/api\/(health|report|triage|overlay)$/)
          ? 405 : 404, body: { error: 'no such route' } });
        return;
    }
    if (!sameOrigin(req)) {
      sendJson(res, { status: 403, body: { error: 'cross-origin request refused' } });
      return;
    }
    if (!isJsonBody(req)) {
      sendJson(res, { status: 415, body: { error: 'send application/json' } });
      return;
    }
    if (opts.readOnly) {
      sendJson(res, { status: 403, body: { error: 'this server is read-only' } });
      return;
    }
    const raw = await readBody(req, opts.limits.serveMaxBodyBytes);
    if (raw === null) {
      sendJson(res, { status: 413, body: { error: 'body too large' } });
      return;
    }
    let input;
    try {
      input = parseTriageInput(JSON.parse(raw) as unknown, opts.limits.triageMaxNoteChars);
    } catch (e) {
      sendJson(res, { status: 400, body: { error: e instanceof Error ? e.message : 'bad body' } });
      return;
    }
    // LIMITATION: the reviewer's name is taken as the client states it; the token
    // (when set) says the caller may triage, not who they are.
    const who = reviewerName(req.headers['x-shadowtap-user']) ?? fallbackUser;
    sendJson(res, api.decide(input, who, Date.now() / 1000));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.warn(`serve: ${req.method} ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) sendJson(res, { status: 500, body: { error: 'internal error' } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new ShadowtapError('usage',
      `cannot listen on ${opts.host}:${opts.port}: ${e.code ?? e.message}`)));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  guard = { token: opts.token, loopbackHosts: loopbackHostsFor(opts.host, port) };
  const shown = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shown}:${port}/`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
