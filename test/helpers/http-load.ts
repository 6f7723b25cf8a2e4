// A real HTTP server and a bounded keep-alive client for the live-capture tests.
// Imported by tests on loopback, or run as a program inside a network namespace:
//   http-load server --host ADDR --port P         prints {"listening":P}, serves until killed
//   http-load client --host ADDR --port P --count N [--concurrency C] [--prefix /x]
//                    [--seconds S] [--count-only]  prints {"completed":[{path,doneAt},...]}
//                    [--body-bytes B --body-every K]  (or {"count":N} with --count-only);
//                                                  every K-th request a POST of B bytes
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** One response the client saw completed: the path asked and when (ms, wall clock). */
export interface Completed {
  path: string;
  status: number;
  doneAt: number;
}

/** A server answering every request with a small JSON body after reading the request body. */
export function startServer(host: string, port = 0): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, received: bytes }));
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** The port a started server listens on. */
export function portOf(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}

export interface ClientOptions {
  host: string;
  port: number;
  /** Requests to make, at most. */
  count: number;
  concurrency?: number;
  prefix?: string;
  /** Host header sent (the inventory keys endpoints by it). */
  hostHeader?: string;
  /** Request bodies: index -> bytes of a POST body sent in one write. */
  bodyFor?: (i: number) => Buffer | null;
  /** Stops early (requests already sent still complete). */
  signal?: AbortSignal;
}

/** Makes up to `count` requests over keep-alive connections; resolves with what completed. */
export async function runClient(o: ClientOptions): Promise<Completed[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency ?? 4 });
  const completed: Completed[] = [];
  let next = 0;
  const one = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const body = o.bodyFor?.(i) ?? null;
      const path = `${o.prefix ?? '/items'}/${i}`;
      const req = http.request(
        {
          host: o.host, port: o.port, path, agent, method: body === null ? 'GET' : 'POST',
          headers: { host: o.hostHeader ?? 'shop.test' }, timeout: 20_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            completed.push({ path, status: res.statusCode ?? 0, doneAt: Date.now() });
            resolve();
          });
          res.on('error', () => resolve());
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve());
      req.end(body ?? undefined);
    });
  const lane = async (): Promise<void> => {
    while (next < o.count && o.signal?.aborted !== true) await one(next++);
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 4 }, lane));
  agent.destroy();
  return completed;
}

function arg(argv: string[], name: string, fallback?: string): string {
  const i = argv.indexOf(name);
  const v = i >= 0 ? argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing ${name}`);
  return v;
}

async function main(argv: string[]): Promise<void> {
  const host = arg(argv, '--host');
  if (argv[0] === 'server') {
    const server = await startServer(host, Number(arg(argv, '--port', '0')));
    process.stdout.write(JSON.stringify({ listening: portOf(server) }) + '\n');
    const stop = (): void => {
      server.closeAllConnections();
      server.close();
    };
    process.on('SIGTERM', stop);
    setTimeout(stop, 120_000).unref(); // never outlives a stuck test
  } else {
    const seconds = Number(arg(argv, '--seconds', '0'));
    const bodyBytes = Number(arg(argv, '--body-bytes', '0'));
    const bodyEvery = Number(arg(argv, '--body-every', '0'));
    const completed = await runClient({
      host,
      port: Number(arg(argv, '--port')),
      count: Number(arg(argv, '--count')),
      concurrency: Number(arg(argv, '--concurrency', '4')),
      prefix: arg(argv, '--prefix', '/items'),
      signal: seconds > 0 ? AbortSignal.timeout(seconds * 1000) : undefined,
      bodyFor: (i) =>
        bodyBytes > 0 && bodyEvery > 0 && i % bodyEvery === bodyEvery - 1
          ? Buffer.alloc(bodyBytes, 0x62)
          : null,
    });
    const out = argv.includes('--count-only') ? { count: completed.length } : { completed };
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.slice(2));
}
