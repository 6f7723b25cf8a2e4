/**
 * Whole frames for the packet decoder tests, each built from annotated hex with
 * the line tcpdump/tshark prints for it. Every inner frame is IPV4_TCP_GET (or its
 * IPv6 twin), so each test can expect the same segment whatever the wrapping.
 */
import { concat, ETH_IPV4, GET_LINE, hex, IPV4_TCP_GET } from './decode-hex.js';

/** 10.0.0.1.49152 > 10.0.0.2.80: Flags [P.], seq 1:17, ack 2, length 16 (over Ethernet) */
export const ETH_TCP = concat(ETH_IPV4, IPV4_TCP_GET);

/**
 * IPv6 twin of IPV4_TCP_GET (76 bytes):
 * IP6 2001:db8::1.49152 > 2001:db8::2.80: Flags [P.], seq 1:17, ack 2, length 16
 */
export const IPV6_TCP_GET = concat(
  hex(`
    60 00 00 00  00 24 06 40       # version 6, payload length 36, next TCP, hop limit 64
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # 2001:db8::2
    c0 00 00 50  00 00 00 01  00 00 00 02  50 18 ff ff  00 00 00 00
  `),
  GET_LINE,
);

/** 802.1ad vlan 100, 802.1Q vlan 200, then IPv4/TCP */
export const QINQ_TCP = concat(
  hex('00 00 00 00 00 02  00 00 00 00 00 01  88 a8'),
  hex('00 64 81 00   00 c8 08 00'), // S-tag vlan 100 -> C-tag vlan 200 -> IPv4
  IPV4_TCP_GET,
);

/** 802.1Q vlan 10, MPLS (label 16, [S], ttl 64), then IPv4/TCP */
export const VLAN_MPLS_TCP = concat(
  hex('00 00 00 00 00 02  00 00 00 00 00 01  81 00'),
  hex('00 0a 88 47'), // vlan 10 -> MPLS unicast
  hex('00 01 01 40'), // label 16, bottom of stack, ttl 64
  IPV4_TCP_GET,
);

/**
 * IP 192.0.2.1.51000 > 192.0.2.2.4789: VXLAN, flags [I] (0x08), vni 4242
 *   [inner] IP 10.0.0.1.49152 > 10.0.0.2.80: Flags [P.], length 16
 * outer IP total 106 = 20 + UDP 86 (8 + VXLAN 8 + inner frame 70)
 */
export const VXLAN_TCP = concat(
  ETH_IPV4,
  hex('45 00 00 6a 00 01 00 00 40 11 00 00  c0 00 02 01  c0 00 02 02'),
  hex('c7 38 12 b5  00 56 00 00'), // UDP 51000 > 4789, length 86
  hex('08 00 00 00  00 10 92 00'), // VXLAN I flag, vni 4242
  ETH_TCP,
);

/**
 * IP 192.0.2.1 > 192.0.2.2: GREv0, key=0x5, proto IPv4
 *   IP 198.51.100.1.51000 > 198.51.100.2.4789: VXLAN, vni 4242
 *     IP 10.0.0.1.49152 > 10.0.0.2.80: Flags [P.], length 16
 * outer total 134 = 20 + GRE 8 + inner IP 106
 */
export const GRE_KEY_VXLAN_TCP = concat(
  ETH_IPV4,
  hex('45 00 00 86 00 02 00 00 40 2f 00 00  c0 00 02 01  c0 00 02 02'),
  hex('20 00 08 00  00 00 00 05'), // GRE flags [key], proto IPv4, key 5
  hex('45 00 00 6a 00 03 00 00 40 11 00 00  c6 33 64 01  c6 33 64 02'),
  hex('c7 38 12 b5  00 56 00 00'),
  hex('08 00 00 00  00 10 92 00'),
  ETH_TCP,
);

/**
 * IP 192.0.2.1 > 192.0.2.2: GREv0, proto TEB (0x6558), then an Ethernet frame
 * outer total 94 = 20 + GRE 4 + frame 70
 */
export const GRE_TEB_TCP = concat(
  ETH_IPV4,
  hex('45 00 00 5e 00 04 00 00 40 2f 00 00  c0 00 02 01  c0 00 02 02'),
  hex('00 00 65 58'),
  ETH_TCP,
);

/**
 * IP 192.0.2.1.51000 > 192.0.2.2.6081: Geneve, vni 0x7, proto IPv4, options [4 bytes]
 *   IP 10.0.0.1.49152 > 10.0.0.2.80: Flags [P.], length 16
 * UDP length 76 = 8 + Geneve 12 + inner IP 56; outer total 96
 */
export const GENEVE_IP_TCP = concat(
  ETH_IPV4,
  hex('45 00 00 60 00 05 00 00 40 11 00 00  c0 00 02 01  c0 00 02 02'),
  hex('c7 38 17 c1  00 4c 00 00'), // UDP 51000 > 6081, length 76
  hex('01 00 08 00  00 00 07 00  01 02 03 00'), // optlen 1 word, IPv4, vni 7; option
  IPV4_TCP_GET,
);

/**
 * IP 192.0.2.1 > 192.0.2.2: GREv0, Flags [sequence# present], seq 1, proto ERSPAN (0x88be)
 *   ERSPAN II, session 5, then the Ethernet frame
 * outer total 106 = 20 + GRE 8 + ERSPAN 8 + frame 70
 */
export const ERSPAN2_TCP = concat(
  ETH_IPV4,
  hex('45 00 00 6a 00 06 00 00 40 2f 00 00  c0 00 02 01  c0 00 02 02'),
  hex('10 00 88 be  00 00 00 01'),
  hex('10 07 00 05  00 00 00 12'), // version 1, vlan 7, session 5, index 18
  ETH_TCP,
);

/** ERSPAN type I: GREv0 without sequence number, proto 0x88be, the frame right after. */
export const ERSPAN1_TCP = concat(
  ETH_IPV4,
  hex('45 00 00 5e 00 07 00 00 40 2f 00 00  c0 00 02 01  c0 00 02 02'),
  hex('00 00 88 be'),
  ETH_TCP,
);

/**
 * GREv0 proto ERSPAN III (0x22eb), session 3, with platform sub-header (O bit), then
 * an Ethernet frame with 802.1Q vlan 10 around IPv4/TCP.
 * outer total 118 = 20 + GRE 4 + ERSPAN 12 + sub-header 8 + frame 74 (14 + 4 + 56)
 */
export const ERSPAN3_VLAN_TCP = concat(
  ETH_IPV4,
  hex('45 00 00 76 00 08 00 00 40 2f 00 00  c0 00 02 01  c0 00 02 02'),
  hex('00 00 22 eb'),
  hex('20 0a 00 03  70 50 7e 55  00 00 00 07'), // v2 (III), vlan 10, session 3, FT 0, O
  hex('0c 00 00 03  15 f7 42 e8'), // platform sub-header
  hex('00 00 00 00 00 02  00 00 00 00 00 01  81 00  00 0a 08 00'),
  IPV4_TCP_GET,
);

/**
 * The first 36 bytes of IPV4_TCP_GET's TCP segment split across two fragments:
 * IP 10.0.0.1 > 10.0.0.2: frag 9:24@0+  (TCP header and "GET ")
 * IP 10.0.0.1 > 10.0.0.2: frag 9:12@24  (the rest of the request line)
 */
export const IPV4_FRAGS = [
  concat(
    ETH_IPV4,
    hex('45 00 00 2c 00 09 20 00 40 06 00 00  0a 00 00 01  0a 00 00 02'), // MF, offset 0
    IPV4_TCP_GET.subarray(20, 44),
  ),
  concat(
    ETH_IPV4,
    hex('45 00 00 20 00 09 00 03 40 06 00 00  0a 00 00 01  0a 00 00 02'), // offset 3 units
    IPV4_TCP_GET.subarray(44, 56),
  ),
];

/** The same split for IPv6 with Fragment headers (id 0x0000abcd). */
export const IPV6_FRAGS = [
  concat(
    hex('00 00 00 00 00 02  00 00 00 00 00 01  86 dd'),
    hex(`60 00 00 00  00 20 2c 40     # payload 32 = frag header 8 + 24, next Fragment
         20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
         20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
         06 00 00 01  00 00 ab cd`), // next TCP, offset 0, M
    IPV6_TCP_GET.subarray(40, 64),
  ),
  concat(
    hex('00 00 00 00 00 02  00 00 00 00 00 01  86 dd'),
    hex(`60 00 00 00  00 14 2c 40     # payload 20 = 8 + 12
         20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
         20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
         06 00 00 18  00 00 ab cd`), // offset 24 (3 units), last
    IPV6_TCP_GET.subarray(64, 76),
  ),
];
