/**
 * Credentials recognisable from their text alone: JSON Web Tokens (RFC 7519, in
 * JWS compact form RFC 7515 section 7.1 or JWE compact form RFC 7516 section 7.1),
 * API keys whose issuers give them a fixed prefix, and PEM private keys (RFC 7468).
 */
import { isB64Url, isDigit, isHex, isLower, isUpper, isWordChar } from './chars.js';

// Header and payload segments are decoded only up to this size: a real JOSE header
// is tens of bytes, and the claims decide nothing the header has not already.
const MAX_DECODED_SEGMENT = 8192;

/** How sure `s` is a JWT (JWS or JWE compact serialisation): 0 when it is not. */
export function jwtStrength(s: string): number {
  if (s.length < 20 || !s.startsWith('eyJ')) return 0;
  const parts = s.split('.');
  if (parts.length !== 3 && parts.length !== 5) return 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) if (!isB64Url(p.charCodeAt(i))) return 0;
  }
  const header = decodeJson(parts[0]!);
  if (header === null) return 0;
  if (parts.length === 5) return typeof header.enc === 'string' ? 0.97 : 0;
  if (typeof header.alg !== 'string' || parts[1]!.length === 0) return 0;
  if (parts[2]!.length === 0 && header.alg !== 'none') return 0;
  // A JWT payload is a JSON claims set; a JWS over other data is still a token, but
  // less surely a JWT.
  return decodeJson(parts[1]!) !== null ? 0.97 : 0.8;
}

function decodeJson(seg: string): Record<string, unknown> | null {
  if (seg.length === 0 || seg.length > MAX_DECODED_SEGMENT) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

interface KeyRule {
  prefixes: string[];
  body: (c: number) => boolean;
  min: number;
  max: number;
  strength: number;
  /** Extra test on the body (after the prefix). */
  check?: (body: string) => boolean;
}

const upperDigit = (c: number): boolean => isUpper(c) || isDigit(c);
const alnum = (c: number): boolean => isUpper(c) || isLower(c) || isDigit(c);
const lowerHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102);
const slackBody = (c: number): boolean => alnum(c) || c === 45;
const dotted = (c: number): boolean => isB64Url(c) || c === 46;
const mixed = (b: string): boolean => /[0-9]/.test(b) && /[A-Za-z]/.test(b);

// Prefixes as the issuers document them. Lengths are those of the body after it.
const RULES: KeyRule[] = [
  { prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AIPA', 'ANPA', 'ANVA', 'AROA',
    'APKA', 'ASCA'], body: upperDigit, min: 16, max: 16, strength: 0.95 },
  { prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], body: alnum, min: 36, max: 40,
    strength: 0.97 },
  { prefixes: ['github_pat_'], body: isWordChar, min: 22, max: 255, strength: 0.97 },
  { prefixes: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'xapp-'], body: slackBody,
    min: 10, max: 255, strength: 0.95, check: (b) => /[0-9]/.test(b) },
  { prefixes: ['sk_live_', 'pk_live_', 'rk_live_', 'sk_test_', 'pk_test_', 'rk_test_',
    'whsec_'], body: alnum, min: 16, max: 255, strength: 0.95 },
  { prefixes: ['AIza'], body: isB64Url, min: 35, max: 35, strength: 0.95 },
  { prefixes: ['sk-'], body: isB64Url, min: 20, max: 255, strength: 0.85, check: mixed },
  { prefixes: ['glpat-'], body: isB64Url, min: 20, max: 64, strength: 0.95 },
  { prefixes: ['npm_'], body: alnum, min: 36, max: 36, strength: 0.95 },
  { prefixes: ['hf_'], body: alnum, min: 30, max: 40, strength: 0.9 },
  { prefixes: ['SG.'], body: dotted, min: 60, max: 70, strength: 0.95 },
  { prefixes: ['shpat_', 'shpss_', 'shpca_', 'shppa_'], body: isHex, min: 32, max: 32,
    strength: 0.95 },
  { prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'], body: isHex, min: 64, max: 64,
    strength: 0.95 },
  { prefixes: ['sq0atp-', 'sq0csp-'], body: isB64Url, min: 22, max: 43, strength: 0.95 },
  { prefixes: ['pypi-AgEIcHlwaS5vcmc'], body: isB64Url, min: 50, max: 255, strength: 0.97 },
  { prefixes: ['dapi'], body: lowerHex, min: 32, max: 32, strength: 0.9 },
  { prefixes: ['SK'], body: lowerHex, min: 32, max: 32, strength: 0.85 },
];
// LIMITATION: keys without a prefix (AWS secret access keys, Azure keys, most
// in-house keys) are found only by field name (see by-name.ts).

// Rules by the first character of their prefix: most positions of a text start no key.
const BY_FIRST = new Map<number, Array<[KeyRule, string]>>();
for (const r of RULES) {
  for (const p of r.prefixes) {
    const c = p.charCodeAt(0);
    BY_FIRST.set(c, [...(BY_FIRST.get(c) ?? []), [r, p]]);
  }
}

/**
 * Length of a prefixed API key starting at s[i] (the caller checks the boundary
 * before it) and its strength, or null. The key must end at a token boundary.
 */
export function prefixedKeyAt(s: string, i: number): { end: number; strength: number } | null {
  const candidates = BY_FIRST.get(s.charCodeAt(i));
  if (candidates === undefined) return null;
  for (const [r, p] of candidates) {
    if (!s.startsWith(p, i)) continue;
    let j = i + p.length;
    const stop = Math.min(s.length, j + r.max + 1);
    while (j < stop && r.body(s.charCodeAt(j))) j++;
    const n = j - i - p.length;
    if (n < r.min || n > r.max) continue;
    const next = j < s.length ? s.charCodeAt(j) : -1;
    if (next !== -1 && (isB64Url(next) || next === 46)) continue;
    if (r.check !== undefined && !r.check(s.slice(i + p.length, j))) continue;
    return { end: j, strength: r.strength };
  }
  return null;
}

/** Strength of `s` as one prefixed API key, 0 when it is not one. */
export function prefixedKeyStrength(s: string): number {
  const m = prefixedKeyAt(s, 0);
  return m !== null && m.end === s.length ? m.strength : 0;
}

const PEM_BEGIN = '-----BEGIN ';

/**
 * A PEM private-key header at s[i] ("-----BEGIN RSA PRIVATE KEY-----" and the
 * EC, DSA, OPENSSH, ENCRYPTED, PKCS#8 and PGP variants): returns the end of the
 * header, or -1. Certificates and public keys are not secrets and do not match.
 */
export function privateKeyHeaderAt(s: string, i: number): number {
  if (!s.startsWith(PEM_BEGIN, i)) return -1;
  const from = i + PEM_BEGIN.length;
  const close = s.indexOf('-----', from);
  if (close < 0 || close - from > 40) return -1;
  const label = s.slice(from, close);
  if (!label.endsWith('PRIVATE KEY') && label !== 'PGP PRIVATE KEY BLOCK') return -1;
  return close + 5;
}

/** True when `s` is, or starts with, a PEM private key or a PuTTY key file. */
export function privateKeyStrength(s: string): number {
  if (privateKeyHeaderAt(s, 0) > 0) return 0.99;
  if (s.startsWith('PuTTY-User-Key-File-')) return 0.99;
  return 0;
}
