// Credentials never leave the parser: header values and query parameters are
// redacted, the request line (uri) is kept as sent, auth kinds are detected first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectAuth, isJwt } from '../src/http/auth.js';
import { isCredentialHeader, redactHeaders, redactQuery, REDACTED } from '../src/http/redact.js';
import { runScript } from './helpers/http-script.js';

const jwt = [
  Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"sub":"42"}').toString('base64url'),
  'c2lnbmF0dXJl',
].join('.');

test('credential headers are redacted; Authorization keeps its scheme word', () => {
  const kept = redactHeaders([
    'Authorization', `Bearer ${jwt}`,
    'Proxy-Authorization', 'Basic dXNlcjpwYXNz',
    'Cookie', 'sid=abc; theme=dark',
    'X-API-Key', 'k-123',
    'X-Session-Id', 's-1',
    'X-Client-Secret', 'zzz',
    'Content-Type', 'application/json',
    'WWW-Authenticate', 'Bearer realm="api"',
    'Authorization', 'opaque',
  ]);
  assert.deepEqual(kept, [
    ['authorization', `Bearer ${REDACTED}`],
    ['proxy-authorization', `Basic ${REDACTED}`],
    ['cookie', REDACTED],
    ['x-api-key', REDACTED],
    ['x-session-id', REDACTED],
    ['x-client-secret', REDACTED],
    ['content-type', 'application/json'],
    ['www-authenticate', `Bearer ${REDACTED}`],
    ['authorization', REDACTED],
  ]);
  const secret = ['set-cookie', 'apikey', 'api-key', 'x-auth-token', 'x-access-token'];
  for (const name of [...secret, 'x-csrf-token', 'passwordhint']) {
    assert.ok(isCredentialHeader(name), name);
  }
  for (const name of ['accept', 'keep-alive', 'user-agent', 'host']) {
    assert.ok(!isCredentialHeader(name), name);
  }
});

test('credential query parameters are redacted, the rest kept byte for byte', () => {
  assert.equal(
    redactQuery('page=2&api_key=abc&Access-Token=x&sig=s&q=a%20b&token&key='),
    `page=2&api_key=${REDACTED}&Access-Token=${REDACTED}&sig=${REDACTED}` +
      `&q=a%20b&token&key=${REDACTED}`,
  );
  assert.equal(redactQuery('api%5Fkey=zz'), `api%5Fkey=${REDACTED}`);
  assert.equal(redactQuery('keyword=x&monkey=y'), 'keyword=x&monkey=y');
});

test('auth kinds, sorted and deduplicated; none only when nothing else', () => {
  assert.deepEqual(detectAuth(['Authorization', `Bearer ${jwt}`], ''), ['bearer', 'jwt']);
  assert.deepEqual(detectAuth(['Authorization', 'Bearer opaque-token'], ''), ['bearer']);
  assert.deepEqual(detectAuth(['authorization', 'basic dTpw'], ''), ['basic']);
  assert.deepEqual(detectAuth(['Authorization', 'Token abc'], ''), ['apikey-header']);
  assert.deepEqual(detectAuth(['X-Api-Key', 'k', 'api-key', 'k2'], ''), ['apikey-header']);
  assert.deepEqual(detectAuth([], 'api_key=abc&x=1'), ['apikey-query']);
  assert.deepEqual(detectAuth([], 'api_key=&x=1'), ['none']);
  assert.deepEqual(detectAuth(['Cookie', 'theme=dark; JSESSIONID=1'], ''), ['cookie']);
  assert.deepEqual(detectAuth(['Cookie', 'connect.sid=s%3A1'], ''), ['cookie']);
  assert.deepEqual(detectAuth(['Cookie', 'theme=dark; lang=en'], ''), ['none']);
  assert.deepEqual(
    detectAuth(['Cookie', 'session=1', 'Authorization', 'Basic x'], 'token=t'),
    ['apikey-query', 'basic', 'cookie'],
  );
  assert.deepEqual(detectAuth(['Accept', '*/*'], 'q=1'), ['none']);
});

test('a JWT is three base64url parts whose header is a JSON object', () => {
  assert.ok(isJwt(jwt));
  assert.ok(!isJwt('a.b.c'));
  assert.ok(!isJwt(Buffer.from('[1]').toString('base64url') + '.e30.x'));
  assert.ok(!isJwt('only.two'));
});

test('in an exchange: uri as in the request line, query redacted, headers redacted', () => {
  const run = runScript(String.raw`
    -> GET /v1/items?api_key=SECRET123&page=2 HTTP/1.1\r\nHost: h\r\n
    -> Authorization: Bearer tok\r\nCookie: sessionid=abc\r\n\r\n
    <- HTTP/1.1 200 OK\r\nSet-Cookie: sessionid=new; HttpOnly\r\nContent-Length: 0\r\n\r\n`);
  const e = run.exchanges[0]!;
  assert.equal(e.request.uri, '/v1/items?api_key=SECRET123&page=2');
  assert.equal(e.request.query, `api_key=${REDACTED}&page=2`);
  assert.deepEqual(e.request.auth, ['apikey-query', 'bearer', 'cookie']);
  const all = JSON.stringify([e.request.headers, e.response!.headers, e.request.query]);
  for (const secret of ['SECRET123', 'tok', 'abc', 'new']) assert.ok(!all.includes(secret), secret);
  assert.deepEqual(e.response!.headers[0], ['set-cookie', REDACTED]);
});
