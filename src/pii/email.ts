/**
 * E-mail addresses: a dot-atom local part (RFC 5322 section 3.2.3), "@", and a
 * domain of LDH labels (RFC 1035 section 2.3.1) ending in an alphabetic top-level
 * label. Lengths follow RFC 5321 section 4.5.3.1 (local part 64, domain 255).
 */
import { isAlnum, isAlpha } from './chars.js';

/** Longest local part (RFC 5321 section 4.5.3.1.1). */
export const MAX_LOCAL = 64;
/** Longest domain (RFC 5321 section 4.5.3.1.2). */
export const MAX_DOMAIN = 255;

// atext of RFC 5322 besides letters and digits.
const ATEXT = "!#$%&'*+/=?^_`{|}~-";

/** True for a character allowed in a dot-atom local part (the dot included). */
export function isLocalChar(c: number): boolean {
  return isAlnum(c) || c === 46 || (c > 32 && c < 127 && ATEXT.includes(String.fromCharCode(c)));
}

/** True for a character allowed in a domain name (letters, digits, hyphen, dot). */
export function isDomainChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46;
}

// File extensions that follow "@" in names like "icon@2x.png" and are not TLDs.
const NOT_TLD = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'tif', 'tiff',
  'avif', 'heic', 'js', 'mjs', 'css', 'map', 'woff', 'woff2', 'ttf', 'json', 'html', 'txt']);

/** True for a dot-atom: no leading, trailing or doubled dot, at most 64 characters. */
export function localValid(s: string): boolean {
  if (s.length === 0 || s.length > MAX_LOCAL) return false;
  if (s[0] === '.' || s[s.length - 1] === '.') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isLocalChar(c)) return false;
    if (c === 46 && s.charCodeAt(i - 1) === 46) return false;
  }
  return true;
}

/** True for a host name of two or more labels whose last label is a plausible TLD. */
export function domainValid(s: string): boolean {
  if (s.length < 4 || s.length > MAX_DOMAIN) return false;
  const labels = s.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) {
    if (l.length === 0 || l.length > 63) return false;
    if (l[0] === '-' || l[l.length - 1] === '-') return false;
    for (let i = 0; i < l.length; i++) if (!isDomainChar(l.charCodeAt(i))) return false;
  }
  const tld = labels[labels.length - 1]!.toLowerCase();
  if (tld.startsWith('xn--')) return tld.length > 4;
  if (tld.length < 2 || NOT_TLD.has(tld)) return false;
  // An alphabetic TLD rules out version pins ("pkg@1.2.3").
  for (let i = 0; i < tld.length; i++) if (!isAlpha(tld.charCodeAt(i))) return false;
  return true;
}

/** True when the whole of `s` is one e-mail address. */
export function emailValid(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return false;
  return localValid(s.slice(0, at)) && domainValid(s.slice(at + 1));
}
// LIMITATION: quoted local parts ("john doe"@example.com), address literals
// (user@[192.0.2.1]) and internationalised (UTF-8) addresses are not recognised.
