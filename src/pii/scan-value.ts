/**
 * scanValue: what personal data one value holds. The whole value is tried against
 * every validator first; when none fits, the value is read as free text for
 * embedded matches. Field names then move each candidate's confidence.
 */
import { DEFAULT_LIMITS } from '../config/limits.js';
import type { PiiHit, PiiKind, ScanContext } from './types.js';
import { PII_MIN_CONFIDENCE } from './types.js';
import { nameHints, type NameHints } from './names.js';
import { cardDigits, cardStrength } from './card.js';
import { bicStrength, ibanOf } from './bank.js';
import { emailValid } from './email.js';
import { ninoValid, nirValid, ssnOf } from './national-id.js';
import { ipv4Strength, ipv6Strength } from './network.js';
import { phoneStrength } from './phone.js';
import { jwtStrength, prefixedKeyStrength, privateKeyStrength } from './secrets.js';
import { coordinateStrength, geoPairStrength } from './geo.js';
import { addressStrength, birthDateValid, passwordStrength, secretStrength } from './by-name.js';
import { scanText } from './embedded.js';

// Kinds whose validator leaves real doubt; a contrary field name weighs more on them.
const WEAK = new Set<PiiKind>(['phone', 'ssn', 'uk_nino', 'bic', 'ip_address', 'geo']);

// Order of preference when two kinds fit the whole value equally well: the more
// specific validator first.
const PRIORITY: PiiKind[] = ['private_key', 'jwt', 'api_key', 'email', 'iban', 'credit_card',
  'fr_nir', 'ssn', 'uk_nino', 'bic', 'phone', 'ip_address', 'geo', 'date_of_birth', 'address',
  'password'];

/** Options of scanValue; limits default to DEFAULT_LIMITS. */
export interface ScanOptions {
  maxChars?: number;
}

/**
 * Personal data in one value. Returns every candidate at or above the reporting
 * threshold, best first: one hit for the whole value, or hits with start/end for
 * matches embedded in text.
 */
export function scanValue(
  value: string | number,
  ctx: ScanContext,
  opts: ScanOptions = {},
): PiiHit[] {
  const hints = nameHints(ctx.fieldName, ctx.location);
  if (typeof value === 'number') return numberHits(value, hints);
  const max = opts.maxChars ?? DEFAULT_LIMITS.maxPiiScanChars;
  // LIMITATION: only the first maxPiiScanChars characters of a long string are scanned.
  const raw = value.length > max ? value.slice(0, max) : value;
  const s = raw.trim();
  if (s.length === 0) return [];
  const whole = wholeHit(s, hints);
  if (whole !== null && whole.confidence >= PII_MIN_CONFIDENCE) return [whole];
  const lead = raw.length - raw.trimStart().length;
  const hits: PiiHit[] = [];
  for (const span of scanText(s)) {
    const confidence = adjust(span.kind, span.strength, hints);
    if (confidence < PII_MIN_CONFIDENCE) continue;
    hits.push({ kind: span.kind, confidence, start: span.start + lead, end: span.end + lead });
  }
  return hits;
}

function numberHits(v: number, hints: NameHints): PiiHit[] {
  if (!Number.isFinite(v)) return [];
  const s = String(v);
  const cands: Array<[PiiKind, number]> = [];
  if (Number.isInteger(v) && v >= 0) {
    cands.push(['credit_card', cardStrength(s)]);
    cands.push(['fr_nir', s.length === 15 && nirValid(s) ? 0.85 : 0]);
    if (hints.positive.has('phone')) cands.push(['phone', phoneStrength(s, true)]);
    if (hints.positive.has('ssn')) cands.push(['ssn', ssnOf(s, true) !== null ? 0.6 : 0]);
    if (hints.positive.has('date_of_birth')) {
      cands.push(['date_of_birth', s.length === 8 && birthDateValid(s) ? 0.9 : 0]);
    }
  }
  cands.push(['geo', geoScalar(s, hints)]);
  const best = pick(cands, hints);
  return best === null ? [] : [best];
}

function wholeHit(s: string, h: NameHints): PiiHit | null {
  const named = (k: PiiKind): boolean => h.positive.has(k);
  const cands: Array<[PiiKind, number]> = [];
  cands.push(['private_key', privateKeyStrength(s)]);
  cands.push(['jwt', jwtStrength(s)]);
  const keyStrength = prefixedKeyStrength(s);
  cands.push(['api_key', keyStrength]);
  if (s.includes('@')) cands.push(['email', emailValid(s) ? 0.9 : 0]);
  cands.push(['bic', bicStrength(s)]);
  // Every other validated kind holds digits; most words and names are done here.
  if (hasDigit(s)) {
    cands.push(['iban', ibanOf(s) !== null ? 0.95 : 0]);
    const digits = cardDigits(s);
    cands.push(['credit_card', digits === null ? 0 : cardStrength(digits)]);
    cands.push(['fr_nir', s.length >= 15 && s.length <= 21 && nirValid(s) ? 0.85 : 0]);
    const ssn = ssnOf(s, named('ssn'));
    cands.push(['ssn', ssn === null ? 0 : s.length === 11 ? 0.8 : 0.6]);
    cands.push(['uk_nino', s.length <= 13 && ninoValid(s) ? 0.75 : 0]);
    cands.push(['phone', phoneStrength(s, named('phone'))]);
    const ip = s.includes(':') ? ipv6Strength(s) : s.includes('.') ? ipv4Strength(s) : 0;
    cands.push(['ip_address', ip]);
    cands.push(['geo', Math.max(geoPairStrength(s, named('geo')), geoScalar(s, h))]);
    if (named('date_of_birth')) cands.push(['date_of_birth', birthDateValid(s) ? 0.9 : 0]);
  } else if (s.includes('::')) {
    cands.push(['ip_address', ipv6Strength(s)]);
  }
  if (named('address')) cands.push(['address', addressStrength(s, !postalLine(h))]);
  if (named('password')) cands.push(['password', passwordStrength(s)]);
  const taken = cands.some(([k, v]) => v > 0 && (k === 'jwt' || k === 'private_key'));
  if (named('api_key') && keyStrength === 0 && !taken) cands.push(['api_key', secretStrength(s)]);
  return pick(cands, h);
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

const RANK = new Map(PRIORITY.map((k, i) => [k, i]));

function pick(cands: Array<[PiiKind, number]>, h: NameHints): PiiHit | null {
  let best: PiiHit | null = null;
  let bestRank = 0;
  for (const [k, strength] of cands) {
    if (strength <= 0) continue;
    const confidence = adjust(k, strength, h);
    const rank = RANK.get(k)!;
    const better = best === null || confidence > best.confidence ||
      (confidence === best.confidence && rank < bestRank);
    if (better) {
      best = { kind: k, confidence };
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Moves a value-only strength by what the name says: a matching name closes 60% of
 * the gap to 1, a contrary one (an id, timestamp or version name) takes 0.35 off a
 * weakly validated kind and 0.15 off a strongly validated one.
 */
export function adjust(kind: PiiKind, strength: number, h: NameHints): number {
  let c = strength;
  if (h.positive.has(kind)) c += (1 - c) * 0.6;
  else if (h.negative) c -= WEAK.has(kind) ? 0.35 : 0.15;
  else if (h.positive.size > 0 && WEAK.has(kind)) c -= 0.1;
  return Math.round(Math.min(0.99, Math.max(0, c)) * 100) / 100;
}

function geoScalar(s: string, h: NameHints): number {
  if (!h.positive.has('geo')) return 0;
  const t = h.tokens;
  if (t.some((x) => x === 'lat' || x === 'latitude')) return coordinateStrength(s, 'lat');
  if (t.some((x) => ['lon', 'lng', 'long', 'longitude'].includes(x))) {
    return coordinateStrength(s, 'lon');
  }
  return 0;
}

// A street line ("line1", "street") rather than a postcode under an address parent.
function postalLine(h: NameHints): boolean {
  const j = h.tokens.join('');
  return !['zip', 'zipcode', 'postcode', 'postalcode', 'plz', 'cp'].includes(j);
}
