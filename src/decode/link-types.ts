/**
 * The link-layer types the decoder understands, as LINKTYPE_* numbers (the values
 * pcap and pcapng files carry). Capture readers use this list to refuse a file
 * whose only link type could never yield a packet.
 */

/** BSD loopback: 4-byte address family in the capturing host's byte order. */
export const LINKTYPE_NULL = 0;
/** Ethernet II / 802.3. */
export const LINKTYPE_ETHERNET = 1;
/**
 * DLT_RAW as written by most BSDs and old libpcap: raw IPv4 or IPv6.
 * LIMITATION: OpenBSD's DLT_LOOP is also 12 in files written there without the
 * LINKTYPE mapping; such packets start with an address family, not an IP version,
 * and are counted as malformed IP.
 */
export const LINKTYPE_DLT_RAW_12 = 12;
/** DLT_RAW as written on BSD/OS: raw IPv4 or IPv6. */
export const LINKTYPE_DLT_RAW_14 = 14;
/** Raw IPv4 or IPv6, version told by the first nibble. */
export const LINKTYPE_RAW = 101;
/** OpenBSD loopback: 4-byte address family in network byte order. */
export const LINKTYPE_LOOP = 108;
/** Linux cooked capture v1 (16-byte header). */
export const LINKTYPE_LINUX_SLL = 113;
/** Raw IPv4 only. */
export const LINKTYPE_IPV4 = 228;
/** Raw IPv6 only. */
export const LINKTYPE_IPV6 = 229;
/** Linux cooked capture v2 (20-byte header). */
export const LINKTYPE_LINUX_SLL2 = 276;

const NAMES: ReadonlyMap<number, string> = new Map([
  [LINKTYPE_NULL, 'NULL/BSD loopback'],
  [LINKTYPE_ETHERNET, 'Ethernet'],
  [LINKTYPE_DLT_RAW_12, 'raw IP (DLT 12)'],
  [LINKTYPE_DLT_RAW_14, 'raw IP (DLT 14)'],
  [LINKTYPE_RAW, 'raw IP'],
  [LINKTYPE_LOOP, 'OpenBSD loopback'],
  [LINKTYPE_LINUX_SLL, 'Linux SLL'],
  [LINKTYPE_IPV4, 'raw IPv4'],
  [LINKTYPE_IPV6, 'raw IPv6'],
  [LINKTYPE_LINUX_SLL2, 'Linux SLL2'],
]);

/** True when the decoder can read frames of this link type. */
export function isSupportedLinkType(linkType: number): boolean {
  return NAMES.has(linkType);
}

/** A one-line list of the supported link types, for error messages and docs. */
export function supportedLinkTypesText(): string {
  return [...NAMES].map(([n, name]) => `${n} (${name})`).join(', ');
}
