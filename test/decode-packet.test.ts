import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TCP_ACK } from '../src/decode/types.js';
import * as LT from '../src/decode/link-types.js';
import { concat, decodeFrames, ETH_IPV4, hex, IPV4_TCP_GET, text } from './decode-hex.js';
import * as F from './decode-frames.js';

/** Decodes one frame and checks it gave the GET segment of the fixtures. */
function expectGet(frame: Uint8Array, linkType: number, tunnel = '', v6 = false): void {
  const { segments, anomalies } = decodeFrames([frame], linkType);
  const seg = segments[0];
  assert.ok(seg, 'a segment');
  assert.equal(seg.tunnel, tunnel);
  assert.equal(seg.srcIp, v6 ? '2001:db8::1' : '10.0.0.1');
  assert.equal(seg.dstIp, v6 ? '2001:db8::2' : '10.0.0.2');
  assert.equal(seg.srcPort, 49152);
  assert.equal(seg.dstPort, 80);
  assert.equal(seg.seq, 1);
  assert.equal(seg.ack, 2);
  assert.equal(seg.flags & TCP_ACK, TCP_ACK);
  assert.equal(text(seg.payload), 'GET / HTTP/1.1\r\n');
  assert.equal(seg.missing ?? 0, 0);
  assert.deepEqual(anomalies.counts, {});
}

test('packet: Ethernet/IPv4/TCP gives the segment, packet number and time', () => {
  const { segments, decoder } = decodeFrames([F.ETH_TCP], LT.LINKTYPE_ETHERNET);
  const seg = segments[0]!;
  assert.equal(seg.packet, 1);
  assert.equal(seg.ts, 1000);
  assert.equal(seg.ipId, 7);
  assert.equal(decoder.stats.tcp, 1);
  expectGet(F.ETH_TCP, LT.LINKTYPE_ETHERNET);
});

test('packet: Ethernet/IPv6/TCP with RFC 5952 addresses and ipId 0', () => {
  const frame = concat(hex('00 00 00 00 00 02  00 00 00 00 00 01  86 dd'), F.IPV6_TCP_GET);
  expectGet(frame, LT.LINKTYPE_ETHERNET, '', true);
  assert.equal(decodeFrames([frame], LT.LINKTYPE_ETHERNET).segments[0]?.ipId, 0);
});

test('packet: every link type reaches the same segment', () => {
  // Linux cooked v1: In, ARPHRD_ETHER, ethertype IPv4
  expectGet(concat(hex('00 00 00 01 00 06 00 11 22 33 44 55 00 00 08 00'), IPV4_TCP_GET), 113);
  // Linux cooked v2: ethertype IPv4, ifindex 2, ARPHRD_ETHER, In
  const sll2 = hex('08 00 00 00 00 00 00 02 00 01 00 06 00 11 22 33 44 55 00 00');
  expectGet(concat(sll2, IPV4_TCP_GET), 276);
  // BSD NULL, AF_INET little-endian; and AF_INET6 = 30 (Darwin) big-endian
  expectGet(concat(hex('02 00 00 00'), IPV4_TCP_GET), LT.LINKTYPE_NULL);
  expectGet(concat(hex('00 00 00 1e'), F.IPV6_TCP_GET), LT.LINKTYPE_NULL, '', true);
  // OpenBSD LOOP, AF_INET6 = 24 network order
  expectGet(concat(hex('00 00 00 18'), F.IPV6_TCP_GET), LT.LINKTYPE_LOOP, '', true);
  // raw IP, by nibble, under every number that means it
  for (const lt of [LT.LINKTYPE_RAW, LT.LINKTYPE_DLT_RAW_12, LT.LINKTYPE_DLT_RAW_14]) {
    expectGet(IPV4_TCP_GET, lt);
    expectGet(F.IPV6_TCP_GET, lt, '', true);
  }
  expectGet(IPV4_TCP_GET, LT.LINKTYPE_IPV4);
  expectGet(F.IPV6_TCP_GET, LT.LINKTYPE_IPV6, '', true);
});

test('packet: VLAN stacks and MPLS inside VLAN are peeled; they are not tunnels', () => {
  expectGet(F.QINQ_TCP, 1);
  expectGet(F.VLAN_MPLS_TCP, 1);
  const { decoder } = decodeFrames([F.QINQ_TCP, F.VLAN_MPLS_TCP], 1);
  assert.equal(decoder.stats.tunnels.vlan, 2);
  assert.equal(decoder.stats.tunnels.mpls, 1);
});

test('packet: tunnels name themselves in the tunnel id', () => {
  expectGet(F.VXLAN_TCP, 1, 'vxlan:4242');
  expectGet(F.GENEVE_IP_TCP, 1, 'geneve:7');
  expectGet(F.GRE_TEB_TCP, 1, 'gre');
  expectGet(F.ERSPAN1_TCP, 1, 'erspan');
  expectGet(F.ERSPAN2_TCP, 1, 'erspan:5');
  expectGet(F.ERSPAN3_VLAN_TCP, 1, 'erspan:3');
});

test('packet: nested tunnel ids compose outermost first', () => {
  expectGet(F.GRE_KEY_VXLAN_TCP, 1, 'gre:key=5/vxlan:4242');
  const { decoder } = decodeFrames([F.GRE_KEY_VXLAN_TCP], 1);
  assert.equal(decoder.stats.tunnels.gre, 1);
  assert.equal(decoder.stats.tunnels.vxlan, 1);
  assert.equal(decoder.stats.tcp, 1);
  assert.equal(decoder.stats.udp, 0, 'the carrier UDP is not counted as UDP traffic');
});

test('packet: tunnels nested past the limit are refused (bad-tunnel-header)', () => {
  const { segments, anomalies } = decodeFrames([F.GRE_KEY_VXLAN_TCP], 1, { maxTunnelDepth: 1 });
  assert.equal(segments[0], null);
  assert.equal(anomalies.counts['bad-tunnel-header'], 1);
});

test('packet: IPv4 fragments are reassembled into one segment on the last fragment', () => {
  const { segments, decoder } = decodeFrames(F.IPV4_FRAGS, 1);
  assert.equal(segments[0], null);
  const seg = segments[1]!;
  assert.equal(seg.packet, 2);
  assert.equal(seg.dstPort, 80);
  assert.equal(text(seg.payload), 'GET / HTTP/1.1\r\n');
  assert.equal(decoder.stats.fragments, 2);
  assert.equal(decoder.stats.reassembled, 1);
  assert.equal(decoder.stats.tcp, 1);
});

test('packet: IPv6 fragments too, in either order', () => {
  for (const frames of [F.IPV6_FRAGS, [...F.IPV6_FRAGS].reverse()]) {
    const { segments } = decodeFrames(frames, 1);
    const seg = segments[1]!;
    assert.equal(seg.srcIp, '2001:db8::1');
    assert.equal(text(seg.payload), 'GET / HTTP/1.1\r\n');
  }
});

test('packet: fragments of different tunnels never mix', () => {
  // the first fragment plain, the second one inside GRE: two different datagrams
  const gre2 = concat(
    ETH_IPV4,
    hex('45 00 00 38 00 0a 00 00 40 2f 00 00  c0 00 02 01  c0 00 02 02'), // total 56
    hex('00 00 08 00'),
    F.IPV4_FRAGS[1]!.subarray(14), // the inner IP fragment (32 bytes)
  );
  const { segments, decoder } = decodeFrames([F.IPV4_FRAGS[0]!, gre2], 1);
  assert.deepEqual(segments, [null, null]);
  assert.equal(decoder.stats.reassembled, 0);
});

test('packet: a snapped segment keeps what was captured and says what is missing', () => {
  const cut = F.ETH_TCP.subarray(0, 14 + 46); // 6 of the 16 payload bytes
  const { segments, anomalies } = decodeFrames([cut], 1, {}, [F.ETH_TCP.length]);
  const seg = segments[0]!;
  assert.equal(text(seg.payload), 'GET / ');
  assert.equal(seg.missing, 10);
  assert.equal(anomalies.counts['truncated-packet'], 1);
});

test('packet: a snapped tunnel packet counts one truncated-packet, not one per layer', () => {
  const cut = F.VXLAN_TCP.subarray(0, F.VXLAN_TCP.length - 4);
  const { segments, anomalies } = decodeFrames([cut], 1, {}, [F.VXLAN_TCP.length]);
  assert.equal(segments[0]?.missing, 4);
  assert.equal(segments[0]?.tunnel, 'vxlan:4242');
  assert.equal(anomalies.counts['truncated-packet'], 1);
});

test('regression: an IP length beyond a frame the capture did not cut is malformed', () => {
  // IPv4 total length 66 where the 56-byte datagram is all there is (wire length =
  // captured length): the header lies; a host drops such a packet, and so do we,
  // rather than declare 10 bytes lost in the stream (which skipped real bytes).
  const v4 = Uint8Array.from(F.ETH_TCP);
  v4[14 + 3] = 66;
  // IPv6 payload length 46 where 36 bytes follow the header.
  const v6 = concat(hex('00 00 00 00 00 02  00 00 00 00 00 01  86 dd'), F.IPV6_TCP_GET);
  v6[14 + 5] = 46;
  for (const frame of [v4, v6]) {
    const { segments, anomalies, decoder } = decodeFrames([frame], 1);
    assert.equal(segments[0], null);
    assert.deepEqual(anomalies.counts, { 'bad-ip-header': 1 });
    assert.equal(decoder.stats.malformed, 1);
    // The same frame cut by the capture (longer on the wire) is truncation.
    const cut = decodeFrames([frame], 1, {}, [frame.length + 10]);
    assert.equal(cut.segments[0]?.missing, 10);
    assert.deepEqual(cut.anomalies.counts, { 'truncated-packet': 1 });
  }
});

test('regression: a tunnelled IP length beyond its whole outer packet is malformed', () => {
  // VXLAN frame captured whole; the inner IPv4 claims 10 bytes more than it has.
  const frame = Uint8Array.from(F.VXLAN_TCP);
  const inner = frame.length - IPV4_TCP_GET.length;
  frame[inner + 3] = IPV4_TCP_GET.length + 10;
  const { segments, anomalies } = decodeFrames([frame], 1);
  assert.equal(segments[0], null);
  assert.deepEqual(anomalies.counts, { 'bad-ip-header': 1 });
});

test('packet: Ethernet padding and a trailing FCS are not payload', () => {
  const padded = concat(F.ETH_TCP, hex('00 00 00 00  de ad be ef'));
  expectGet(padded, 1);
});

test('packet: headers cut short drop the packet as truncated', () => {
  for (const n of [10, 14 + 12, 14 + 20 + 10]) {
    const cut = F.ETH_TCP.subarray(0, n);
    const { segments, anomalies, decoder } = decodeFrames([cut], 1, {}, [F.ETH_TCP.length]);
    assert.equal(segments[0], null, `cut at ${n}`);
    assert.equal(anomalies.counts['truncated-packet'], 1);
    assert.equal(decoder.stats.malformed, 1);
  }
});

test('packet: a bad TCP data offset is an anomaly, not a segment', () => {
  const bad = Uint8Array.from(F.ETH_TCP);
  bad[14 + 20 + 12] = 0x30; // data offset 3 words
  const { segments, anomalies } = decodeFrames([bad], 1);
  assert.equal(segments[0], null);
  assert.equal(anomalies.counts['bad-tcp-offset'], 1);
});

test('packet: bad IP and tunnel headers are counted, never thrown', () => {
  const badIp = Uint8Array.from(F.ETH_TCP);
  badIp[14] = 0x43; // IHL 3
  const badVxlan = Uint8Array.from(F.VXLAN_TCP);
  badVxlan[14 + 20 + 8] = 0; // VXLAN without the I flag
  const { segments, anomalies } = decodeFrames([badIp, badVxlan], 1);
  assert.deepEqual(segments, [null, null]);
  assert.equal(anomalies.counts['bad-ip-header'], 1);
  assert.equal(anomalies.counts['bad-tunnel-header'], 1);
});

test('packet: non-IP, UDP, ICMP and unknown link types are counted by kind', () => {
  // ARP: ethertype 0x0806 and 28 bytes
  const arp = concat(hex('ff ff ff ff ff ff  00 00 00 00 00 01  08 06'), new Uint8Array(28));
  // IP 10.0.0.1.53 > 10.0.0.2.53: UDP, length 0
  const udp = concat(
    ETH_IPV4,
    hex('45 00 00 1c 00 01 00 00 40 11 00 00 0a 00 00 01 0a 00 00 02'),
    hex('00 35 00 35 00 08 00 00'),
  );
  // IP 10.0.0.1 > 10.0.0.2: ICMP echo request
  const icmp = concat(
    ETH_IPV4,
    hex('45 00 00 1c 00 01 00 00 40 01 00 00 0a 00 00 01 0a 00 00 02'),
    hex('08 00 00 00 00 01 00 01'),
  );
  const { segments, decoder } = decodeFrames([arp, udp, icmp], 1);
  assert.deepEqual(segments, [null, null, null]);
  assert.equal(decoder.stats.nonIp, 1);
  assert.equal(decoder.stats.udp, 1);
  assert.equal(decoder.stats.icmp, 1);
  const odd = decodeFrames([F.ETH_TCP], 147);
  assert.equal(odd.segments[0], null);
  assert.equal(odd.decoder.stats.nonIp, 1);
});

test('packet: finish() gives up pending fragments', () => {
  const { decoder, anomalies } = decodeFrames([F.IPV4_FRAGS[0]!], 1);
  decoder.finish();
  assert.equal(anomalies.counts['fragment-timeout'], 1);
});
