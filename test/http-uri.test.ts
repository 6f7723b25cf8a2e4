// Request-target forms (RFC 9112 §3.2) split into path and query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitTarget } from '../src/http/uri.js';

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
