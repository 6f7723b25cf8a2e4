/**
 * Writes test/fixtures/pii-labelled.jsonl: synthetic personal data of every kind and
 * look-alike decoys, each with a field name and its true kind (null for decoys),
 * then the hand-written tricky lines of test/fixtures/pii-hand.jsonl. Seeded, so the
 * file is the same on every run:  npx tsx scripts/make-pii-set.ts
 *
 * Labels come from how each value was made (a published test card number, an IBAN
 * whose check digits were computed here, a random number with a wrong Luhn digit),
 * never from the detectors under test.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface Line {
  value: string | number;
  field: string | null;
  kind: string | string[] | null;
  location?: string;
  note?: string;
}

let seed = 0x5eed4;
// mulberry32: small, seedable, good enough to vary synthetic data.
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const digits = (n: number): string => Array.from({ length: n }, () => int(0, 9)).join('');
const chars = (n: number, set: string): string =>
  Array.from({ length: n }, () => set[int(0, set.length - 1)]).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = ALNUM + '-_';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';

function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
function eanDigit(body12: string): number {
  let s = 0;
  for (let i = 0; i < 12; i++) s += Number(body12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (s % 10)) % 10;
}
function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const v = ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : Number(ch);
    r = (r * (v > 9 ? 100 : 10) + v) % 97;
  }
  return r;
}
function iban(country: string, bban: string): string {
  const check = 98 - mod97(bban + country + '00');
  return country + String(check).padStart(2, '0') + bban;
}
const group4 = (s: string): string => s.replace(/(.{4})/g, '$1 ').trim();
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

const out: Line[] = [];
const add = (value: string | number, field: string | null, kind: Line['kind'], note?: string) =>
  out.push(note === undefined ? { value, field, kind } : { value, field, kind, note });

// ---- positives -------------------------------------------------------------------
const CARDS = ['4111111111111111', '4012888888881881', '4000056655665556', '4242424242424242',
  '4000002500003155', '5555555555554444', '5105105105105100', '5200828282828210',
  '2223003122003222', '2221000000000009', '378282246310005', '371449635398431',
  '378734493671000', '6011111111111117', '6011000990139424', '6011981111111113',
  '30569309025904', '38520000023237', '36227206271667', '3530111333300000',
  '3566002020360505', '6200000000000005', '6205500000000000004', '2200000000000004'];
const CARD_FIELDS = ['card_number', 'cardNumber', 'pan', 'cc_number', 'credit_card', 'card',
  'number', 'payment_card', null];
for (const c of CARDS) {
  const style = int(0, 2);
  const v = style === 0 ? c : style === 1 ? c.replace(/(\d{4})(?=\d)/g, '$1 ') :
    c.replace(/(\d{4})(?=\d)/g, '$1-');
  add(v, pick(CARD_FIELDS), 'credit_card');
}
for (const c of CARDS.slice(0, 6)) add(Number(c), pick(['card_number', 'pan']), 'credit_card');

const IBAN_SPECS: Array<[string, () => string]> = [
  ['FR', () => digits(10) + chars(11, UPPER + '0123456789') + digits(2)],
  ['DE', () => digits(18)], ['ES', () => digits(20)],
  ['IT', () => pick(UPPER.split('')) + digits(22)],
  ['GB', () => chars(4, UPPER) + digits(14)], ['NL', () => chars(4, UPPER) + digits(10)],
  ['BE', () => digits(12)], ['CH', () => digits(17)], ['AT', () => digits(16)],
  ['PL', () => digits(24)], ['PT', () => digits(21)], ['SE', () => digits(20)],
  ['NO', () => digits(11)], ['DK', () => digits(14)], ['IE', () => chars(4, UPPER) + digits(14)],
  ['LU', () => digits(16)], ['FI', () => digits(14)], ['GR', () => digits(23)],
];
const IBAN_FIELDS = ['iban', 'IBAN', 'bank_account', 'account_iban', 'payout_iban', null];
for (let i = 0; i < 36; i++) {
  const [cc, bban] = IBAN_SPECS[i % IBAN_SPECS.length]!;
  const v = iban(cc, bban());
  add(i % 3 === 0 ? group4(v) : v, pick(IBAN_FIELDS), 'iban');
}

for (let i = 0; i < 16; i++) {
  const cc = pick(['FR', 'DE', 'GB', 'US', 'ES', 'IT', 'NL', 'CH', 'BE', 'JP']);
  const loc = pick(UPPER.slice(2).split('')) + pick('ABCDEFGHJKLMNPQRSTUVWXYZ2345678'.split(''));
  const v = chars(4, UPPER) + cc + loc + (i % 2 === 0 ? '' : pick(['XXX', digits(3)]));
  add(v, pick(['bic', 'swift', 'swift_code', 'bic_code', 'bankBic']), 'bic');
}

const NANP_AREAS = ['202', '212', '312', '415', '617', '646', '718', '303', '206', '512', '713'];
const phoneForms = (a: string, x: string): string[] => [`(${a}) 555-${x}`, `${a}-555-${x}`,
  `+1-${a}-555-${x}`, `+1 (${a}) 555-${x}`, `+1${a}555${x}`, `${a}.555.${x}`, `1-${a}-555-${x}`];
const PHONE_FIELDS = ['phone', 'phoneNumber', 'mobile', 'tel', 'contact_phone', 'cell', 'fax',
  'x-user-phone', null];
for (let i = 0; i < 28; i++) {
  const x = '01' + digits(2);
  add(pick(phoneForms(pick(NANP_AREAS), x)), pick(PHONE_FIELDS), 'phone');
}
for (let i = 0; i < 6; i++) add(`+44 7700 900${digits(3)}`, pick(PHONE_FIELDS), 'phone');
for (let i = 0; i < 4; i++) add(`07700 900${digits(3)}`, pick(PHONE_FIELDS), 'phone');
for (let i = 0; i < 6; i++) {
  const d = digits(8).match(/../g)!.join(' ');
  add(pick([`+33 6 ${d}`, `06 ${d}`, `+336${d.replace(/ /g, '')}`]), pick(PHONE_FIELDS), 'phone');
}
for (let i = 0; i < 4; i++) add(`+49 30 ${digits(6)}`, pick(PHONE_FIELDS), 'phone');
for (let i = 0; i < 3; i++) add(`+61 491 570 ${int(110, 159)}`, pick(PHONE_FIELDS), 'phone');
for (let i = 0; i < 3; i++) add(Number(`1${pick(NANP_AREAS)}55501${digits(2)}`), 'phone', 'phone');

const FIRST = ['jane', 'john', 'ana', 'li', 'omar', 'zoe', 'ivan', 'maria', 'kofi', 'ines'];
const LAST = ['doe', 'smith', 'garcia', 'chen', 'haddad', 'martin', 'novak', 'okafor', 'rossi'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com',
  'example.co.uk', 'eu.example.org'];
const EMAIL_FIELDS = ['email', 'contact_email', 'userEmail', 'e-mail', 'billing_email', 'owner',
  'recipient', null];
for (let i = 0; i < 32; i++) {
  const sep = pick(['.', '_', '-', '', '+news']);
  const local = pick(FIRST) + sep + pick(LAST) + (rnd() < 0.4 ? String(int(1, 99)) : '');
  const v = local + '@' + pick(DOMAINS);
  add(i % 9 === 0 ? v.toUpperCase() : v, pick(EMAIL_FIELDS), 'email');
}

const ssnPart = (): string => {
  let a = int(1, 899);
  if (a === 666) a = 665;
  return `${String(a).padStart(3, '0')}-${String(int(1, 99)).padStart(2, '0')}-` +
    String(int(1, 9999)).padStart(4, '0');
};
for (let i = 0; i < 20; i++) {
  const v = ssnPart();
  const style = i % 5;
  add(style === 4 ? v.replace(/-/g, '') : style === 3 ? v.replace(/-/g, ' ') : v,
    style === 4 ? pick(['ssn', 'SSN']) : pick(['ssn', 'social_security_number', 'taxpayer', null]),
    'ssn');
}

for (let i = 0; i < 16; i++) {
  const dept = pick(['75', '13', '69', '2A', '2B', '33', '59', '971', '99']);
  const body = String(pick([1, 2])) + digits(2).padStart(2, '0') +
    String(int(1, 12)).padStart(2, '0') + dept + (dept.length === 3 ? digits(2) : digits(3)) +
    digits(3);
  const n = body.replace('2A', '19').replace('2B', '18');
  const key = String(97 - Number(BigInt(n) % 97n)).padStart(2, '0');
  const v = body + key;
  const spaced = `${v[0]} ${v.slice(1, 3)} ${v.slice(3, 5)} ${v.slice(5, 7)} ${v.slice(7, 10)} ` +
    `${v.slice(10, 13)} ${v.slice(13)}`;
  add(i % 3 === 0 ? spaced : v, pick(['nir', 'numero_secu', 'insee', 'social_security', null]),
    'fr_nir');
}

const NINO_A = 'ABCEGHJKLMNOPRSTWXYZ';
const NINO_B = 'ABCEGHJKLMNPRSTWXYZ';
for (let i = 0; i < 14; i++) {
  let p = pick(NINO_A.split('')) + pick(NINO_B.split(''));
  if (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(p)) p = 'AB';
  const d = digits(6);
  const v = i % 3 === 0
    ? `${p} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${pick('ABCD'.split(''))}`
    : p + d + pick('ABCD'.split(''));
  add(v, pick(['nino', 'ni_number', 'national_insurance_number', null]), 'uk_nino');
}

for (let i = 0; i < 16; i++) {
  const y = int(1935, 2008);
  const m = String(int(1, 12)).padStart(2, '0');
  const d = String(int(1, 28)).padStart(2, '0');
  const v = pick([`${y}-${m}-${d}`, `${d}/${m}/${y}`, `${m}/${d}/${y}`, `${d}.${m}.${y}`,
    `${y}-${m}-${d}T00:00:00Z`, `${y}${m}${d}`]);
  add(v, pick(['dob', 'date_of_birth', 'birthDate', 'birthday', 'birth_date', 'DOB']),
    'date_of_birth');
}

const STREETS = ['Example Street', 'Sample Road', 'Test Avenue', 'Placeholder Lane', 'Demo Way'];
for (let i = 0; i < 12; i++) {
  const v = pick([`${int(1, 999)} ${pick(STREETS)}`,
    `Flat ${int(1, 20)}, ${int(1, 99)} ${pick(STREETS)}`,
    `${int(1, 99)} ${pick(STREETS)}, Springfield`]);
  add(v, pick(['street', 'address', 'address_line1', 'addressLine1', 'home_address',
    'shipping_address', 'street_address']), 'address');
}

const DOC_V4 = ['192.0.2.', '198.51.100.', '203.0.113.'];
for (let i = 0; i < 14; i++) {
  const v = pick(DOC_V4) + int(10, 254);
  add(v, pick(['ip', 'client_ip', 'remote_addr', 'x-forwarded-for', 'ip_address', 'x-real-ip',
    'source', null]), 'ip_address');
}
for (let i = 0; i < 6; i++) {
  add(`2001:db8:${chars(4, HEX)}::${chars(int(1, 4), HEX).replace(/^0+/, '') || '1'}`,
    pick(['ip', 'client_ip', 'ipv6', null]), 'ip_address');
}

const coord = (max: number, places: number): string => (rnd() * 2 * max - max).toFixed(places);
for (let i = 0; i < 10; i++) {
  add(`${coord(80, int(4, 6))},${rnd() < 0.5 ? ' ' : ''}${coord(170, int(4, 6))}`,
    pick(['location', 'coords', 'position', 'latlng', null]), 'geo');
}
for (let i = 0; i < 8; i++) {
  const lat = i % 2 === 0;
  // A last digit that is never 0, so the number keeps all its decimals.
  add(Number(coord(lat ? 80 : 170, int(3, 5)) + int(1, 9)), pick(lat ? ['lat', 'latitude'] :
    ['lng', 'lon', 'longitude']), 'geo');
}

for (let i = 0; i < 14; i++) {
  const header = b64url(JSON.stringify(pick([{ alg: 'HS256', typ: 'JWT' },
    { alg: 'RS256', typ: 'JWT', kid: chars(8, HEX) }, { alg: 'ES256' }])));
  const payload = b64url(JSON.stringify({ sub: String(int(1, 99999)), iat: 1767225600 + i,
    ...(rnd() < 0.5 ? { scope: 'read write' } : {}) }));
  add(`${header}.${payload}.${chars(43, B64URL)}`, pick(['token', 'id_token', 'access_token',
    'jwt', 'session', null]), 'jwt');
}

const KEYS: Array<() => string> = [
  () => 'AKIA' + chars(16, UPPER + '234567'), () => 'ASIA' + chars(16, UPPER + '234567'),
  () => 'ghp_' + chars(36, ALNUM), () => 'gho_' + chars(36, ALNUM),
  () => 'github_pat_' + chars(22, ALNUM) + '_' + chars(59, ALNUM),
  () => `xoxb-${digits(11)}-${digits(12)}-${chars(24, ALNUM)}`,
  () => 'sk_live_' + chars(24, ALNUM), () => 'pk_live_' + chars(24, ALNUM),
  () => 'rk_live_' + chars(24, ALNUM), () => 'AIza' + chars(35, B64URL),
  () => 'sk-proj-' + chars(40, ALNUM) + digits(4), () => 'glpat-' + chars(20, ALNUM),
  () => 'npm_' + chars(36, ALNUM),
];
for (let i = 0; i < 26; i++) {
  add(KEYS[i % KEYS.length]!(), pick(['api_key', 'key', 'token', 'secret', 'credentials',
    'value', null]), 'api_key');
}
for (let i = 0; i < 8; i++) {
  add(chars(20, ALNUM) + digits(4) + chars(8, ALNUM), pick(['client_secret', 'api_key',
    'x-api-key', 'aws_secret_access_key', 'apiSecret', 'webhook_secret']), 'api_key');
}

for (let i = 0; i < 10; i++) {
  add(chars(int(8, 20), ALNUM + '!@#$%'), pick(['password', 'new_password', 'passwd', 'pwd',
    'password_confirmation', 'currentPassword']), 'password');
}

const PEM = ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY', 'DSA PRIVATE KEY'];
for (let i = 0; i < 8; i++) {
  const label = PEM[i % PEM.length]!;
  const body = Array.from({ length: 3 }, () => chars(64, ALNUM + '+/')).join('\n');
  add(`-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`,
    pick(['private_key', 'key', 'pem', 'ssh_key', null]), 'private_key');
}

// ---- personal data inside free text ---------------------------------------------------
for (let i = 0; i < 14; i++) {
  const card = pick(CARDS);
  const mail = `${pick(FIRST)}.${pick(LAST)}@${pick(DOMAINS)}`;
  const ph = `+1-${pick(NANP_AREAS)}-555-01${digits(2)}`;
  const [text, kinds] = pick<[string, string[]]>([
    [`Customer called from ${ph} about order 4471`, ['phone']],
    [`Please refund to card ${card} asap`, ['credit_card']],
    [`Reply to ${mail}, thanks!`, ['email']],
    [`Contact: ${mail} / ${ph}`, ['email', 'phone']],
    [`SSN on file is ${ssnPart()}.`, ['ssn']],
    [`Pay ${iban('DE', digits(18))} before Friday`, ['iban']],
    [`Rider left from ${coord(60, 5)}, then went home`, []],
  ]);
  add(text, pick(['description', 'comment', 'notes', 'body', 'message']), kinds.length ? kinds :
    null);
}

// ---- decoys -------------------------------------------------------------------------
for (let i = 0; i < 14; i++) {
  add(pick([`ORD-${int(2019, 2026)}-${digits(6)}`, `${int(1, 9)}${digits(8)}`,
    `PO${digits(7)}`, `#${digits(6)}`]), pick(['order_id', 'order_number', 'orderRef',
    'invoice', 'reference']), null, 'order number');
}
for (let i = 0; i < 18; i++) {
  const s = int(1_500_000_000, 1_899_999_999);
  const ms = s * 1000 + int(0, 999);
  const [v, f] = pick<[string | number, string | null]>([[s, 'created_at'], [String(s), 'ts'],
    [ms, 'updated_ms'], [String(ms), 'timestamp'], [s, 'phone_verified_at'], [ms, null],
    [s, 'since'], [ms, 'expires'], [String(s), null]]);
  add(v, f, null, 'unix time');
}
for (let i = 0; i < 12; i++) {
  const v = pick([`${int(1, 9)}.${int(0, 9)}.${int(0, 9)}.${int(0, 9)}`,
    `${int(1, 20)}.${int(0, 30)}.${int(0, 999)}.${int(0, 99)}`,
    `10.0.${int(10000, 22000)}.${int(100, 999)}`]);
  add(v, pick(['version', 'app_version', 'build', 'firmware_version', 'release']), null,
    'version string');
}
for (let i = 0; i < 4; i++) add(`upgrade to v${int(1, 9)}.${int(0, 9)}.${int(0, 9)}.${int(0, 9)}`,
  'message', null, 'version in text');
for (let i = 0; i < 24; i++) {
  // Random 16-digit ids: no issuer starts with these digits, or the Luhn digit is wrong.
  const bad = i % 2 === 0;
  let body = (bad ? pick(['1', '7', '8', '9', '0']) : pick(['4', '5', '6'])) + digits(14);
  if (bad) body += String(int(0, 9));
  else body += String((luhnDigit(body) + int(1, 9)) % 10);
  add(i % 3 === 0 ? Number(body.replace(/^0/, '1')) : body, pick(['id', 'transaction_id',
    'trace', 'external_id', 'account', null]), null, bad ? 'no issuer' : 'Luhn fails');
}
for (let i = 0; i < 12; i++) {
  add(pick([`SKU-${pick(NANP_AREAS)}-555-01${digits(2)}`, `100-555-${digits(4)}`,
    `${digits(2)}-${digits(4)}-${digits(4)}`, `555-${digits(4)}`,
    `${digits(4)}-${digits(3)}-${digits(3)}`,
    `AB-555-${digits(4)}-X`]), pick(['sku', 'item_code', 'part_number', 'model']), null,
    'phone-like SKU');
}
for (let i = 0; i < 12; i++) {
  const body = pick(['400', '50', '76', '80', '87', '30']) + digits(10);
  const ean = body.slice(0, 12) + eanDigit(body.slice(0, 12));
  add(i % 4 === 0 ? Number(ean) : ean, pick(['barcode', 'ean', 'gtin', 'ean13', null]), null,
    'EAN-13');
}
for (let i = 0; i < 10; i++) {
  const u = `${chars(8, HEX)}-${chars(4, HEX)}-4${chars(3, HEX)}-${pick(['8', '9', 'a', 'b'])}` +
    `${chars(3, HEX)}-${chars(12, HEX)}`;
  add(u, pick(['id', 'uuid', 'request_id', 'customer_uuid', null]), null, 'uuid');
}
for (let i = 0; i < 10; i++) {
  add(chars(pick([32, 40, 64]), HEX), pick(['hash', 'etag', 'checksum', 'sha', 'digest', null]),
    null, 'hash');
}
for (let i = 0; i < 8; i++) {
  add(Buffer.from(Array.from({ length: int(24, 90) }, () => int(0, 255))).toString('base64'),
    pick(['data', 'blob', 'payload', 'signature', null]), null, 'base64');
}
for (let i = 0; i < 10; i++) {
  const y = int(2018, 2027);
  const d = `${y}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  add(rnd() < 0.5 ? d : `${d}T${String(int(0, 23)).padStart(2, '0')}:15:00Z`,
    pick(['created_on', 'start_date', 'endDate', 'expiry_date', 'date', 'published', null]), null,
    'ISO date, not a birth date');
}
for (let i = 0; i < 10; i++) {
  const [v, f] = pick<[string | number, string | null]>([
    [Number((rnd() * 500).toFixed(2)), 'price'], [int(1, 500), 'quantity'],
    [`${int(1, 40)}.${digits(3)},${int(1, 40)}.${digits(3)}`, 'price_range'],
    [Number(coord(80, 4)), 'temperature'], [`${int(1, 9)}.5,${int(1, 9)}.5`, 'scale'],
    [int(20, 90), 'lat'], ['123.4567,200.1234', 'location'], [`${int(100, 999)}`, 'zip'],
    ['https://example.com/u/' + digits(4), 'profile_url'], ['api.example.com', 'host']]);
  add(v, f, null, 'number or string that is not personal data');
}

const hand = readFileSync('test/fixtures/pii-hand.jsonl', 'utf8').split('\n')
  .filter((l) => l.trim() !== '');
const lines = out.map((l) => JSON.stringify(l)).concat(hand);
writeFileSync('test/fixtures/pii-labelled.jsonl', lines.join('\n') + '\n');
process.stderr.write(
  `wrote ${lines.length} lines (${out.length} generated, ${hand.length} hand)\n`);
