// tshark as the reference for what HTTP exchanges a capture holds.
import { spawnSync } from 'node:child_process';

/** True when tshark can be run here. */
export function haveTshark(): boolean {
  const res = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return res.status === 0;
}

export interface TsharkExchange {
  method: string;
  host: string;
  uri: string;
  status: number | null;
}

/**
 * The HTTP requests tshark finds, in frame order, each with the status of the
 * response tshark paired with it (null when none). `prefs` are tshark preferences
 * (`-o name:value`), e.g. 'tcp.reassemble_out_of_order:TRUE' for reordered captures.
 */
export function tsharkExchanges(file: string, prefs: string[] = []): TsharkExchange[] {
  const res = spawnSync(
    'tshark',
    [...prefs.flatMap((p) => ['-o', p]), '-r', file, '-Y', 'http.request or http.response',
      '-T', 'fields', '-E', 'separator=\t',
      '-e', 'frame.number', '-e', 'http.request.method', '-e', 'http.host', '-e',
      'http.request.uri', '-e', 'http.response.code', '-e', 'http.request_in'],
    { encoding: 'utf8', maxBuffer: 256 << 20 },
  );
  if (res.status !== 0) throw new Error(`tshark failed on ${file}: ${res.stderr}`);
  const byFrame = new Map<string, TsharkExchange>();
  const order: TsharkExchange[] = [];
  for (const line of res.stdout.split('\n')) {
    if (line === '') continue;
    const [frame, method, host, uri, code, requestIn] = line.split('\t');
    if (method) {
      // One frame can carry several pipelined requests: fields are comma-joined.
      const methods = method.split(',');
      const hosts = (host ?? '').split(',');
      const uris = (uri ?? '').split(',');
      methods.forEach((m, i) => {
        const ex = {
          method: m, host: (hosts[i] ?? '').toLowerCase(), uri: uris[i] ?? '', status: null,
        };
        if (i === 0) byFrame.set(frame!, ex);
        order.push(ex);
      });
    } else if (code && requestIn) {
      const req = byFrame.get(requestIn.split(',')[0]!);
      if (req && req.status === null) req.status = Number(code.split(',')[0]);
    }
  }
  return order;
}
