/**
 * Who the synthetic clients are and how they behave, minute by minute. Ordinary
 * clients are deliberately untidy (bursts, typos at login, 404s, an odd 5xx,
 * batch jobs with heavy minutes, operators on internal endpoints, search terms
 * with quotes and dashes) so the benchmark measures false alarms, not just hits.
 */

/** Uniform floats in [0, 1). */
export type Rng = () => number;

/** One request a synthetic client sends, with the answer it gets. */
export interface SynthRequest {
  principal: string | null;
  method: string;
  template: string;
  params?: Record<string, string>;
  query?: string;
  body?: string;
  status: number;
  bytes: number;
  userAgent: string;
}

/** Receives a request at a capture time. */
export type Emit = (ts: number, r: SynthRequest) => void;

/** Produces a client's requests for capture times in [from, to); keeps state between calls. */
export type Runner = (from: number, to: number, emit: Emit) => void;

/** The attacks injected. */
export const ATTACK_TYPES = [
  'enumeration', 'credential-stuffing', 'scraping', 'injection', 'flood',
] as const;

/** One attack type. */
export type AttackType = (typeof ATTACK_TYPES)[number];

const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0', 'Mozilla/5.0 (Macintosh) Safari/17.4',
  'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0', 'Mozilla/5.0 (iPhone) Mobile Safari/17.4',
];
const SEARCHES = [
  'shoes', "O'Brien jacket", "rock 'n' roll t-shirt", '50% off', "kids' toys", 'usb-c cable',
  'cat toys', 'sleep mask', 'union jack flag', 'select fit jeans', '1/2 inch drill', 'tom & jerry',
  'echo dot', 'id card holder', 'drop earrings', 'c:\\ sticker', 'ls-2000 speaker', '"best" mug',
];
const NOTES = [
  'Leave at the door; thanks!', "It's a gift -- please no receipt", 'Ring twice | side gate',
  'Fragile: glass', '2nd floor, apt 3', "Don't leave it outside", 'Deliver after 5pm (or 6)',
];

/** A browsing request: listing, search, product page, cart or own user. */
function browse(r: Rng, principal: string | null, ua: string, userId: number): SynthRequest {
  const x = r();
  const base = { principal, userAgent: ua };
  if (x < 0.25) {
    return { ...base, method: 'GET', template: '/api/products',
      query: `page=${int(r, 1, 20)}`, status: 200, bytes: int(r, 4000, 12000) };
  }
  if (x < 0.4) {
    return { ...base, method: 'GET', template: '/api/search',
      query: 'q=' + encodeURIComponent(pick(r, SEARCHES)), status: 200, bytes: int(r, 2000, 9000) };
  }
  if (x < 0.8) {
    const missing = r() < 0.04;
    return { ...base, method: 'GET', template: '/api/products/{id}',
      params: { id: String(int(r, 1, 90000)) }, status: missing ? 404 : 200,
      bytes: missing ? 90 : int(r, 600, 2000) };
  }
  if (x < 0.93) return { ...base, method: 'GET', template: '/api/cart', status: 200,
    bytes: int(r, 200, 900) };
  return { ...base, method: 'GET', template: '/api/users/{id}', params: { id: String(userId) },
    status: 200, bytes: int(r, 300, 700) };
}

function order(r: Rng, principal: string | null, ua: string): SynthRequest {
  const body = JSON.stringify({ items: [{ id: int(r, 1, 90000), qty: int(r, 1, 3) }],
    note: pick(r, NOTES) });
  return { principal, userAgent: ua, method: 'POST', template: '/api/orders', body,
    status: r() < 0.01 ? 500 : 201, bytes: int(r, 200, 500) };
}

function login(principal: string | null, ua: string, ok: boolean): SynthRequest {
  return { principal, userAgent: ua, method: 'POST', template: '/api/login',
    body: '{"username":"u","password":"p"}', status: ok ? 200 : 401, bytes: ok ? 180 : 60 };
}

/** Sessions that come and go; each minute a few page views of 2-5 requests each. */
function browser(id: string, r: Rng): Runner {
  const ua = pick(r, BROWSERS);
  const userId = int(r, 1, 90000);
  let active = r() < 0.3;
  let session = 0;
  return (from, to, emit) => {
    for (let m = from; m < to; m += 60) {
      const was = active;
      active = active ? r() < 0.8 : r() < 0.12;
      if (!active) continue;
      if (!was) {
        session++;
        if (r() < 0.08) emit(m + 0.5, login(null, ua, false));
        emit(m + 1.5, login(null, ua, true));
      }
      const principal = `session:${id}-${session}`;
      for (let p = int(r, 1, 6); p > 0; p--) {
        const t = m + 2 + r() * 57;
        for (let k = int(r, 2, 5); k > 0; k--) {
          emit(t + r() * 0.8, browse(r, principal, ua, userId));
        }
        if (r() < 0.05) emit(t + 0.9, order(r, principal, ua));
      }
    }
  };
}

/** An app: steady user, own orders, token refresh now and then, rare 403 on a wrong id. */
function mobile(id: string, r: Rng): Runner {
  const ua = `ShopApp/3.${int(r, 1, 9)} (Android ${int(r, 11, 14)})`;
  const principal = `jwt:${id}`;
  const userId = int(r, 1, 90000);
  const orders = Array.from({ length: 6 }, () => String(int(r, 1, 500000)));
  let active = r() < 0.3;
  return (from, to, emit) => {
    for (let m = from; m < to; m += 60) {
      active = active ? r() < 0.85 : r() < 0.1;
      if (!active) continue;
      if (r() < 0.03) {
        emit(m + 0.2, { principal, userAgent: ua, method: 'POST', template: '/api/auth/token',
          status: 200, bytes: 400 });
      }
      for (let k = int(r, 3, 15); k > 0; k--) {
        const t = m + r() * 60;
        const x = r();
        if (x < 0.15) {
          emit(t, { principal, userAgent: ua, method: 'GET', template: '/api/orders/{orderId}',
            params: { orderId: pick(r, orders) }, status: 200, bytes: int(r, 400, 1500) });
        } else if (x < 0.17) {
          emit(t, { principal, userAgent: ua, method: 'GET', template: '/api/users/{id}',
            params: { id: String(int(r, 1, 90000)) }, status: 403, bytes: 80 });
        } else emit(t, browse(r, principal, ua, userId));
      }
    }
  };
}

/** A back-end integration: always on, even rate, API key, a few 404s and rare 5xx. */
function service(id: string, r: Rng): Runner {
  const ua = pick(r, ['Go-http-client/1.1', 'okhttp/4.12.0', 'axios/1.6.8']);
  const principal = `apikey:${id}`;
  const rate = int(r, 20, 60);
  return (from, to, emit) => {
    for (let m = from; m < to; m += 60) {
      const n = Math.round(rate * (0.85 + r() * 0.3));
      for (let k = 0; k < n; k++) {
        const t = m + (k + r()) * (60 / n);
        const fail = r();
        const status = fail < 0.005 ? 503 : fail < 0.035 ? 404 : 200;
        if (r() < 0.7) {
          emit(t, { principal, userAgent: ua, method: 'GET', template: '/api/products/{id}',
            params: { id: String(int(r, 1, 90000)) }, status, bytes: int(r, 600, 2000) });
        } else {
          emit(t, { principal, userAgent: ua, method: 'GET', template: '/api/orders/{orderId}',
            params: { orderId: String(int(r, 1, 500000)) }, status, bytes: int(r, 400, 1500) });
        }
      }
    }
  };
}

/** A nightly-style export squeezed into a quarter-hour cycle: one heavy minute, then quiet. */
function batch(id: string, r: Rng): Runner {
  const principal = `apikey:${id}`;
  const ua = 'python-requests/2.31.0';
  const offset = int(r, 0, 14);
  const reports = Array.from({ length: 40 }, () => String(int(r, 1, 10 ** 6)));
  return (from, to, emit) => {
    for (let m = from; m < to; m += 60) {
      const minute = Math.round((m - from) / 60);
      if ((minute + offset) % 15 !== 0) {
        if (r() < 0.3) emit(m + r() * 60, { principal, userAgent: ua, method: 'GET',
          template: '/api/products', query: 'page=1', status: 200, bytes: int(r, 4000, 12000) });
        continue;
      }
      const n = int(r, 100, 250);
      for (let k = 0; k < n; k++) {
        emit(m + (k + r()) * (50 / n), { principal, userAgent: ua, method: 'GET',
          template: '/api/products', query: `page=${k + 1}&size=100`, status: 200,
          bytes: int(r, 8000, 15000) });
      }
      for (let k = int(r, 5, 20); k > 0; k--) {
        emit(m + 50 + r() * 10, { principal, userAgent: ua, method: 'GET',
          template: '/internal/v2/reports/{id}', params: { id: pick(r, reports) }, status: 200,
          bytes: int(r, 1000, 5000) });
      }
    }
  };
}

/** An operator on internal (shadow) endpoints now and then. */
function ops(id: string, r: Rng): Runner {
  const principal = `basic:${id}`;
  const ua = 'curl/8.5.0';
  return (from, to, emit) => {
    for (let m = from; m < to; m += 60) {
      if (r() > 0.2) continue;
      for (let k = int(r, 1, 10); k > 0; k--) {
        const x = r();
        const template = x < 0.4 ? '/internal/v2/health' : x < 0.7 ? '/internal/v2/config'
          : '/internal/v2/reports/{id}';
        emit(m + r() * 60, { principal, userAgent: ua, method: 'GET', template,
          ...(template.endsWith('{id}') ? { params: { id: String(int(r, 1, 10 ** 6)) } } : {}),
          status: r() < 0.05 ? 500 : 200, bytes: int(r, 100, 5000) });
      }
    }
  };
}

/** Ordinary client profiles. */
export const BENIGN: Readonly<Record<'browser' | 'mobile' | 'service' | 'batch' | 'ops',
  (id: string, r: Rng) => Runner>> = Object.freeze({ browser, mobile, service, batch, ops });

const PAYLOADS: Readonly<Record<string, readonly string[]>> = {
  sql: ["' OR 1=1--", "1' UNION SELECT username,password FROM users--", '1 AND SLEEP(5)',
    "admin'--", "') or ('a'='a"],
  nosql: ['{"username":{"$ne":null},"password":{"$ne":null}}', 'user[$ne]=x&pass[$gt]='],
  command: ['127.0.0.1; cat /etc/passwd', '$(whoami)', '`id`', 'x | ls -la'],
  traversal: ['../../../../etc/passwd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2fwin.ini'],
};

/** A request carrying an attack payload in the query, a path parameter or a body. */
function probe(r: Rng, principal: string, ua: string): SynthRequest {
  const kind = pick(r, Object.keys(PAYLOADS));
  const payload = pick(r, PAYLOADS[kind] as string[]);
  const status = r() < 0.4 ? 400 : r() < 0.4 ? 500 : 200;
  const where = r();
  if (kind === 'nosql' && payload.startsWith('{')) {
    return { principal, userAgent: ua, method: 'POST', template: '/api/login', body: payload,
      status: status === 200 ? 401 : status, bytes: 60 };
  }
  if (where < 0.5) {
    return { principal, userAgent: ua, method: 'GET', template: '/api/search',
      query: kind === 'nosql' ? payload : 'q=' + encodeURIComponent(payload), status, bytes: 120 };
  }
  if (where < 0.8) {
    return { principal, userAgent: ua, method: 'GET', template: '/api/products/{id}',
      params: { id: encodeURIComponent(payload) }, status, bytes: 100 };
  }
  return { principal, userAgent: ua, method: 'POST', template: '/api/orders',
    body: JSON.stringify({ items: [], note: payload }), status, bytes: 100 };
}

/** Requests spread over [from, to) at `perMin` a minute, each made by `make`. */
function steady(r: Rng, from: number, to: number, perMin: number, emit: Emit,
  make: (k: number, ts: number) => SynthRequest): void {
  const n = Math.round(((to - from) / 60) * perMin);
  for (let k = 0; k < n; k++) {
    const ts = from + (k + r() * 0.9) * ((to - from) / n);
    emit(ts, make(k, ts));
  }
}

/** An attacker of the given type; active over [from, to) when run. */
export function attacker(type: AttackType, id: string, r: Rng): Runner {
  const ua = 'python-requests/2.31.0';
  return (from, to, emit) => {
    switch (type) {
      case 'enumeration': {
        let next = int(r, 1000, 5000);
        steady(r, from, to, int(r, 60, 180), emit, () => {
          next += r() < 0.9 ? 1 : 2;
          const gone = r() < 0.2;
          return { principal: `jwt:stolen-${id}`, userAgent: ua, method: 'GET',
            template: '/api/users/{id}', params: { id: String(next) }, status: gone ? 404 : 200,
            bytes: gone ? 80 : int(r, 300, 700) };
        });
        return;
      }
      case 'credential-stuffing': {
        const rotate = id.endsWith('1');
        steady(r, from, to, int(r, 30, 90), emit, () => {
          const agent = rotate ? pick(r, BROWSERS) + ` r${int(r, 1, 50)}` : ua;
          return login(null, agent, r() < 0.03);
        });
        return;
      }
      case 'scraping':
        steady(r, from, to, int(r, 120, 300), emit, (k) => {
          const principal = `apikey:scraper-${id}`;
          if (r() < 0.15) {
            return { principal, userAgent: ua, method: 'GET', template: '/api/products',
              query: `page=${k}`, status: 200, bytes: int(r, 4000, 12000) };
          }
          const missing = r() < 0.04;
          return { principal, userAgent: ua, method: 'GET', template: '/api/products/{id}',
            params: { id: String(int(r, 1, 90000)) }, status: missing ? 404 : 200,
            bytes: missing ? 90 : int(r, 600, 2000) };
        });
        return;
      case 'injection': {
        const agent = pick(r, BROWSERS);
        const principal = `session:attacker-${id}`;
        steady(r, from, to, int(r, 20, 50), emit, () =>
          r() < 0.35 ? probe(r, principal, agent) : browse(r, principal, agent, 1));
        return;
      }
      case 'flood': {
        const mid = (from + to) / 2;
        steady(r, from, to, int(r, 800, 2500), emit, (k, ts) => ({
          principal: null, userAgent: 'Go-http-client/1.1', method: 'GET',
          template: '/api/search', query: `q=deal${k % 7}`,
          status: ts < mid ? 200 : r() < 0.5 ? 429 : 503, bytes: 150 }));
        return;
      }
    }
  };
}
