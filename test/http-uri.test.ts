// Request-target forms (RFC 9112 §3.2) split into path and query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitTarget, targetHost } from '../src/http/uri.js';

const cases: Array<[string, string, string, string]> = [
  ['GET', '/a/b?x=1&y=2', '/a/b', 'x=1&y=2'],
  ['GET', '/a%20b/', '/a%20b/', ''],
  ['GET', '/?', '/', ''],
  ['GET', 'http://Example.test:8080/p/q?z', '/p/q', 'z'],
  ['GET', 'https://example.test', '/', ''],
  ['GET', 'http://example.test?only=query', '/', 'only=query'],
  ['GET', '/frag#x', '/frag', ''],
  ['CONNECT', 'example.test:443', '', ''],
  ['OPTIONS', '*', '*', ''],
];

for (const [method, target, path, query] of cases) {
  test(`${method} ${target}`, () => {
    assert.deepEqual(splitTarget(method, target), { path, query });
  });
}

// The host an absolute-form target names (RFC 9112 §3.2.2), userinfo dropped.
const hosts: Array<[string, string, string | null]> = [
  ['GET', 'http://API.Example.test:8080/p?q', 'api.example.test:8080'],
  ['GET', 'https://example.test', 'example.test'],
  ['GET', 'http://user:secret@example.test/x', 'example.test'],
  ['GET', 'http://[2001:db8::1]:81/', '[2001:db8::1]:81'],
  ['GET', 'http://example.test?only=query', 'example.test'],
  ['GET', 'http:///no-authority', null],
  ['GET', '/origin/form', null],
  ['CONNECT', 'example.test:443', null],
  ['OPTIONS', '*', null],
];

for (const [method, target, host] of hosts) {
  test(`host of ${method} ${target}`, () => {
    assert.equal(targetHost(method, target), host);
  });
}
