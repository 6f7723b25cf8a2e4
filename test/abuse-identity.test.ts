// Who a request is from: principal by credential precedence, client address through
// trusted proxies only, login outcomes by path words and status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyCounter } from '../src/anomalies.js';
import {
  clientAddressOf, jwtSubject, loginOutcome, normalizeAddress, parseTrustedProxies, principalOf,
} from '../src/abuse/identity.js';
import { ShadowtapError } from '../src/errors.js';
import { testTokenize as tok } from './helpers/abuse-events.js';

/** A compact JWT with the given claims; header and signature are not checked by the sensor. */
function jwt(claims: object): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

test('a bearer JWT names its subject, tokenised, whatever the signature', () => {
  const token = jwt({ sub: 'user-42', iss: 'https://auth.example.test/' });
  assert.equal(jwtSubject(token), 'user-42');
  assert.equal(principalOf([['authorization', `Bearer ${token}`]], tok), 'jwt:' + tok('user-42'));
  // Numeric subjects count too; the scheme name is case-insensitive (RFC 9110 §11.1).
  const numeric = `bearer ${jwt({ sub: 7 })}`;
  assert.equal(principalOf([['authorization', numeric]], tok), 'jwt:' + tok('7'));
});

test('an opaque bearer token or a JWT without sub is tokenised as a whole', () => {
  assert.equal(principalOf([['authorization', 'Bearer abc.def']], tok), 'bearer:' + tok('abc.def'));
  const noSub = jwt({ iss: 'x' });
  assert.equal(principalOf([['authorization', `Bearer ${noSub}`]], tok), 'bearer:' + tok(noSub));
  assert.equal(jwtSubject('not.a.jwt!'), null);
  assert.equal(jwtSubject('e30.bm90IGpzb24.x'), null); // payload is not JSON
});

test('credential precedence: bearer, Basic user, API key, session cookie, none', () => {
  const basic = 'Basic ' + Buffer.from('alice:secret-password').toString('base64');
  const cookie: [string, string] = ['cookie', 'theme=dark; sessionid=s3ss10n; lang=en'];
  const key: [string, string] = ['x-api-key', 'k-123'];
  assert.equal(principalOf([['authorization', basic], key, cookie], tok), 'basic:' + tok('alice'));
  assert.equal(principalOf([key, cookie], tok), 'apikey:' + tok('k-123'));
  assert.equal(principalOf([cookie], tok), 'session:' + tok('sessionid=s3ss10n'));
  const java = principalOf([['cookie', 'JSESSIONID=abc']], tok);
  assert.equal(java, 'session:' + tok('jsessionid=abc'));
  assert.equal(principalOf([['cookie', 'theme=dark'], ['accept', '*/*']], tok), null);
  assert.equal(principalOf([], tok), null);
});

test('no raw credential survives in a principal', () => {
  const secrets = ['secret-password', 'k-123', 's3ss10n'];
  const basic = 'Basic ' + Buffer.from('alice:secret-password').toString('base64');
  const all = [
    principalOf([['authorization', basic]], tok),
    principalOf([['x-api-key', 'k-123']], tok),
    principalOf([['cookie', 'sid=s3ss10n']], tok),
  ].join(' ');
  for (const s of secrets) assert.ok(!all.includes(s), s);
});

test('X-Forwarded-For is believed only from trusted proxies, walking from the right', () => {
  const trusted = parseTrustedProxies(['10.0.0.5', '192.168.0.0/16']);
  const xff: [string, string] = ['x-forwarded-for', '203.0.113.9, 198.51.100.1, 192.168.3.4'];
  // Untrusted peer: its own address, whatever it claims.
  assert.equal(clientAddressOf('172.16.0.9', [xff], trusted), '172.16.0.9');
  // Trusted peer: 192.168.3.4 is trusted too, 198.51.100.1 is not, so it is the client
  // (203.0.113.9 was written by a host we do not trust and could be forged).
  assert.equal(clientAddressOf('10.0.0.5', [xff], trusted), '198.51.100.1');
  // Two header fields are one list, in order (RFC 9110 §5.3).
  const split: Array<[string, string]> = [['x-forwarded-for', '203.0.113.9'],
    ['x-forwarded-for', '192.168.1.1']];
  assert.equal(clientAddressOf('10.0.0.5', split, trusted), '203.0.113.9');
  // Trusted peer without the header: the peer.
  assert.equal(clientAddressOf('10.0.0.5', [], trusted), '10.0.0.5');
});

test('a malformed hop stops the walk at the last trusted address and is counted', () => {
  const trusted = parseTrustedProxies(['10.0.0.5']);
  const anomalies = new AnomalyCounter();
  const got = clientAddressOf('10.0.0.5', [['x-forwarded-for', '203.0.113.9, unknown']],
    trusted, anomalies);
  assert.equal(got, '10.0.0.5');
  assert.equal(anomalies.counts['bad-forwarded-for'], 1);
});

test('addresses are normalised: ports, brackets, case, IPv4-mapped IPv6', () => {
  assert.equal(normalizeAddress('203.0.113.9:443'), '203.0.113.9');
  assert.equal(normalizeAddress('[2001:DB8::1]:8080'), '2001:db8::1');
  assert.equal(normalizeAddress('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(normalizeAddress('unknown'), null);
  assert.equal(normalizeAddress('300.1.1.1'), null);
});

test('a bad trusted-proxy entry is a one-line usage error naming it', () => {
  assert.throws(() => parseTrustedProxies(['10.0.0.0/33']), (e: unknown) =>
    e instanceof ShadowtapError && e.code === 'usage' && e.message.includes('10.0.0.0/33') &&
    !e.message.includes('\n'));
  assert.throws(() => parseTrustedProxies(['proxy.local']), ShadowtapError);
});

test('login outcomes: POST to a login-like path, 2xx success, 401/403 failure', () => {
  assert.equal(loginOutcome('POST', '/api/login', 200), 'success');
  assert.equal(loginOutcome('POST', '/users/v1/login', 401), 'failure');
  assert.equal(loginOutcome('POST', '/oauth/token?grant=pw', 403), 'failure');
  assert.equal(loginOutcome('POST', '/auth/sign-in', 204), 'success');
  assert.equal(loginOutcome('POST', '/v2/user_login', 201), 'success');
  assert.equal(loginOutcome('POST', '/sessions', 200), 'success');
  assert.equal(loginOutcome('GET', '/login', 200), null); // a login page, not an attempt
  assert.equal(loginOutcome('POST', '/login', 500), null);
  assert.equal(loginOutcome('POST', '/login', null), null);
  assert.equal(loginOutcome('POST', '/authors', 201), null); // "auth" must be a whole word
});
