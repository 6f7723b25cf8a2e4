/**
 * The decoder over real captures: every corpus file decodes without throwing, and
 * where tshark lists an HTTP request in a tunnelled or unusual-link capture, a TCP
 * segment to the server port starts with that request line.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnomalyCounter } from '../src/anomalies.js';
import { DEFAULT_LIMITS } from '../src/config/limits.js';
import { PacketDecoder } from '../src/decode/packet.js';
import type { TcpSegment } from '../src/decode/types.js';
import { openCapture } from '../src/source/open.js';
import { corpusTest, PCAPS, TRAFFIC } from './source-helpers.js';

interface Run {
  segments: TcpSegment[];
  decoder: PacketDecoder;
  anomalies: AnomalyCounter;
}

/** Decodes a whole file, copying each segment's payload out of the chunk. */
async function decodeFile(file: string): Promise<Run> {
  const anomalies = new AnomalyCounter();
  const decoder = new PacketDecoder(DEFAULT_LIMITS, anomalies);
  const segments: TcpSegment[] = [];
  const source = await openCapture(file);
  for await (const batch of source.batches()) {
    for (const p of batch) {
      const seg = decoder.decode(p);
      if (seg !== null) segments.push({ ...seg, payload: Uint8Array.from(seg.payload) });
    }
  }
  decoder.finish();
  return { segments, decoder, anomalies };
}

/** The capture file for a reference name, whatever its extension. */
function captureFor(name: string): string {
  for (const ext of ['.pcap', '.pcapng', '.pcap.gz']) {
    if (existsSync(join(PCAPS, name + ext))) return join(PCAPS, name + ext);
  }
  throw new Error(`no capture for ${name}`);
}

/**
 * Link-type and tunnel captures with the HTTP server port(s) tshark decodes requests
 * to (tshark -Y http.request -T fields -e tcp.dstport) and the tunnel ids expected.
 */
const CASES: Array<{ name: string; ports: number[]; tunnels: string[] }> = [
  { name: 'vlan-qinq', ports: [80], tunnels: [''] },
  { name: 'sll-log4j-exploit', ports: [80, 8080], tunnels: [''] },
  { name: 'sll2-get', ports: [80], tunnels: [''] },
  { name: 'rawip-content-disposition', ports: [80], tunnels: [''] },
  { name: 'null-loopback-304', ports: [8080], tunnels: [''] },
  { name: 'gre-eth-bridged', ports: [80], tunnels: ['gre'] },
  { name: 'vxlan-http', ports: [80], tunnels: ['vxlan:1'] },
  { name: 'geneve-options', ports: [80], tunnels: ['geneve:786734'] },
  { name: 'erspan2-http', ports: [80], tunnels: ['erspan:2', 'erspan:5'] },
  { name: 'erspan3-dot1q-icmp', ports: [], tunnels: [] },
  { name: 'mpls-in-vlan', ports: [80], tunnels: [''] },
  { name: 'ipfrag-socks5', ports: [21477], tunnels: [''] },
  { name: 'pcapng-dvwa-nsec', ports: [80], tunnels: [''] },
  { name: 'pcapng-be-multisection', ports: [], tunnels: [] },
];

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

for (const c of CASES) {
  corpusTest(`corpus ${c.name}: a request segment for every request tshark lists`, async () => {
    const { segments } = await decodeFile(captureFor(c.name));
    const refs = readFileSync(join(PCAPS, `${c.name}.tshark.jsonl`), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { method: string; uri: string });
    let from = 0;
    for (const r of refs) {
      const line = `${r.method} ${r.uri}`;
      const i = segments.findIndex((s, k) => {
        if (k < from) return false;
        const head = latin1(s.payload.subarray(0, line.length));
        return head.length > r.method.length + 1 && line.startsWith(head);
      });
      assert.ok(i >= 0, `${c.name}: a segment starting "${line.slice(0, 60)}"`);
      const seg = segments[i]!;
      assert.ok(c.ports.includes(seg.dstPort), `${c.name}: sent to ${seg.dstPort}`);
      from = i + 1;
    }
    const requests = segments.filter((s) => /^[A-Z]+ \//.test(latin1(s.payload.subarray(0, 16))));
    const requestTunnels = new Set(requests.map((s) => s.tunnel));
    assert.deepEqual([...requestTunnels].sort(), c.tunnels);
  });
}

corpusTest('corpus: ERSPAN III with an inner 802.1Q tag reaches the ICMP inside', async () => {
  const { decoder, anomalies } = await decodeFile(captureFor('erspan3-dot1q-icmp'));
  assert.equal(decoder.stats.icmp, 2);
  assert.equal(decoder.stats.tunnels.erspan, 2);
  assert.equal(decoder.stats.tunnels.vlan, 2);
  assert.equal(anomalies.total(), 0);
});

corpusTest('corpus: IPv4 fragments are reassembled (ipfrag-socks5)', async () => {
  const { decoder, segments } = await decodeFile(captureFor('ipfrag-socks5'));
  assert.ok(decoder.stats.reassembled > 0);
  // tshark: the 302 response arrives in fragments reassembled at frame 67
  const response = segments.find((s) => latin1(s.payload).startsWith('HTTP/1.1 302'));
  assert.equal(response?.packet, 67);
});

corpusTest('corpus: a snapped capture gives clipped segments that say what is missing',
  async () => {
  const { segments, anomalies } = await decodeFile(captureFor('snaplen96-truncated'));
  const cut = segments.filter((s) => (s.missing ?? 0) > 0);
  assert.ok(cut.length > 0);
  assert.equal(anomalies.counts['truncated-packet'], cut.length);
  for (const s of cut) assert.ok(s.payload.length < 96);
});

corpusTest('corpus: every capture decodes without throwing', async () => {
  const files = readdirSync(PCAPS).filter((f) => /\.(pcap|pcapng|pcap\.gz)$/.test(f));
  for (const f of files) {
    const { decoder } = await decodeFile(join(PCAPS, f));
    assert.ok(decoder.stats.packets > 0, f);
  }
});

corpusTest('corpus: the VXLAN copy of a capture gives the same segments as the plain one',
  async () => {
  const hasVxlan = (d: string): boolean => existsSync(join(TRAFFIC, d, 'capture.vxlan.pcap'));
  const dirs = readdirSync(TRAFFIC).filter(hasVxlan);
  assert.ok(dirs.length > 0, 'at least one traffic capture has a VXLAN variant');
  for (const d of dirs) {
    const plain = await decodeFile(join(TRAFFIC, d, 'capture.pcap'));
    const vxlan = await decodeFile(join(TRAFFIC, d, 'capture.vxlan.pcap'));
    assert.ok(plain.segments.length > 0);
    assert.equal(vxlan.segments.length, plain.segments.length, d);
    const tunnels = new Set(vxlan.segments.map((s) => s.tunnel));
    assert.deepEqual([...tunnels], ['vxlan:4242']);
    vxlan.segments.forEach((s, i) => {
      assert.deepEqual({ ...s, tunnel: '' }, plain.segments[i], `${d} segment ${i}`);
    });
    assert.equal(plain.anomalies.total(), 0);
    assert.equal(vxlan.anomalies.total(), 0);
  }
});
