// TLS hosts through the command line (src/tls/hosts.ts, src/report/encrypted.ts,
// src/store/encrypted.ts): captures whose only traffic is TLS list their server names
// under `encrypted`, and the run summary states the volume that was not inspected.
// The names expected come from tshark's own reading of each capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shadowtap, tempDir } from './helpers/cli.js';
import { haveTshark } from './helpers/tshark.js';
import { EncryptedHosts } from '../src/tls/hosts.js';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import type { EncryptedFlow } from '../src/tls/flow-sink.js';
import { PCAPS } from './source-helpers.js';

const FIXTURE = resolve(process.cwd(), 'test/fixtures/tls-client-hello.pcap');

/** What tshark reads in each ClientHello: [SNI or '' , destination address, ALPN]. */
function tsharkHellos(file: string, decodeAs: string[] = []): Array<[string, string, string[]]> {
  const res = spawnSync('tshark', [
    '-r', file, ...decodeAs, '-Y', 'tls.handshake.type == 1', '-T', 'fields',
    '-e', 'tls.handshake.extensions_server_name', '-e', 'ip.dst',
    '-e', 'tls.handshake.extensions_alpn_str',
  ], { encoding: 'utf8' });
  return res.stdout.trim().split('\n').filter((l) => l !== '').map((l) => {
    const [sni = '', dst = '', alpn = ''] = l.split('\t');
    return [sni, dst, alpn === '' ? [] : alpn.split(',').sort()];
  });
}

interface JsonReport {
  encrypted: Array<{
    host: string; flows: number; bytes: number; alpn: string[];
    firstSeen: number; lastSeen: number; status: string;
  }>;
  endpoints: unknown[];
}

function replayJson(files: string[], extra: string[] = []): { report: JsonReport; err: string } {
  const db = join(tempDir('shadowtap-tls-'), 'x.db');
  const res = shadowtap(['replay', '--db', db, '--workers', '0', '--format', 'json', ...extra,
    ...files]);
  assert.equal(res.status, 0, res.stderr);
  return { report: JSON.parse(res.stdout) as JsonReport, err: res.stderr };
}

const CASES: Array<[string, string, string[]]> = [
  ['our loopback ClientHello', FIXTURE, []],
  ['tls12-only.pcap', join(PCAPS, 'tls12-only.pcap'), []],
  // tshark decodes port 80 as HTTP unless told otherwise.
  ['tls-to-port-80.pcap', join(PCAPS, 'tls-to-port-80.pcap'), ['-d', 'tcp.port==80,tls']],
];

for (const [name, file, decodeAs] of CASES) {
  test(`a TLS capture lists its SNI hosts: ${name}`, (t) => {
    if (!haveTshark()) return t.skip('tshark not installed');
    if (!existsSync(file)) return t.skip(`${file} not found (the shared corpus)`);
    const hellos = tsharkHellos(file, decodeAs);
    assert.ok(hellos.length > 0, 'tshark sees a ClientHello');
    const { report, err } = replayJson([file]);
    assert.deepEqual(report.endpoints, []);
    // A ClientHello without SNI is listed under its server's address.
    const expected = [...new Set(hellos.map(([sni, dst]) => (sni !== '' ? sni : dst)))].sort();
    assert.deepEqual(report.encrypted.map((e) => e.host), expected);
    for (const e of report.encrypted) {
      const mine = hellos.filter(([sni, dst]) => (sni !== '' ? sni : dst) === e.host);
      assert.equal(e.flows, mine.length);
      assert.deepEqual(e.alpn, [...new Set(mine.flatMap(([, , a]) => a))].sort());
      assert.ok(e.bytes > 0 && e.lastSeen >= e.firstSeen);
      assert.equal(e.status, 'unknown-host'); // no catalog
    }
    assert.match(err, new RegExp(`not inspected: TLS ${hellos.length} flows`));
  });
}

test('a host the catalog names is known-host; the table and Markdown list it', (t) => {
  if (!haveTshark()) return t.skip('tshark not installed');
  const other = join(PCAPS, 'tls-to-port-80.pcap');
  if (!existsSync(other)) return t.skip(`${other} not found (the shared corpus)`);
  const [[sni]] = tsharkHellos(FIXTURE) as [[string, string, string[]]];
  const dir = tempDir('shadowtap-tls-spec-');
  const spec = join(dir, 'api.yaml');
  writeFileSync(spec, [
    'openapi: 3.0.3', 'info: {title: t, version: "1"}', `servers: [{url: "https://${sni}/v1"}]`,
    'paths:', '  /ping:', '    get:', '      responses: {"200": {description: ok}}', '',
  ].join('\n'));
  const { report } = replayJson([FIXTURE, other],
    ['--catalog', spec]);
  const status = Object.fromEntries(report.encrypted.map((e) => [e.host, e.status]));
  assert.equal(status[sni], 'known-host');
  assert.equal(Object.values(status).filter((s) => s === 'unknown-host').length, 1);
  const db = join(tempDir('shadowtap-tls-'), 'x.db');
  const table = shadowtap(['replay', '--db', db, '--workers', '0', FIXTURE]);
  assert.match(table.stdout, new RegExp(`Hosts seen over TLS.*\\n.*${sni}`));
  const md = shadowtap(['report', '--db', db, '--format', 'md']);
  assert.match(md.stdout, new RegExp(`## encrypted \\(1\\)[^]*\\| ${sni} \\| 1 \\|`));
});

test('hosts add up per name, ALPN joins, HTTP/2 counts apart, the host limit holds', () => {
  const anomalies = new AnomalyCounter();
  const agg = new EncryptedHosts(limitsWith({ tlsMaxHosts: 2 }), anomalies);
  const flow = (sni: string, bytes: number, ts: number, alpn: string[],
    kind: 'tls' | 'h2' = 'tls'): EncryptedFlow => ({
    kind, sni, alpn, serverIp: '10.0.0.9', serverPort: 443, bytes, firstTs: ts, lastTs: ts + 1,
  });
  agg.add(flow('a.test', 100, 5, ['http/1.1']));
  agg.add(flow('a.test', 50, 2, ['h2']));
  agg.add(flow('', 10, 3, []));
  agg.add(flow('c.test', 7, 3, []));
  agg.add(flow('', 999, 1, ['h2c'], 'h2'));
  assert.deepEqual(agg.list(), [
    { host: '10.0.0.9', flows: 1, bytes: 10, alpn: [], firstSeen: 3, lastSeen: 4 },
    { host: 'a.test', flows: 2, bytes: 150, alpn: ['h2', 'http/1.1'], firstSeen: 2, lastSeen: 6 },
  ]);
  assert.deepEqual(agg.totals, { tlsFlows: 4, tlsBytes: 167, h2Flows: 1, h2Bytes: 999 });
  assert.equal(anomalies.counts['tls-host-limit'], 1);
});

test('h2c after a 101 is counted as HTTP/2 volume: the bytes of the frames tshark reads', (t) => {
  if (!haveTshark()) return t.skip('tshark not installed');
  const file = join(PCAPS, 'h2c-upgrade.pcap');
  if (!existsSync(file)) return t.skip(`${file} not found (the shared corpus)`);
  const res = spawnSync('tshark', ['-r', file, '-Y', 'http2', '-T', 'fields',
    '-e', 'http2.length', '-e', 'http2.magic'], { encoding: 'utf8' });
  // RFC 9113 §4.1: each frame is a 9-byte header and its payload; §3.4: a 24-byte preface.
  let bytes = 0;
  for (const line of res.stdout.trim().split('\n')) {
    const [lengths = '', magic = ''] = line.split('\t');
    for (const l of lengths.split(',').filter((x) => x !== '')) bytes += 9 + Number(l);
    if (magic !== '') bytes += 24;
  }
  assert.ok(bytes > 0);
  const { report, err } = replayJson([file]);
  assert.deepEqual(report.encrypted, []);
  assert.match(err, new RegExp(`HTTP/2 1 flows \\(${bytes} bytes\\)`));
});
