// Pins the tokenisation boundary: where the secret is created and with which mode,
// what is refused, that tokens are stable per value and secret, and what previews show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { defaultSecretPath, loadOrCreateSecret } from '../src/privacy/secret.js';
import { canonicalValue, Tokenizer } from '../src/privacy/tokenize.js';
import { preview } from '../src/privacy/preview.js';
import { isShadowtapError } from '../src/errors.js';

function tempDir(t: { after: (f: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'shadowtap-privacy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('default secret path follows XDG_CONFIG_HOME, else ~/.config', () => {
  assert.equal(defaultSecretPath({ XDG_CONFIG_HOME: '/cfg' }), '/cfg/shadowtap/secret');
  const home = defaultSecretPath({ HOME: '/home/u' });
  assert.ok(home.endsWith('/.config/shadowtap/secret'), home);
  // A relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored.
  assert.ok(defaultSecretPath({ XDG_CONFIG_HOME: 'rel' }).endsWith('/.config/shadowtap/secret'));
});

test('the secret is created once, 32 bytes, mode 0600, in a 0700 directory', (t) => {
  const dir = tempDir(t);
  const env = { XDG_CONFIG_HOME: dir };
  const first = loadOrCreateSecret({ env });
  assert.equal(first.created, true);
  assert.equal(first.path, join(dir, 'shadowtap', 'secret'));
  assert.equal(first.secret.length, 32);
  assert.equal(statSync(first.path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'shadowtap')).mode & 0o777, 0o700);
  const again = loadOrCreateSecret({ env });
  assert.equal(again.created, false);
  assert.deepEqual(again.secret, first.secret);
  assert.deepEqual(readFileSync(first.path), first.secret);
});

test('refused: beside the database, readable by others, wrong size', (t) => {
  const dir = tempDir(t);
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return isShadowtapError(e) ? e.code : 'other';
    }
    return undefined;
  };
  assert.equal(code(() => loadOrCreateSecret({ path: join(dir, 'secret'),
    dbPath: join(dir, 'shadowtap.db') })), 'usage');
  const open = join(dir, 'open');
  writeFileSync(open, Buffer.alloc(32, 1));
  chmodSync(open, 0o644);
  assert.equal(code(() => loadOrCreateSecret({ path: open })), 'permission-denied');
  const short = join(dir, 'short');
  writeFileSync(short, Buffer.alloc(16, 1), { mode: 0o600 });
  assert.equal(code(() => loadOrCreateSecret({ path: short })), 'file-unreadable');
});

test('tokens: same value same token, per secret, canonical per kind, secret never shown', () => {
  const a = new Tokenizer(Buffer.alloc(32, 7));
  const b = new Tokenizer(Buffer.alloc(32, 8));
  const t1 = a.tokenize('4111 1111 1111 1111', 'credit_card');
  assert.match(t1, /^tk_[A-Za-z0-9_-]{22}$/);
  assert.equal(a.tokenize('4111-1111-1111-1111', 'credit_card'), t1);
  assert.notEqual(b.tokenize('4111111111111111', 'credit_card'), t1, 'rotation changes tokens');
  assert.equal(a.tokenize('Jane@Example.com', 'email'), a.tokenize('jane@example.com', 'email'));
  assert.equal(a.tokenize('(415) 555-0132', 'phone'), a.tokenize('+1 415 555 0132', 'phone'));
  assert.notEqual(a.tokenize('a'), a.tokenize('b'));
  assert.equal(canonicalValue('0033 6 12 34 56 78', 'phone'), '+33612345678');
  assert.equal(JSON.stringify({ a }), '{"a":"[Tokenizer]"}');
  assert.equal(inspect(a), '[Tokenizer]');
  assert.throws(() => new Tokenizer(Buffer.alloc(16)), RangeError);
});

test('previews mask all but the shape', () => {
  const cases: Array<[Parameters<typeof preview>[0], string, string]> = [
    ['email', 'jerad-bruen85@mail.example.com', 'j***@m***.com'],
    ['credit_card', '4111 1111 1111 1111', '**** **** **** 1111'],
    ['phone', '+1-202-555-0143', '+*-***-***-**43'],
    ['iban', 'FR76 3000 6000 0112 3456 7890 189', 'FR** **** 0189'],
    ['ip_address', '203.0.113.5', '203.***'],
    ['geo', '48.8566,2.3522', '48.*,2.*'],
    ['api_key', 'sk_live_abcdefghijklmnop1234', 'sk_live_***'],
    ['api_key', 'AKIAIOSFODNN7EXAMPLE', 'AKIA***'],
    ['jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', 'eyJ***'],
    ['password', 'hunter22', '***'],
    ['private_key', '-----BEGIN RSA PRIVATE KEY-----', '***'],
    ['ssn', '219-09-9999', '2***'],
    ['address', '221B Example Street', '2***'],
    ['email', 'a@b', '***'],
  ];
  for (const [kind, value, want] of cases) assert.equal(preview(kind, value), want, kind);
});
