// The http-parser-js wrapper and the start-line finder, as stream parsers: fed
// whole, byte by byte and split at seeded random points, they must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageFraming } from '../src/http/framing.js';
import { MessageParser, salvageHead, type MessageHead } from '../src/http/parser.js';
import {
  classifyLine,
  IN_CARRY,
  isRequestLine,
  isStatusLine,
  NOT_FOUND,
  NOT_START,
  StartLineFinder,
} from '../src/http/start-line.js';
import { prng } from './helpers/http-script.js';

/** Feeds `input` in the given pieces; returns a log of events. */
function parseAll(
  request: boolean,
  input: string,
  pieces: number[],
  skip = (_h: MessageHead) => false,
): string[] {
  const log: string[] = [];
  let body = '';
  const parser = new MessageParser(request, {
    head: (h) => {
      log.push(`head ${h.method || h.status} ${h.url} ${h.rawHeaders.join('|')}`);
      return skip(h);
    },
    body: (chunk) => {
      body += chunk.toString('latin1');
    },
    complete: () => {
      log.push(`body ${JSON.stringify(body)}`);
      body = '';
      return false;
    },
  });
  const buf = Buffer.from(input, 'latin1');
  let at = 0;
  for (const n of pieces) {
    const r = parser.execute(buf, at, at + n);
    if (r.error !== null) log.push(`error ${r.error}`);
    at += n;
  }
  return log;
}

function splits(len: number, seed: number): number[] {
  const rnd = prng(seed);
  const out: number[] = [];
  for (let left = len; left > 0; ) {
    const n = Math.min(left, 1 + Math.floor(rnd() * 20));
    out.push(n);
    left -= n;
  }
  return out;
}

function everyWay(request: boolean, input: string): string[] {
  const whole = parseAll(request, input, [input.length]);
  assert.deepEqual(parseAll(request, input, Array(input.length).fill(1)), whole, 'byte by byte');
  for (const seed of [1, 2, 3, 99]) {
    assert.deepEqual(parseAll(request, input, splits(input.length, seed)), whole, `seed ${seed}`);
  }
  return whole;
}

test('requests: sized, chunked with extensions and trailers, and none', () => {
  const input =
    'POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc' +
    'PUT /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n' +
    '2;ext=1\r\nxy\r\n1\r\nz\r\n0\r\nT: v\r\n\r\n' +
    '\r\nGET /c HTTP/1.0\r\n\r\n';
  assert.deepEqual(everyWay(true, input), [
    'head POST /a Content-Length|3',
    'body "abc"',
    'head PUT /b Transfer-Encoding|chunked',
    'body "xyz"',
    'head GET /c ',
    'body ""',
  ]);
});

test('responses: "gzip, chunked" is chunked; a response without length runs to close', () => {
  const input =
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' +
    'HTTP/1.0 200 OK\r\n\r\nto the end';
  const log = everyWay(false, input);
  assert.deepEqual(log.slice(0, 2), ['head 200  Transfer-Encoding|gzip, chunked', 'body "abc"']);
  assert.equal(log[2], 'head 200  ');
  assert.equal(log.length, 3); // the close-delimited body is not complete yet
});

test('the owner can cut a body short (HEAD): the next response does not inherit it', () => {
  const input = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n';
  const log = parseAll(false, input, [input.length], (h) => h.status === 200);
  assert.deepEqual(log, ['head 200  Content-Length|5', 'body ""', 'head 204  ', 'body ""']);
});

test('invalid lengths and unknown request lines are errors, not exceptions', () => {
  const badLength = 'GET / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n';
  assert.match(parseAll(true, badLength, [badLength.length]).join(), /error/);
  assert.match(parseAll(true, 'get / HTTP/1.1\r\n\r\n', [18]).join(), /error/);
  assert.match(parseAll(false, 'HTTP/1.1 20 OK\r\n\r\n', [18]).join(), /error/);
});

test('framing follows RFC 9112 §6.3', () => {
  const head = (request: boolean, status: number, headers: string[]): MessageHead => ({
    request,
    method: request ? 'POST' : '',
    url: '/',
    status,
    versionMajor: 1,
    versionMinor: 1,
    rawHeaders: headers,
    truncated: false,
  });
  assert.deepEqual(messageFraming(head(true, 0, [])), { kind: 'none' });
  assert.deepEqual(messageFraming(head(false, 200, [])), { kind: 'close' });
  assert.deepEqual(messageFraming(head(false, 304, ['Content-Length', '9'])), { kind: 'none' });
  const seven = { kind: 'length', length: 7 };
  assert.deepEqual(messageFraming(head(true, 0, ['Content-Length', '7, 7'])), seven);
  const twoLengths = ['Content-Length', '7', 'Content-Length', '8'];
  assert.equal(messageFraming(head(true, 0, twoLengths)).kind, 'invalid');
  assert.deepEqual(
    messageFraming(head(true, 0, ['Transfer-Encoding', ',\tchunked,', 'Content-Length', '0'])),
    { kind: 'chunked' },
  );
  assert.equal(messageFraming(head(true, 0, ['Transfer-Encoding', 'gzip'])).kind, 'invalid');
  const gzipOnly = ['Transfer-Encoding', 'gzip'];
  assert.deepEqual(messageFraming(head(false, 200, gzipOnly)), { kind: 'close' });
});

test('bytes lost inside a sized body are absorbed; the message completes in order', () => {
  const events: string[] = [];
  const parser = new MessageParser(false, {
    head: () => false,
    body: (c) => events.push(`body ${c.toString()}`),
    complete: (end) => {
      events.push(`complete ${end}`);
      return false;
    },
  });
  const a = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
  parser.execute(a, 0, a.length);
  assert.equal(parser.bodyRemaining(), 7);
  assert.equal(parser.skipLost(4), 4);
  const b = Buffer.from('hijHTTP/1.1 204 x\r\n\r\n');
  parser.execute(b, 0, b.length);
  assert.deepEqual(events, ['body abc', 'body hij', 'complete 3', 'complete 21']);
  assert.equal(parser.phase, 'idle');
});

test('a header block cut short is salvaged as far as it goes', () => {
  const parser = new MessageParser(true, {
    head: () => false,
    body: () => undefined,
    complete: () => false,
  });
  const a = Buffer.from('GET /p?q=1 HTTP/1.1\r\nHost: h\r\nAcc');
  parser.execute(a, 0, a.length);
  const head = parser.salvage()!;
  assert.equal(head.url, '/p?q=1');
  assert.deepEqual(head.rawHeaders, ['Host', 'h']);
  assert.equal(head.truncated, true);
  assert.equal(salvageHead(true, 'GET /images/sf.net_box.gif HTT')?.url, '/images/sf.net_box.gif');
  assert.equal(salvageHead(true, 'GET /images/sf.net_bo'), null); // the target may be cut
  assert.equal(salvageHead(false, 'HTTP/1.0 404 Not')?.status, 404);
  assert.equal(salvageHead(false, 'HTTP/1.0 40'), null);
  assert.equal(salvageHead(true, 'GET /v2 HTTP/2.')?.versionMajor, 2);
  assert.equal(salvageHead(false, 'HTTP/2.0 503 Unav')?.versionMajor, 2);
});

test('start lines are recognised strictly', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  const req = (s: string) => isRequestLine(b(s), 0, s.length);
  const res = (s: string) => isStatusLine(b(s), 0, s.length);
  assert.ok(req('GET / HTTP/1.1\r'));
  assert.ok(req('M-SEARCH * HTTP/1.1'));
  assert.ok(req('GET /a b HTTP/1.0'));
  assert.ok(!req('GET  / HTTP/1.1'));
  assert.ok(!req('get / HTTP/1.1'));
  // Any HTTP/d.d version frames as HTTP/1.x, as tshark reads it (HTTP/2 proper is binary).
  assert.ok(req('GET / HTTP/2.0'));
  assert.ok(req('GET / HTTP/0.9'));
  assert.ok(!req('GET / HTTP/2'));
  assert.ok(!req('GET / HTTP/a.0'));
  assert.ok(!req('SSH-2.0-OpenSSH_8.9 x'));
  assert.ok(res('HTTP/1.1 200 OK\r'));
  assert.ok(res('HTTP/1.0 404'));
  assert.ok(!res('HTTP/1.1 20 OK'));
  assert.ok(!res('HTTP/1.12000'));
  assert.ok(res('HTTP/2.0 200 OK'));
  assert.ok(!res('HTTP/2 200 OK'));
  assert.equal(classifyLine(b('HTTP/1.1 101 x'), 0, 14), 'response');
  assert.equal(classifyLine(b('junk'), 0, 4), null);
});

test('the finder hunts through pieces, carrying a split start line', () => {
  const text = 'garbage\x00\x01\nmore junk\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n';
  const stream = Buffer.from(text, 'latin1');
  const at = stream.indexOf('GET');
  for (const seed of [1, 5, 8]) {
    const f = new StartLineFinder(1024);
    f.kind = 'request';
    f.probing = false;
    let pos = 0;
    let found = -1;
    for (const n of splits(stream.length, seed)) {
      const piece = stream.subarray(pos, pos + n);
      const r = f.scan(piece, 0, pos, 0, 0, NaN);
      if (r === IN_CARRY) found = f.carryFrom.pos;
      else if (r >= 0) found = pos + r;
      pos += n;
      if (found >= 0) break;
      assert.equal(r, NOT_FOUND);
    }
    assert.equal(found, at, `seed ${seed}`);
    assert.equal(f.skipped, at);
  }
});

test('probing looks at the first line only', () => {
  const f = new StartLineFinder(1024);
  assert.equal(f.scan(Buffer.from('\r\nHTTP/1.1 200 OK\r\n'), 0, 0, 0, 0, NaN), 2);
  assert.equal(f.found, 'response');
  const g = new StartLineFinder(1024);
  assert.equal(g.scan(Buffer.from('\x16\x03\x01\x02\x00'), 0, 0, 0, 0, NaN), NOT_START);
  const h = new StartLineFinder(1024);
  assert.equal(h.scan(Buffer.from('GET /lo'), 0, 0, 0, 0, NaN), NOT_FOUND);
  assert.equal(h.scan(Buffer.from('ng HTTP/1.1\r\n'), 0, 7, 0, 0, NaN), IN_CARRY);
  assert.equal(Buffer.from(h.takeCarry()).toString(), 'GET /lo');
});

test('regression: bytes >= 0x80 in the start line and headers keep their high bit', () => {
  // UTF-8 "é" (c3 a9) in the target, "ü" (c3 bc) in the Host, a lone latin1 0xe9:
  // kept one character per byte, whatever the split (a character may straddle two).
  const input =
    'GET /caf\xc3\xa9 HTTP/1.1\r\nHost: b\xc3\xbccher.example\r\nX-Old: \xe9t\xe9\r\n\r\n';
  assert.deepEqual(everyWay(true, input), [
    'head GET /caf\xc3\xa9 Host|b\xc3\xbccher.example|X-Old|\xe9t\xe9',
    'body ""',
  ]);
  const status = 'HTTP/1.1 200 \xc3\x89t\xc3\xa9\r\nX-R: \xff\r\nContent-Length: 0\r\n\r\n';
  assert.deepEqual(everyWay(false, status), [
    'head 200  X-R|\xff|Content-Length|0',
    'body ""',
  ]);
});
