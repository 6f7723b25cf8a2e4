/**
 * What a field name says about its value. Names only raise or lower confidence
 * for kinds that have a value validator; for kinds without one (date of birth,
 * address, password) the name is the evidence and the value only a sanity check.
 */
import type { PiiKind } from './types.js';
import { isDigit, isLower, isUpper } from './chars.js';

/** The verdict of a field name (and its ancestors) on every kind. */
export interface NameHints {
  /** Name tokens, lowercased: `cardNumber` and `card-number` both give [card, number]. */
  tokens: string[];
  /** Kinds the name points to. */
  positive: ReadonlySet<PiiKind>;
  /** The name points to something else (an id, a timestamp, a version, a price...). */
  negative: boolean;
  /** An ancestor names a postal address (`/billing_address/zip`). */
  inAddress: boolean;
}

const EMPTY: NameHints = { tokens: [], positive: new Set(), negative: false, inAddress: false };

/**
 * Splits `x-user_phoneNumber` into [x, user, phone, number]. Letters and digits stay
 * together (`ipv4`, `line1`, `last4`) because the digit usually belongs to the word.
 */
export function nameTokens(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  let prev = -1;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isLower(c) && !isUpper(c) && !isDigit(c)) {
      if (cur !== '') out.push(cur);
      cur = '';
      prev = -1;
      continue;
    }
    // camelCase starts a token; "URLPath" splits before "Path".
    const split =
      cur !== '' &&
      ((isUpper(c) && (isLower(prev) || isDigit(prev))) ||
        (isUpper(c) && isUpper(prev) && isLower(name.charCodeAt(i + 1))));
    if (split) {
      out.push(cur);
      cur = '';
    }
    cur += name[i]!.toLowerCase();
    prev = c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

// LIMITATION: hints are English words plus a few French, German and Spanish ones;
// other languages' field names give no hint (values with validators are still found).

// Whole-token hints per kind. Joined forms (`creditcard`) are listed because many
// APIs glue words without separators.
const TOKEN_HINTS: Array<[PiiKind, string[]]> = [
  ['email', ['email', 'emails', 'mail', 'emailaddress', 'mailaddress']],
  ['phone', ['phone', 'phones', 'tel', 'telephone', 'mobile', 'cell', 'cellphone', 'fax',
    'msisdn', 'phonenumber', 'mobilephone', 'sms', 'whatsapp', 'telefon', 'telefono']],
  ['credit_card', ['card', 'cc', 'pan', 'ccnum', 'ccnumber', 'creditcard', 'cardnumber',
    'cardno', 'debitcard', 'cardnum']],
  ['iban', ['iban', 'bankaccount', 'accountnumber']],
  ['bic', ['bic', 'swift', 'swiftcode', 'biccode', 'swiftbic']],
  ['ssn', ['ssn', 'socialsecurity', 'socialsecuritynumber', 'ssnumber']],
  ['fr_nir', ['nir', 'insee', 'secu', 'numsecu', 'securitesociale', 'nss', 'socialsecurity']],
  ['uk_nino', ['nino', 'ni', 'nin', 'ninumber', 'nationalinsurance', 'insurance']],
  ['date_of_birth', ['dob', 'birthdate', 'birthday', 'bday', 'dateofbirth', 'born', 'birth']],
  ['ip_address', ['ip', 'ips', 'ipaddr', 'ipaddress', 'ipv4', 'ipv6', 'remoteaddr', 'clientip',
    'forwarded', 'xforwardedfor', 'realip', 'peerip', 'sourceip', 'srcip', 'dstip']],
  ['geo', ['lat', 'latitude', 'lon', 'lng', 'long', 'longitude', 'coords', 'coordinates', 'latlng',
    'latlon', 'lnglat', 'geo', 'geolocation', 'location', 'position', 'gps', 'point']],
  ['jwt', ['jwt', 'token', 'idtoken', 'accesstoken', 'refreshtoken', 'bearer', 'authorization']],
  ['private_key', ['privatekey', 'privkey', 'pem', 'sshkey', 'rsakey', 'signingkey']],
];

// Glued names that contain the hint somewhere (`billingemail`, `homephone`).
const JOINED_HINTS: Array<[PiiKind, string[]]> = [
  ['email', ['email']],
  ['phone', ['phone']],
  ['credit_card', ['cardnumber', 'creditcard', 'debitcard']],
  ['iban', ['iban']],
  ['ssn', ['socialsecurity']],
  ['fr_nir', ['securitesociale', 'socialsecurity']],
  ['uk_nino', ['nationalinsurance']],
  ['date_of_birth', ['dateofbirth', 'birthdate', 'birthday']],
  ['ip_address', ['forwardedfor', 'remoteaddr', 'ipaddress', 'clientip']],
  ['private_key', ['privatekey']],
];

// A last token that says the value describes or refers to the thing rather than
// being it: `phone_verified_at`, `card_last4`, `email_count`, `user_id`.
const NEG_LAST = new Set([
  'id', 'ids', 'uuid', 'guid', 'sku', 'ean', 'upc', 'gtin', 'isbn', 'barcode', 'at', 'ts',
  'timestamp', 'time', 'ms', 'epoch', 'version', 'ver', 'build', 'release', 'hash', 'hashed',
  'checksum', 'digest', 'sha', 'md5', 'count', 'total', 'amount', 'price', 'qty', 'quantity',
  'size', 'length', 'len', 'seq', 'nonce', 'type', 'status', 'kind', 'flag', 'enabled',
  'verified', 'url', 'uri', 'href', 'link', 'format', 'policy', 'hint', 'label', 'index', 'idx',
  'offset', 'limit', 'page', 'rank', 'score', 'rate', 'ratio', 'port', 'duration', 'ttl',
  'expires', 'expiry', 'last4', 'lastfour', 'brand', 'mask', 'masked', 'prefix', 'required',
  'min', 'max', 'code', 'name', 'place', 'city', 'country', 'region', 'state',
]);

// Tokens anywhere in the name that point away from personal data.
const NEG_ANY = new Set([
  'order', 'invoice', 'sku', 'ean', 'upc', 'barcode', 'gtin', 'isbn', 'tracking', 'serial',
  'product', 'item', 'version', 'build', 'ref', 'reference', 'part', 'model', 'batch', 'lot',
  'created', 'updated', 'modified', 'deleted', 'timestamp', 'epoch', 'price', 'amount',
  'range', 'checksum', 'hash', 'sha', 'md5', 'etag', 'request', 'trace', 'span', 'correlation',
  'session', 'nonce', 'revision', 'commit', 'scale', 'zoom', 'page', 'quantity', 'count',
]);

// An "address" that is not postal.
const NOT_POSTAL = new Set([
  'email', 'mail', 'ip', 'ipv4', 'ipv6', 'mac', 'wallet', 'web', 'url', 'server', 'host',
  'remote', 'bitcoin', 'btc', 'eth', 'contract', 'hardware', 'memory', 'socket', 'bind',
  'listen', 'local', 'peer', 'network', 'net', 'broadcast', 'gateway', 'proxy', 'ethernet',
  'node', 'endpoint', 'callback', 'redirect', 'smtp', 'dns', 'public', 'private',
]);
const POSTAL = new Set([
  'address', 'addr', 'street', 'streetaddress', 'addressline', 'addressline1', 'addressline2',
  'postaladdress', 'residence', 'domicile', 'line1', 'line2',
]);
// LIMITATION: city, state and country alone are not reported as addresses; postcodes
// only under an address-like parent.
const POSTAL_PARENT = new Set([
  'address', 'addr', 'billing', 'shipping', 'home', 'residence', 'mailing', 'postal', 'delivery',
  'billingaddress', 'shippingaddress', 'homeaddress', 'postaladdress', 'mailingaddress',
]);

// Password-like names: the password token may be followed by a qualifier.
const PASSWORD = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passcode', 'pword']);
const PASSWORD_TAIL = new Set(['confirmation', 'confirm', 'again', 'repeat', 'plain',
  'plaintext', 'clear', 'cleartext', '1', '2', 'new', 'old', 'current']);

// Names repeat across values and exchanges; hints are computed once per (name,
// location). Measured: without the cache, hints were a third of the scan time.
const CACHE_MAX = 4096;
const cache = new Map<string, NameHints>();

/** The hints of a field name; ancestors come from the location (`body:/address/zip`). */
export function nameHints(fieldName: string | null, location = ''): NameHints {
  if (fieldName === null || fieldName === '') return EMPTY;
  const key = fieldName + '\0' + location;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const h = computeHints(fieldName, location);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, h);
  return h;
}

function computeHints(fieldName: string, location: string): NameHints {
  const tokens = nameTokens(fieldName);
  if (tokens.length === 0) return EMPTY;
  const joined = tokens.join('');
  const last = tokens[tokens.length - 1]!;
  const positive = new Set<PiiKind>();
  for (const [kind, words] of TOKEN_HINTS) {
    if (tokens.some((t) => words.includes(t)) || words.includes(joined)) positive.add(kind);
  }
  for (const [kind, parts] of JOINED_HINTS) {
    if (parts.some((p) => joined.includes(p))) positive.add(kind);
  }
  const inAddress = ancestorTokens(location).some((t) => POSTAL_PARENT.has(t));
  const postal = tokens.some((t) => POSTAL.has(t)) && !tokens.some((t) => NOT_POSTAL.has(t));
  if (postal || (inAddress && isPostcodeName(joined))) positive.add('address');
  if (isPasswordName(tokens)) positive.add('password');
  if (isSecretName(tokens, joined)) positive.add('api_key');
  const negLast = NEG_LAST.has(last);
  if (negLast) {
    // `card_id`, `phone_verified_at`: the hint words describe, the value is something else.
    // A whole name that is itself a hint (`swift_code`, `postal_code`) keeps its kind.
    for (const k of [...positive]) if (!wholeNameHint(k, joined)) positive.delete(k);
  }
  const negative = negLast || tokens.some((t) => NEG_ANY.has(t));
  return { tokens, positive, negative, inAddress };
}

function wholeNameHint(kind: PiiKind, joined: string): boolean {
  if (kind === 'address') return isPostcodeName(joined);
  const words = TOKEN_HINTS.find(([k]) => k === kind)?.[1];
  return words !== undefined && words.includes(joined);
}

// Secret-bearing names, matched on the end of the glued name (`stripe_secret_key`).
const SECRET_ENDS = ['apikey', 'apisecret', 'secret', 'secretkey', 'accesskey', 'clientsecret',
  'apitoken', 'authtoken', 'accesstoken', 'refreshtoken', 'privatetoken', 'sessiontoken',
  'bearertoken', 'token', 'masterkey', 'signingkey', 'credential', 'credentials'];
// Tokens that are not credentials however they are named (`next_page_token`).
const NOT_SECRET = new Set(['page', 'next', 'cursor', 'continuation', 'pagination', 'csrf',
  'xsrf', 'device', 'push', 'fcm', 'apns', 'sync', 'count', 'type', 'expires', 'name']);

function isSecretName(tokens: string[], joined: string): boolean {
  if (tokens.some((t) => NOT_SECRET.has(t))) return false;
  return SECRET_ENDS.some((e) => joined.endsWith(e));
}

function isPostcodeName(joined: string): boolean {
  return ['zip', 'zipcode', 'postcode', 'postalcode', 'plz', 'cp'].includes(joined);
}

function isPasswordName(tokens: string[]): boolean {
  const n = tokens.length;
  if (PASSWORD.has(tokens[n - 1]!)) return true;
  if (n >= 2 && PASSWORD.has(tokens[n - 2]!) && PASSWORD_TAIL.has(tokens[n - 1]!)) return true;
  return false;
}

/** Name tokens of every segment of a location before the last one. */
function ancestorTokens(location: string): string[] {
  const colon = location.indexOf(':');
  const path = colon < 0 ? location : location.slice(colon + 1);
  const segs = path.split('/').filter((s) => s !== '' && s !== '*');
  segs.pop();
  return segs.flatMap(nameTokens).concat(segs.map((s) => nameTokens(s).join('')));
}
