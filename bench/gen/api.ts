/**
 * The small JSON API calls the generated traffic carries: five services, 22
 * endpoints with numeric ids, UUIDs, SKUs, words and query parameters in
 * their paths, and JSON bodies holding the kind of fields real ones do (names,
 * e-mail addresses, prices, nested objects, lists). All names are made up here.
 */
import { gzipSync } from 'node:zlib';
import { request, response, type Headers } from './http-messages.js';
import type { Rng } from './rng.js';
import type { WireExchange } from './tcp-conn.js';

/** A service: its Host name and the address and port it listens on. */
export interface ApiHost {
  name: string;
  ip: number;
  port: number;
}

/** How a response body is sent. */
export interface BodyStyle {
  /** gzip the JSON bodies (Content-Encoding: gzip, RFC 9110 section 8.4.1.3). */
  gzip: boolean;
  /** Share of bodies sent chunked rather than with Content-Length. */
  chunkedShare: number;
  /** Items in list responses, lowest and highest. */
  listItems: [number, number];
}

const ip4 = (a: number, b: number, c: number, d: number): number =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** The services of the small-calls profiles. */
export const API_HOSTS: readonly ApiHost[] = [
  { name: 'shop-api.example', ip: ip4(10, 0, 0, 10), port: 80 },
  { name: 'accounts.example', ip: ip4(10, 0, 0, 11), port: 80 },
  { name: 'billing.example', ip: ip4(10, 0, 0, 12), port: 8080 },
  { name: 'inventory.example', ip: ip4(10, 0, 0, 13), port: 80 },
  { name: 'search.example', ip: ip4(10, 0, 0, 14), port: 8080 },
];

const FIRST = ['Ada', 'Bruno', 'Chen', 'Dalia', 'Emeka', 'Freya', 'Goran', 'Hana', 'Ines',
  'Jonas', 'Keiko', 'Luis', 'Mira', 'Nils', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tove'];
const LAST = ['Abara', 'Berg', 'Castillo', 'Dumont', 'Eriksen', 'Fischer', 'Gallo', 'Haddad',
  'Ivanova', 'Jensen', 'Kowalski', 'Laine', 'Moreau', 'Novak', 'Okafor', 'Petrov'];
const CITIES = ['Lyon', 'Porto', 'Tampere', 'Graz', 'Leeds', 'Gdansk', 'Bergen', 'Bari'];
const WORDS = ['lamp', 'desk', 'kettle', 'chair', 'router', 'cable', 'boots', 'jacket',
  'mug', 'shelf', 'tent', 'drill', 'blender', 'pillow', 'scarf', 'helmet'];
const AGENTS = ['okhttp/4.12.0', 'python-requests/2.31.0', 'Go-http-client/1.1',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0',
  'shop-ios/7.4.1 CFNetwork/1494.0.7 Darwin/23.4.0', 'axios/1.6.8'];

type Json = Record<string, unknown>;
/** One call: method, target, request body, status, response body. */
type Call = [string, string, Json | null, number, Json | Json[] | null];
type Endpoint = (r: Rng, s: BodyStyle) => Call;

const uuid = (r: Rng): string =>
  `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`;
const id = (r: Rng): number => r.int(1, 250_000);
const sku = (r: Rng): string => `${r.pick(['AB', 'KX', 'TR', 'ML'])}-${r.int(10000, 99999)}`;
const price = (r: Rng): number => r.int(99, 99_999) / 100;
const when = (r: Rng): string =>
  `2024-0${r.int(1, 9)}-${String(r.int(10, 28))}T${String(r.int(10, 23))}:${r.int(10, 59)}:00Z`;
const list = <T>(r: Rng, s: BodyStyle, make: () => T): T[] =>
  Array.from({ length: r.int(s.listItems[0], s.listItems[1]) }, make);

function person(r: Rng, userId: number): Json {
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  return {
    id: userId, firstName: first, lastName: last,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${r.int(1, 99)}@mail.example`,
    phone: `+44 20 7946 0${r.int(100, 999)}`, createdAt: when(r),
    address: { street: `${r.int(1, 200)} ${r.pick(WORDS)} Road`, city: r.pick(CITIES),
      postcode: String(r.int(10000, 99999)) },
  };
}
const product = (r: Rng, pid = id(r)): Json => ({
  id: pid, sku: sku(r), name: `${r.pick(WORDS)} ${r.pick(WORDS)}`, price: price(r),
  currency: 'EUR', inStock: r.chance(0.8), tags: [r.pick(WORDS), r.pick(WORDS)],
});
const order = (r: Rng, s: BodyStyle): Json => ({
  id: id(r), status: r.pick(['new', 'paid', 'shipped']), createdAt: when(r),
  items: list(r, s, () => ({ productId: id(r), quantity: r.int(1, 4), price: price(r) })),
  total: price(r), customer: person(r, id(r)),
});

/** Endpoints per host, in the order of API_HOSTS. */
const ENDPOINTS: Endpoint[][] = [
  [
    (r, s) => ['GET', `/api/v1/products?page=${r.int(1, 40)}&limit=20`, null, 200,
      list(r, s, () => product(r))],
    (r) => { const p = id(r); return ['GET', `/api/v1/products/${p}`, null, 200, product(r, p)]; },
    (r, s) => ['GET', `/api/v1/products/${id(r)}/reviews`, null, 200,
      list(r, s, () => ({ rating: r.int(1, 5), text: `${r.pick(WORDS)} is fine`, by: id(r) }))],
    (r) => ['POST', '/api/v1/carts', { currency: 'EUR' }, 201, { id: uuid(r), items: [] }],
    (r) => ['PUT', `/api/v1/carts/${uuid(r)}/items/${id(r)}`, { quantity: r.int(1, 5) }, 200,
      { items: [{ productId: id(r), quantity: r.int(1, 5) }], total: price(r) }],
    (r) => ['DELETE', `/api/v1/carts/${uuid(r)}/items/${id(r)}`, null, 204, null],
    (r, s) => ['POST', '/api/v1/orders', { cartId: uuid(r), paymentMethod: 'card' }, 201,
      order(r, s)],
    (r, s) => ['GET', `/api/v1/orders/${id(r)}`, null, 200, order(r, s)],
  ],
  [
    (r) => { const u = id(r); return ['GET', `/v2/users/${u}`, null, 200, person(r, u)]; },
    (r) => { const u = id(r); return ['PATCH', `/v2/users/${u}`, { city: r.pick(CITIES) }, 200,
      person(r, u)]; },
    (r, s) => ['GET', `/v2/users/${id(r)}/sessions`, null, 200,
      list(r, s, () => ({ id: r.hex(16), started: when(r), agent: r.pick(AGENTS) }))],
    (r) => ['POST', '/v2/sessions', { username: `user${id(r)}`, password: r.hex(12) }, 201,
      { session: r.hex(32), expiresIn: 3600 }],
    (r) => ['DELETE', `/v2/sessions/${r.hex(32)}`, null, 204, null],
  ],
  [
    (r) => ['GET', `/invoices/${id(r)}`, null, 200,
      { id: id(r), amount: price(r), due: when(r), customer: person(r, id(r)) }],
    (r, s) => ['GET', `/customers/${id(r)}/invoices?status=${r.pick(['open', 'paid'])}`, null,
      200, list(r, s, () => ({ id: id(r), amount: price(r), due: when(r) }))],
    (r) => ['POST', '/payments', { invoice: id(r), amount: price(r), method: 'sepa' }, 201,
      { id: uuid(r), state: 'accepted' }],
  ],
  [
    (r) => ['GET', `/stock/${sku(r)}`, null, 200,
      { sku: sku(r), available: r.int(0, 900), warehouse: r.int(1, 12) }],
    (r) => ['POST', `/stock/${sku(r)}/reservations`, { quantity: r.int(1, 9) }, 201,
      { reservation: uuid(r), until: when(r) }],
    (r, s) => ['GET', `/warehouses/${r.int(1, 12)}/stock?page=${r.int(1, 30)}`, null, 200,
      list(r, s, () => ({ sku: sku(r), available: r.int(0, 900) }))],
  ],
  [
    (r, s) => ['GET', `/search?q=${r.pick(WORDS)}+${r.pick(WORDS)}&page=${r.int(1, 5)}`, null,
      200, list(r, s, () => ({ id: id(r), title: `${r.pick(WORDS)} ${r.pick(WORDS)}` }))],
    (r) => ['GET', `/suggest?q=${r.pick(WORDS).slice(0, 3)}`, null, 200,
      [{ text: r.pick(WORDS) }, { text: r.pick(WORDS) }]],
    () => ['GET', '/health', null, 200, { status: 'ok' }],
  ],
];

/** One API call to `host` (one of API_HOSTS), as request and response bytes. */
export function apiExchange(r: Rng, host: ApiHost, style: BodyStyle): WireExchange {
  const at = API_HOSTS.indexOf(host);
  const [method, target, reqBody, okStatus, okBody] = r.pick(ENDPOINTS[at]!)(r, style);
  const headers: Headers = [['Host', host.name], ['User-Agent', r.pick(AGENTS)],
    ['Accept', 'application/json']];
  if (style.gzip) headers.push(['Accept-Encoding', 'gzip']);
  headers.push(['Authorization', `Bearer ${r.hex(40)}`], ['X-Request-Id', uuid(r)]);
  let body: Uint8Array | null = null;
  if (reqBody !== null) {
    headers.push(['Content-Type', 'application/json']);
    body = Buffer.from(JSON.stringify(reqBody));
  }
  // A few calls fail, as they do: unknown ids and bad input.
  const roll = r.float();
  const status = roll < 0.02 ? 404 : roll < 0.03 ? 400 : okStatus;
  const resBody = status === okStatus ? okBody : { error: status === 404 ? 'not found' : 'bad' };
  return { request: request(method, target, headers, body), response: jsonResponse(r, status,
    resBody, style) };
}

function jsonResponse(r: Rng, status: number, body: unknown, style: BodyStyle): Uint8Array {
  const headers: Headers = [['Server', 'nginx'], ['Date', 'Mon, 15 Jan 2024 10:00:00 GMT']];
  if (status === 204 || body === null) return response(204, headers, null);
  headers.push(['Content-Type', 'application/json; charset=utf-8']);
  let bytes: Uint8Array = Buffer.from(JSON.stringify(body));
  if (style.gzip) {
    headers.push(['Content-Encoding', 'gzip'], ['Vary', 'Accept-Encoding']);
    bytes = gzipSync(bytes);
  }
  const chunk = r.chance(style.chunkedShare) ? r.pick([1024, 4096, 8192]) : 0;
  return response(status, headers, bytes, chunk);
}
