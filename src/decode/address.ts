/**
 * IP addresses as the strings flow keys are made of: dotted-quad IPv4 and RFC 5952
 * IPv6. Formatting is the costliest thing the decoder does per packet, and a
 * capture keeps meeting the same few addresses, so both are cached.
 */

const IPV4_CACHE_MAX = 65536;
const ipv4Cache = new Map<number, string>();

/** The IPv4 address at `off` in dotted-quad form. */
export function formatIpv4(b: Uint8Array, off: number): string {
  const key = ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
  let s = ipv4Cache.get(key);
  if (s === undefined) {
    s = `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
    // A crude bound: a sensor on a big network meets more hosts than we want to keep.
    if (ipv4Cache.size >= IPV4_CACHE_MAX) ipv4Cache.clear();
    ipv4Cache.set(key, s);
  }
  return s;
}

/** Direct-mapped cache: slot chosen by a hash of the 16 bytes, checked in full. */
const IPV6_SLOTS = 4096;
const ipv6Keys = new Uint8Array(IPV6_SLOTS * 16);
const ipv6Strings: (string | undefined)[] = new Array<string | undefined>(IPV6_SLOTS);

/** The IPv6 address at `off` in RFC 5952 canonical text form. */
export function formatIpv6(b: Uint8Array, off: number): string {
  let h = 0;
  for (let i = 0; i < 16; i++) h = (Math.imul(h, 31) + b[off + i]!) | 0;
  const slot = (h >>> 0) % IPV6_SLOTS;
  const cached = ipv6Strings[slot];
  if (cached !== undefined && sameBytes(b, off, ipv6Keys, slot * 16)) return cached;
  const s = ipv6Text(b, off);
  ipv6Keys.set(b.subarray(off, off + 16), slot * 16);
  ipv6Strings[slot] = s;
  return s;
}

function sameBytes(a: Uint8Array, ao: number, k: Uint8Array, ko: number): boolean {
  for (let i = 0; i < 16; i++) if (a[ao + i] !== k[ko + i]) return false;
  return true;
}

/**
 * RFC 5952 section 4: lowercase hex, no leading zeros in a group, the longest run
 * of two or more zero groups (the first on a tie) replaced by "::". Section 5:
 * IPv4-mapped addresses end in dotted-quad form.
 */
function ipv6Text(b: Uint8Array, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  if (isIpv4Mapped(groups)) return `::ffff:${formatIpv4(b, off + 12)}`;
  let bestAt = -1;
  let bestLen = 1; // a single zero group is never shortened (section 4.2.2)
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestAt < 0) return hex(0, 8);
  return `${hex(0, bestAt)}::${hex(bestAt + bestLen, 8)}`;
}

/** ::ffff:0:0/96 (RFC 4291 section 2.5.5.2). */
function isIpv4Mapped(g: number[]): boolean {
  return g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;
}
