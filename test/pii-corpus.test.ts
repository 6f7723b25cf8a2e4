// The exchange walker on real bytes: tshark reads each corpus capture (it undoes
// chunking and gzip), the exchanges are scanned, and every planted value of
// truth.json must be reported with its kind and location (array indexes as `/*`).
// No location may contain a planted value. Skips without tshark or the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanExchange } from '../src/pii/scan-exchange.js';
import type { Exchange, HttpResponse } from '../src/http/types.js';
import { CORPUS } from './source-helpers.js';

const ROOT = join(CORPUS, 'traffic');
const FIELDS = ['tcp.stream', 'http.request.method', 'http.request.uri', 'http.request.line',
  'http.response.code', 'http.content_type', 'http.file_data', 'http.response.line'];

type Layers = Record<string, string[] | undefined>;

function headers(lines: string[] | undefined): Array<[string, string]> {
  return (lines ?? []).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
  });
}

/** Exchanges of a capture as tshark dissects them, paired in order per TCP stream. */
function exchangesOf(pcap: string): Exchange[] | null {
  const args = ['-r', pcap, '-Y', 'http', '-T', 'json', ...FIELDS.flatMap((f) => ['-e', f])];
  const run = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.error !== undefined) return null;
  const out: Exchange[] = [];
  const open = new Map<string, Exchange[]>();
  for (const p of JSON.parse(run.stdout) as Array<{ _source: { layers: Layers } }>) {
    const l = p._source.layers;
    const stream = l['tcp.stream']![0]!;
    const body = new TextEncoder().encode(l['http.file_data']?.[0] ?? '');
    const contentType = l['http.content_type']?.[0] ?? '';
    if (l['http.request.method'] !== undefined) {
      const uri = l['http.request.uri']![0]!;
      const q = uri.indexOf('?');
      const ex: Exchange = {
        packet: 0, ts: 0, endTs: 0, tunnel: '', gapBytes: 0, client: { ip: '', port: 0 },
        server: { ip: '', port: 0 }, response: null,
        request: { method: l['http.request.method'][0]!, uri, path: q < 0 ? uri : uri.slice(0, q),
          query: q < 0 ? '' : uri.slice(q + 1), host: '', httpVersion: '1.1',
          headers: headers(l['http.request.line']), auth: [], contentType, body,
          bodyLength: body.length, bodyTruncated: false },
      };
      out.push(ex);
      open.set(stream, [...(open.get(stream) ?? []), ex]);
    } else if (l['http.response.code'] !== undefined) {
      const ex = open.get(stream)?.shift();
      if (ex === undefined) continue;
      const res: HttpResponse = { status: Number(l['http.response.code'][0]), httpVersion: '1.1',
        headers: headers(l['http.response.line']), contentType, body, bodyLength: body.length,
        bodyTruncated: false };
      ex.response = res;
    }
  }
  return out;
}

interface Planted {
  location: string;
  kind: string;
  value: string;
}

test('every planted value of every corpus capture is found at its location', (t) => {
  if (!existsSync(ROOT)) {
    t.skip('corpus not present at ../shared/corpus/traffic');
    return;
  }
  for (const name of readdirSync(ROOT).sort()) {
    const dir = join(ROOT, name);
    if (!existsSync(join(dir, 'truth.json'))) continue;
    const exchanges = exchangesOf(join(dir, 'capture.pcap'));
    if (exchanges === null) {
      t.skip('tshark not installed');
      return;
    }
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
      requests: Array<{ planted_pii?: Planted[]; response_pii?: Planted[] }>;
    };
    const found = new Set<string>();
    const locations = new Set<string>();
    for (const ex of exchanges) {
      for (const f of scanExchange(ex)) {
        found.add(`${f.in} ${f.location} ${f.kind}`);
        locations.add(f.location);
      }
    }
    const values = new Set<string>();
    const missing: string[] = [];
    for (const r of truth.requests) {
      const sides: Array<['request' | 'response', Planted[]]> =
        [['request', r.planted_pii ?? []], ['response', r.response_pii ?? []]];
      for (const [side, list] of sides) {
        for (const p of list) {
          values.add(p.value);
          const want = `${side} ${p.location.replace(/\/\d+(?=\/|$)/g, '/*')} ${p.kind}`;
          if (!found.has(want)) missing.push(want);
        }
      }
    }
    assert.deepEqual([...new Set(missing)], [], name);
    for (const loc of locations) {
      for (const v of values) assert.ok(!loc.includes(v), `${name}: ${loc} holds a value`);
    }
  }
});
