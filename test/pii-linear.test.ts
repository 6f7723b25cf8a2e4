// Adversarial inputs for the PII scanners: every detector must stay linear in the
// input length. Each input is scanned at n and 10n characters; the time must grow
// by less than 30x (quadratic would be 100x). Ratios, not absolute times, so a busy
// machine does not fail the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanValue } from '../src/pii/scan-value.js';
import { scanExchange } from '../src/pii/scan-exchange.js';
import type { Exchange } from '../src/http/types.js';

const SMALL = 10_000;
const LARGE = 100_000;

// Patterns repeated to length: each one feeds a detector's trigger over and over.
const PATTERNS: Record<string, string> = {
  digits: '1',
  'at signs': '@',
  'a@': 'a@',
  'a@b.': 'a@b.',
  'dotted words': 'a.',
  'spaced digits': '1 ',
  'dashed digits': '1-',
  'plus one': '+1 ',
  parens: '(1',
  'dotted digits': '1.',
  'jwt starts': 'eyJ',
  'jwt dots': 'eyJ.',
  'pem headers': '-----BEGIN ',
  'pem no close': '-----BEGIN RSA',
  'aws prefix': 'AKIA',
  'openai prefix': 'sk-',
  'github prefix': 'ghp_',
  'iban starts': 'FR76',
  'nino starts': 'AB12',
  colons: 'a:',
  'digit colons': '1:',
  'mixed': 'a1@-. +(:eyJ',
};

function fill(p: string, n: number): string {
  return p.repeat(Math.ceil(n / p.length)).slice(0, n);
}

function minTime(f: () => void, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

test('scanValue stays linear on adversarial strings', () => {
  const ctx = { fieldName: 'comment', location: 'body:/comment' };
  for (const [name, p] of Object.entries(PATTERNS)) {
    const small = fill(p, SMALL);
    const large = fill(p, LARGE);
    // The scan cap is lifted: the scanner itself is what is measured.
    scanValue(small, ctx, { maxChars: Infinity }); // warm up
    const ts = minTime(() => scanValue(small, ctx, { maxChars: Infinity }));
    const tl = minTime(() => scanValue(large, ctx, { maxChars: Infinity }));
    // Below a millisecond the small run is timer noise; compare with a floor.
    const ratio = tl / Math.max(ts, 0.5);
    const why = `${name}: ${ts.toFixed(2)} ms -> ${tl.toFixed(2)} ms (x${ratio.toFixed(1)})`;
    assert.ok(ratio < 30, why);
  }
});

test('scanExchange stays linear on a large JSON body of look-alikes', () => {
  const body = (n: number): Uint8Array => {
    const items: string[] = [];
    let size = 2;
    for (let i = 0; size < n; i++) {
      const s = JSON.stringify({ ['k' + (i % 7)]: fill(['1', '@', 'eyJ.', '1 '][i % 4]!, 64) });
      items.push(s);
      size += s.length + 1;
    }
    return new TextEncoder().encode('[' + items.join(',') + ']');
  };
  const ex = (b: Uint8Array): Exchange => ({
    packet: 1, ts: 0, endTs: 0, tunnel: '', gapBytes: 0, client: { ip: '127.0.0.1', port: 1 },
    server: { ip: '127.0.0.1', port: 2 },
    request: { method: 'POST', uri: '/x', path: '/x', query: '', host: 'h', httpVersion: '1.1',
      headers: [], auth: [], contentType: 'application/json', body: b, bodyLength: b.length,
      bodyTruncated: false },
    response: null,
  });
  const small = ex(body(SMALL));
  const large = ex(body(LARGE));
  scanExchange(small);
  const ts = minTime(() => scanExchange(small));
  const tl = minTime(() => scanExchange(large));
  const ratio = tl / Math.max(ts, 0.5);
  assert.ok(ratio < 30, `${ts.toFixed(2)} ms -> ${tl.toFixed(2)} ms (x${ratio.toFixed(1)})`);
});
