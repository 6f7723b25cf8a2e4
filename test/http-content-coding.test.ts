// Content-Encoding removal: gzip, x-gzip, deflate (zlib and raw), br, stacked
// codings, cut bodies, decompression bombs and undecodable bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { AnomalyCounter } from '../src/anomalies.js';
import { limitsWith } from '../src/config/limits.js';
import { decodeContent } from '../src/http/content-coding.js';
import { runScript, text } from './helpers/http-script.js';

const items = Array.from({ length: 50 }, (_, i) => ({ id: i }));
const json = Buffer.from(JSON.stringify({ items }));

function decode(encoding: string, raw: Uint8Array, whole = true, limits = {}) {
  const anomalies = new AnomalyCounter();
  const out = decodeContent(encoding, raw, whole, limitsWith(limits), anomalies);
  return { ...out, text: Buffer.from(out.bytes).toString(), anomalies: anomalies.counts };
}

const codings: Array<[string, Buffer]> = [
  ['gzip', zlib.gzipSync(json)],
  ['x-gzip', zlib.gzipSync(json)],
  ['deflate', zlib.deflateSync(json)],
  ['deflate', zlib.deflateRawSync(json)], // what many servers send for "deflate"
  ['br', zlib.brotliCompressSync(json)],
  ['GZIP', zlib.gzipSync(json)],
];

for (const [name, encoded] of codings) {
  test(`decodes ${name} (${encoded[0] === 0x78 ? 'zlib-wrapped' : 'as sent'})`, () => {
    const out = decode(name, encoded);
    assert.equal(out.text, json.toString());
    assert.equal(out.truncated, false);
    assert.deepEqual(out.anomalies, {});
  });
}

test('stacked codings are removed last first; identity is no coding', () => {
  const twice = zlib.brotliCompressSync(zlib.gzipSync(json));
  assert.equal(decode('gzip, identity, br', twice).text, json.toString());
  assert.equal(decode('identity', json).text, json.toString());
});

test('a cut body decodes as far as it goes and is marked truncated', () => {
  for (const [name, encoded] of codings) {
    const out = decode(name, encoded.subarray(0, Math.floor(encoded.length * 0.6)), false);
    assert.equal(out.truncated, true, name);
    assert.ok(out.text.length > 0 && json.toString().startsWith(out.text), name);
  }
});

test('the kept sample is at most maxBodyBytesKept decoded bytes', () => {
  const out = decode('gzip', zlib.gzipSync(json), true, { maxBodyBytesKept: 10 });
  assert.equal(out.text, json.toString().slice(0, 10));
  assert.equal(out.truncated, true);
});

test('a decompression bomb is capped by size and by ratio', () => {
  const bomb = zlib.gzipSync(Buffer.alloc(20 << 20, 0x41)); // 20 MiB of 'A' in ~20 KiB
  const bySize = decode('gzip', bomb, true, {
    maxDecodedBodyBytes: 1 << 20,
    maxDecompressionRatio: 1e6,
  });
  assert.equal(bySize.anomalies['decompression-limit'], 1);
  assert.equal(bySize.truncated, true);
  assert.ok(bySize.text.length > 0 && /^A+$/.test(bySize.text));
  const byRatio = decode('gzip', bomb, true, {
    maxDecodedBodyBytes: 1 << 30,
    maxDecompressionRatio: 10,
  });
  assert.equal(byRatio.anomalies['decompression-limit'], 1);
  assert.ok(byRatio.bytes.length <= bomb.length * 10);
});

test('undecodable bodies count decode-error and are kept empty', () => {
  const corrupt = Buffer.from(zlib.gzipSync(json));
  corrupt[20] ^= 0xff;
  corrupt[21] ^= 0xff;
  const bad = [['gzip', corrupt], ['br', Buffer.from('not brotli')], ['zstd', json]] as const;
  for (const [name, raw] of bad) {
    const out = decode(name, raw);
    assert.equal(out.bytes.length, 0, name);
    assert.equal(out.anomalies['decode-error'], 1, name);
  }
});

test('a gzip response in a conversation is decoded; bodyLength is the encoded size', () => {
  const gz = zlib.gzipSync(Buffer.from('{"ok":true}'));
  const hex = Array.from(gz, (b) => '\\x' + b.toString(16).padStart(2, '0')).join('');
  const run = runScript(
    `-> GET / HTTP/1.1\\r\\n\\r\\n
     <- HTTP/1.1 200 OK\\r\\nContent-Encoding: gzip\\r\\n
     <- Content-Length: ${gz.length}\\r\\n\\r\\n${hex}`,
  );
  const res = run.exchanges[0]!.response!;
  assert.equal(text(res.body), '{"ok":true}');
  assert.equal(res.bodyLength, gz.length);
  assert.equal(res.bodyTruncated, false);
});
