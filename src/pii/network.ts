/**
 * IP addresses written inside payloads and headers: IPv4 dotted quads (RFC 791
 * notation, no leading zeros, which some parsers read as octal) and IPv6 text
 * forms (RFC 4291 section 2.2, with "::" and an embedded IPv4 tail).
 */
import { isDigit, isHex } from './chars.js';

/** The four octets of a dotted quad, or null. */
export function ipv4Octets(s: string): number[] | null {
  if (s.length < 7 || s.length > 15) return null;
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return null;
    if (p.length > 1 && p[0] === '0') return null;
    let v = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (!isDigit(c)) return null;
      v = v * 10 + (c - 48);
    }
    if (v > 255) return null;
    out.push(v);
  }
  return out;
}

/** True for a syntactically valid IPv4 dotted quad. */
export function ipv4Valid(s: string): boolean {
  return ipv4Octets(s) !== null;
}

/**
 * How much a dotted quad looks like a host address rather than something else
 * written the same way: 0 for netmasks and 0.0.0.0, low for "1.2.3.4"-like
 * quads of single digits, which are far more often version numbers.
 */
export function ipv4Strength(s: string): number {
  const o = ipv4Octets(s);
  if (o === null) return 0;
  if (o.every((v) => v === 0)) return 0;
  if (isNetmask(o)) return 0;
  if (o.every((v) => v < 10)) return 0.4;
  return 0.8;
}

function isNetmask(o: number[]): boolean {
  if (o[0] !== 255) return false;
  const bits = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  const inv = ~bits >>> 0;
  return (inv & (inv + 1)) === 0; // ones then zeros
}

/** True for an IPv6 address in any RFC 4291 text form (zone ids not accepted). */
export function ipv6Valid(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return false;
  let groups: string[];
  if (dbl < 0) {
    groups = s.split(':');
  } else {
    const left = s.slice(0, dbl);
    const right = s.slice(dbl + 2);
    groups = (left === '' ? [] : left.split(':')).concat(right === '' ? [] : right.split(':'));
  }
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (i === groups.length - 1 && g.includes('.')) {
      if (!ipv4Valid(g)) return false;
      count += 2;
      continue;
    }
    if (g.length === 0 || g.length > 4) return false;
    for (let k = 0; k < g.length; k++) if (!isHex(g.charCodeAt(k))) return false;
    count++;
  }
  return dbl < 0 ? count === 8 : count <= 7;
}

/**
 * How much a text looks like an IPv6 address: 0 when invalid or "::" alone; low
 * when it has no digit, as in scoped names ("abc::def") that happen to be hex.
 */
export function ipv6Strength(s: string): number {
  if (s === '::' || !ipv6Valid(s)) return 0;
  for (let i = 0; i < s.length; i++) if (isDigit(s.charCodeAt(i))) return 0.8;
  return 0.4;
}
