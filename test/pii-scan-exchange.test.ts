// Pins how the exchange walker names locations (truth.json style, array items as
// `/*`) and what it reads: path parameters, query, headers, JSON, form and multipart
// bodies. Case 15 of the corpus checks numbers that only look like personal data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { scanExchange } from '../src/pii/scan-exchange.js';
import type { Exchange, HttpResponse } from '../src/http/types.js';
import { limitsWith } from '../src/config/limits.js';
import { CORPUS } from './source-helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function exchange(req: Partial<Exchange['request']>, res?: Partial<HttpResponse>): Exchange {
  return {
    packet: 1, ts: 0, endTs: 0, tunnel: '', gapBytes: 0, client: { ip: '127.0.0.2', port: 40000 },
    server: { ip: '127.0.0.1', port: 8080 },
    request: { method: 'GET', uri: '/', path: '/', query: '', host: 'api.test', httpVersion: '1.1',
      headers: [], auth: [], contentType: '', body: new Uint8Array(), bodyLength: 0,
      bodyTruncated: false, ...req },
    response: res === undefined ? null : { status: 200, httpVersion: '1.1', headers: [],
      contentType: 'application/json', body: new Uint8Array(), bodyLength: 0,
      bodyTruncated: false, ...res },
  };
}

const brief = (ex: Exchange, template?: string) =>
  scanExchange(ex, template === undefined ? {} : { template })
    .map((f) => `${f.in} ${f.location} ${f.kind} ${f.value}`);

test('request parts: path template, query, notable headers; credentials headers skipped', () => {
  const ex = exchange({
    path: '/api/v1/users/jane%40example.com/orders',
    query: 'email=x%40example.com&page=2&phone=%2B33%206%2012%2034%2056%2078&since=1767225600',
    headers: [['x-user-phone', '+1-202-555-0143'],
      ['authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'],
      ['x-forwarded-for', '203.0.113.5, 198.51.100.7'], ['user-agent', 'curl/8.5.0 (1.2.3.4)']],
  });
  assert.deepEqual(brief(ex, '/users/{userId}/orders'), [
    'request path:{userId} email jane@example.com',
    'request query:email email x@example.com',
    'request query:phone phone +33 6 12 34 56 78',
    'request header:x-user-phone phone +1-202-555-0143',
    'request header:x-forwarded-for ip_address 203.0.113.5',
    'request header:x-forwarded-for ip_address 198.51.100.7',
  ]);
  // A parameter named by personal data is located as `*`, never by its name.
  assert.deepEqual(brief(exchange({ query: 'jim%40example.org=1' })),
    ['request query:* email jim@example.org']);
  // Without a template a segment is named by its position.
  assert.deepEqual(brief(exchange({ path: '/u/jane@example.com' })), [
    'request path:#2 email jane@example.com',
  ]);
});

test('JSON bodies: pointers, array items as /*, id keys as *, geo pairs', () => {
  const body = {
    user: { email: 'a@example.org', dob: '1985-05-17', created_on: '2024-01-05' },
    items: [{ card_number: '4111 1111 1111 1111' }, { card_number: '1234' }],
    byId: { '1042': { phone: '(617) 555-0126' } },
    'a/b': { ssn: '219-09-9999' },
    pos: { lat: 48.8566, lng: 2.3522 },
    geometry: { type: 'Point', coordinates: [2.3522, 48.8566] },
    'bob@example.com': { role: 'admin' },
  };
  const ex = exchange({}, { body: enc(JSON.stringify(body)) });
  assert.deepEqual(brief(ex), [
    'response body:/user/email email a@example.org',
    'response body:/user/dob date_of_birth 1985-05-17',
    'response body:/items/*/card_number credit_card 4111 1111 1111 1111',
    'response body:/byId/*/phone phone (617) 555-0126',
    'response body:/a~1b/ssn ssn 219-09-9999',
    'response body:/pos/lat geo 48.8566',
    'response body:/pos/lng geo 2.3522',
    'response body:/geometry/coordinates geo 48.8566,2.3522',
    'response body:/* email bob@example.com',
  ]);
  // A top-level array: truth.json writes body:/0/email, we write body:/*/email.
  const list = exchange({}, { body: enc('[{"email":"a@example.org"},{"email":"b@example.org"}]') });
  assert.deepEqual(brief(list), ['response body:/*/email email a@example.org',
    'response body:/*/email email b@example.org']);
});

test('form and multipart bodies; files and cut JSON are not read', () => {
  const form = exchange({ method: 'POST', contentType: 'application/x-www-form-urlencoded',
    body: enc('card=4111111111111111&note=call+%28617%29+555-0126&qty=2') });
  assert.deepEqual(brief(form), ['request form:card credit_card 4111111111111111',
    'request form:note phone (617) 555-0126']);
  const b = 'XyZ';
  const mp = [`--${b}`, 'Content-Disposition: form-data; name="iban"', '',
    'DE89370400440532013000', `--${b}`,
    'Content-Disposition: form-data; name="doc"; filename="a.txt"', 'Content-Type: text/plain',
    '', 'a@example.org', `--${b}`, 'Content-Disposition: form-data; name="meta"',
    'Content-Type: application/json', '', '{"owner":{"email":"m@example.net"}}', `--${b}--`, '']
    .join('\r\n');
  const multi = exchange({ method: 'POST', contentType: `multipart/form-data; boundary=${b}`,
    body: enc(mp) });
  assert.deepEqual(brief(multi), ['request multipart:iban iban DE89370400440532013000',
    'request multipart:meta/owner/email email m@example.net']);
  const cut = exchange({}, { body: enc('{"email":"a@example.org","phone":"+1-20'),
    bodyTruncated: true });
  assert.deepEqual(brief(cut), []);
});

test('findings per exchange are capped', () => {
  const many = JSON.stringify(
    Array.from({ length: 50 }, (_, i) => ({ email: `u${i}@example.org` })));
  const ex = exchange({}, { body: enc(many) });
  const out = scanExchange(ex, { limits: limitsWith({ maxPiiFindingsPerExchange: 7 }) });
  assert.equal(out.length, 7);
});

// Case 15: the response carries one card, one phone and one e-mail among numbers that
// have the right number of digits (a timestamp, a Luhn-valid millisecond time, an id,
// an EAN-13, a last-4).
test('case 15 (pii-number-decoys): the pii and notPii lists of expected.json', (t) => {
  const fixture = readFileSync(join(process.cwd(), 'test/fixtures/case15-order.txt'), 'utf8')
    .split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const [method, uri] = fixture[0]!.split(' ') as [string, string];
  const [path, query] = uri.split('?') as [string, string];
  const ex = exchange({ method, uri, path, query }, { body: enc(fixture[1]!) });
  const findings = scanExchange(ex, { template: '/v1/orders/{id}' });
  const caseDir = join(CORPUS, 'cases', '15-pii-number-decoys');
  const expectedFile = join(caseDir, 'expected.json');
  if (!existsSync(expectedFile)) {
    t.skip('corpus case 15 not present at ../shared/corpus');
    return;
  }
  const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as {
    pii: Array<{ in: string; location: string; kind: string }>;
    notPii: Array<{ location: string }>;
  };
  const got = findings.map((f) => `${f.in} ${f.location} ${f.kind}`).sort();
  assert.deepEqual(got, expected.pii.map((p) => `${p.in} ${p.location} ${p.kind}`).sort());
  for (const n of expected.notPii) {
    assert.ok(!findings.some((f) => f.location === n.location), `${n.location} is not PII`);
  }
  // The fixture is what the capture holds.
  const tshark = spawnSync('tshark', ['-r', join(caseDir, 'capture.pcap'), '-Y', 'frame.number==6',
    '-T', 'fields', '-e', 'http.file_data'], { encoding: 'utf8' });
  if (tshark.error !== undefined) {
    t.diagnostic('tshark not installed: fixture not compared with the capture');
    return;
  }
  assert.equal(tshark.stdout.trim(), fixture[1]);
});

// Malformed traffic is data: random bytes and broken structure under every content type.
test('random bodies, names and content types never throw', () => {
  let x = 12345;
  const r = (k: number): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % k;
  const alpha = 'aA0 @.-+:/()[]{}"\\,=&%~_eyJAKIA-----BEGIN PRIVATE KEY\n\t\u00e9\u0000';
  const rs = (n: number): string =>
    Array.from({ length: n }, () => alpha[r(alpha.length)]).join('');
  const types = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', '',
    'multipart/form-data; boundary=ab', 'multipart/form-data', 'application/octet-stream'];
  for (let i = 0; i < 2000; i++) {
    const body = r(3) === 0 ? Uint8Array.from({ length: r(300) }, () => r(256))
      : enc(r(2) === 0 ? rs(r(300)) : `--ab\r\nContent-Disposition: form-data; name="${rs(5)}"` +
        `\r\n\r\n${rs(40)}\r\n--ab--`);
    const ex = exchange({ path: '/' + rs(r(20)), query: rs(r(40)),
      headers: [[rs(5).toLowerCase(), rs(20)]], contentType: types[r(types.length)]!, body },
    r(2) === 0 ? undefined : { status: r(600), contentType: types[r(types.length)]!, body });
    assert.doesNotThrow(() => scanExchange(ex, { template: r(2) === 0 ? `/{${rs(3)}}` : null }));
  }
});
