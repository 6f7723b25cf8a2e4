/**
 * Masked previews: enough for a person to recognise the shape of a value in a
 * report ("j***@e***.com", "**** **** **** 1111") and never enough to recover it.
 * Secrets show at most the public prefix that names their issuer.
 */
import type { PiiKind } from '../pii/types.js';

const STARS = '***';

/** The masked preview of a value of the given kind. */
export function preview(kind: PiiKind, value: string): string {
  const v = value.trim();
  if (v.length <= 4) return STARS;
  switch (kind) {
    case 'email':
      return email(v);
    case 'credit_card':
      return '**** **** **** ' + lastDigits(v, 4);
    case 'phone':
      return phone(v);
    case 'iban':
      return v.slice(0, 2).toUpperCase() + '** **** ' + lastAlnum(v, 4);
    case 'ip_address':
      return ip(v);
    case 'geo':
      return geo(v);
    case 'jwt':
      return 'eyJ' + STARS;
    case 'api_key':
      return keyPrefix(v) + STARS;
    case 'password':
    case 'private_key':
      return STARS;
    default:
      return v[0] + STARS;
  }
}

function email(v: string): string {
  const at = v.lastIndexOf('@');
  if (at <= 0) return v[0] + STARS;
  const domain = v.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${v[0]}${STARS}@${domain[0] ?? ''}${STARS}${tld}`;
}

// Every digit but the last two masked; separators and "+" kept so the shape shows.
function phone(v: string): string {
  const total = lastDigits(v, 99).length;
  let seen = 0;
  let out = '';
  for (const ch of v) {
    if (ch >= '0' && ch <= '9') {
      seen++;
      out += seen > total - 2 ? ch : '*';
    } else {
      out += ch;
    }
  }
  return out;
}

function ip(v: string): string {
  if (v.includes(':')) return v.slice(0, v.indexOf(':')) + ':' + STARS;
  return v.slice(0, v.indexOf('.') + 1) + STARS;
}

// Whole degrees only: about 100 km, a region rather than a place.
function geo(v: string): string {
  return v.split(',').map((p) => p.trim().split('.')[0] + '.*').join(',');
}

// Issuer prefixes such as "AKIA", "ghp_", "sk_live_" are public; the rest is not.
function keyPrefix(v: string): string {
  const m = /^(?:[A-Za-z]{2,4}_(?:live_|test_|v1_)?|[A-Za-z]{2,6}-|AKIA|ASIA|AIza|SG\.)/.exec(v);
  return m !== null && m[0].length < v.length / 2 ? m[0] : v[0]!;
}

function lastDigits(v: string, n: number): string {
  const d = v.replace(/\D/g, '');
  return d.slice(Math.max(0, d.length - n));
}

function lastAlnum(v: string, n: number): string {
  const d = v.replace(/[^0-9A-Za-z]/g, '');
  return d.slice(Math.max(0, d.length - n));
}
