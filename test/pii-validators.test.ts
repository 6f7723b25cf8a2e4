// Pins the value validators behind each PII kind: what passes, what a look-alike
// fails on, and how field names move confidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardBrand, cardStrength, ean13Valid, luhnValid } from '../src/pii/card.js';
import { bicStrength, ibanOf, ibanValid } from '../src/pii/bank.js';
import { ninoValid, nirValid, ssnOf } from '../src/pii/national-id.js';
import { e164Valid, nanpValid, phoneStrength } from '../src/pii/phone.js';
import { emailValid } from '../src/pii/email.js';
import { ipv4Strength, ipv6Valid } from '../src/pii/network.js';
import { jwtStrength, prefixedKeyStrength, privateKeyStrength } from '../src/pii/secrets.js';
import { geoPairStrength } from '../src/pii/geo.js';
import { birthDateValid } from '../src/pii/by-name.js';
import { nameHints, nameTokens } from '../src/pii/names.js';
import { scanValue } from '../src/pii/scan-value.js';

const kinds = (v: string | number, field: string | null): string[] =>
  scanValue(v, { fieldName: field, location: field === null ? 'body:' : `body:/${field}` })
    .map((h) => h.kind);

test('cards need Luhn and an issuer range at a length that issuer uses', () => {
  assert.equal(luhnValid('4111111111111111'), true);
  assert.equal(luhnValid('4111111111111112'), false);
  assert.equal(cardBrand('378282246310005'), 'amex');
  assert.equal(cardBrand('2223003122003222'), 'mastercard');
  assert.equal(cardBrand('6011111111111117'), 'discover');
  // 13-digit Unix milliseconds pass Luhn, but no brand issues 13 digits starting with 1.
  assert.equal(luhnValid('1767225600108'), true);
  assert.equal(cardBrand('1767225600108'), null);
  assert.equal(cardStrength('1767225600108'), 0);
  // Amex at 16 digits is not an Amex length.
  assert.equal(cardBrand('3782822463100051'), null);
  // A 13-digit number that is a valid EAN-13 stays below the threshold.
  assert.equal(ean13Valid('4006381333931'), true);
  assert.deepEqual(kinds('4111 1111 1111 1111', null), ['credit_card']);
  assert.deepEqual(kinds('4111-1111-1111-1111', 'cc'), ['credit_card']);
  assert.deepEqual(kinds('4111 1111-1111 1111', null), [], 'mixed separators');
  assert.deepEqual(kinds('1234567812345670', 'card_number'), [], 'Luhn-valid, no issuer');
});

test('IBAN needs the country length and mod-97; BIC needs a country and a name', () => {
  assert.equal(ibanValid('GB82WEST12345698765432'), true);
  assert.equal(ibanValid('GB82WEST12345698765433'), false);
  assert.equal(ibanValid('FR763000600001123456789018'), false, 'one character short');
  assert.equal(ibanOf('fr76 3000 6000 0112 3456 7890 189'), 'FR7630006000011234567890189');
  assert.equal(ibanOf('FR76  3000 6000 0112 3456 7890 189'), null, 'double space');
  assert.ok(bicStrength('DEUTDEFF500') >= 0.5);
  assert.ok(bicStrength('DISABLED') > 0 && bicStrength('DISABLED') < 0.5);
  assert.equal(bicStrength('ABCDQQ22'), 0, 'QQ is no country');
  assert.equal(bicStrength('DEUTDEFFX12'), 0, 'branch starting with X must be XXX');
  assert.deepEqual(kinds('DISABLED', 'status'), []);
  assert.deepEqual(kinds('NWBKGB2L', 'swift'), ['bic']);
});

test('SSN, NIR and NINO follow their allocation rules', () => {
  assert.equal(ssnOf('219-09-9999', false), '219099999');
  for (const bad of ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000',
    '123-45 6789']) {
    assert.equal(ssnOf(bad, false), null, bad);
  }
  assert.equal(ssnOf('219099999', false), null, 'bare digits need a name');
  assert.deepEqual(kinds('219099999', 'ssn'), ['ssn']);
  assert.equal(nirValid('2 69 05 2A 004 012 28'), true, 'Corsica 2A counts as 19');
  assert.equal(nirValid('185112B12345659'), true, 'Corsica 2B counts as 18');
  assert.equal(nirValid('185112B12345658'), false, 'key off by one');
  assert.equal(nirValid('185132B12345659'), false, 'month 13');
  assert.equal(ninoValid('AB123456C'), true);
  assert.equal(ninoValid('AB 12 34 56 C'), true);
  for (const bad of ['QQ123456C', 'DA123456A', 'AO123456A', 'BG123456A', 'AB123456E']) {
    assert.equal(ninoValid(bad), false, bad);
  }
});

test('phones: E.164 country codes, NANP rules, national trunk forms', () => {
  assert.equal(nanpValid('4155550132'), true);
  assert.equal(nanpValid('1767225600'), false, 'Unix time: area code starts with 1');
  assert.equal(nanpValid('0155550132'), false);
  assert.equal(nanpValid('4115550132'), false, 'N11 area code');
  assert.equal(nanpValid('4151550132'), false, 'exchange starts with 1');
  assert.equal(e164Valid('33612345678'), true);
  assert.equal(e164Valid('3361234567'), false, 'France has nine national digits');
  assert.equal(e164Valid('28123456789'), false, '28 is a spare code');
  assert.ok(phoneStrength('+49 30 901820', false) > 0);
  assert.ok(phoneStrength('+44 (0)20 7946 0018', false) > 0);
  assert.ok(phoneStrength('06 12 34 56 78', false) > 0);
  assert.equal(phoneStrength('4155550132', false), 0, 'bare digits need a name');
  assert.ok(phoneStrength('4155550132', true) > 0);
  assert.equal(phoneStrength('1767225600', true), 0, 'timestamp under a phone name');
  assert.equal(phoneStrength('415-5550-132', false), 0, 'not 3-3-4');
  assert.equal(phoneStrength('2025-02-08', true), 0);
  assert.deepEqual(kinds('415-555-0132', 'sku'), [], 'a contrary name sinks a weak kind');
  assert.deepEqual(kinds(3074185296, 'product_id'), []);
  assert.deepEqual(kinds(14155550132, 'phone'), ['phone']);
});

test('email, IP, geo, dates of birth', () => {
  assert.equal(emailValid('jerad-bruen85@example.com'), true);
  for (const bad of ['icon@2x.png', 'lodash@4.17.21', 'user@localhost', 'a..b@example.com',
    '@example.com', 'a@example.c0m']) {
    assert.equal(emailValid(bad), false, bad);
  }
  assert.equal(ipv4Strength('255.255.255.0'), 0, 'netmask');
  assert.equal(ipv4Strength('01.2.3.4'), 0, 'leading zero');
  assert.ok(ipv4Strength('1.2.3.4') < 0.5, 'version-like quad');
  assert.equal(ipv6Valid('2001:db8::1'), true);
  assert.equal(ipv6Valid('::ffff:192.0.2.128'), true);
  assert.equal(ipv6Valid('00:1a:2b:3c:4d:5e'), false, 'MAC');
  assert.equal(ipv6Valid('1::2::3'), false);
  assert.deepEqual(kinds('1.2.3.4', 'version'), []);
  assert.deepEqual(kinds('1.2.3.4', 'client_ip'), ['ip_address']);
  assert.ok(geoPairStrength('48.8566,2.3522', false) > 0);
  assert.equal(geoPairStrength('48.85,2.35', false), 0, 'too coarse without a name');
  assert.ok(geoPairStrength('48.85,2.35', true) > 0);
  assert.equal(geoPairStrength('91.0000,2.0000', true), 0, 'latitude out of range');
  assert.equal(birthDateValid('17 May 1985'), true);
  assert.equal(birthDateValid('1985-02-30'), false);
  assert.deepEqual(kinds('1985-05-17', 'dob'), ['date_of_birth']);
  assert.deepEqual(kinds('1985-05-17', 'created_on'), []);
});

test('secrets: JWT structure, issuer prefixes, PEM private keys only', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlc2lnbmF0dXJl';
  assert.ok(jwtStrength(jwt) > 0.9);
  assert.equal(jwtStrength('eyJhbGciOiJIUzI1NiJ9'), 0, 'header alone');
  assert.equal(jwtStrength('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.'), 0, 'signed but no signature');
  assert.ok(jwtStrength('eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.') > 0, 'alg none, empty signature');
  assert.ok(prefixedKeyStrength('AKIAIOSFODNN7EXAMPLE') > 0.9);
  assert.equal(prefixedKeyStrength('AKIAIOSFODNN7EXAMPL'), 0, 'one short');
  assert.ok(prefixedKeyStrength('ghp_' + 'a1'.repeat(18)) > 0.9);
  assert.equal(prefixedKeyStrength('sk-SE'), 0);
  assert.ok(privateKeyStrength('-----BEGIN EC PRIVATE KEY-----\nMHc=\n') > 0.9);
  assert.equal(privateKeyStrength('-----BEGIN CERTIFICATE-----\nMIIB\n'), 0);
  assert.equal(privateKeyStrength('-----BEGIN PUBLIC KEY-----\nMFkw\n'), 0);
  assert.deepEqual(kinds('a3f5c1d2e4b6a7980123456789012345', 'api_key'), ['api_key']);
  assert.deepEqual(kinds('a3f5c1d2e4b6a7980123456789012345', 'etag'), []);
  assert.deepEqual(kinds('hunter22', 'password'), ['password']);
  assert.deepEqual(kinds('strict', 'password_policy'), []);
  assert.deepEqual(kinds('********', 'password'), []);
});

test('field names: tokens, hints, and contrary last words', () => {
  assert.deepEqual(nameTokens('X-User-PhoneNumber'), ['x', 'user', 'phone', 'number']);
  assert.deepEqual(nameTokens('card_last4'), ['card', 'last4']);
  assert.ok(nameHints('contact_email').positive.has('email'));
  assert.ok(!nameHints('phone_verified_at').positive.has('phone'));
  assert.ok(nameHints('phone_verified_at').negative);
  assert.ok(nameHints('swift_code').positive.has('bic'), 'a whole-name hint survives "code"');
  assert.ok(nameHints('zip', 'body:/billing_address/zip').positive.has('address'));
  assert.ok(!nameHints('zip', 'body:/zip').positive.has('address'));
  assert.ok(!nameHints('email_address').positive.has('address'));
  assert.ok(!nameHints('next_page_token').positive.has('api_key'));
});

test('free text: each embedded value with its span', () => {
  const text = 'Reach me at +33 6 12 34 56 78 2 fois, or a.b@example.com; IBAN ' +
    'FR76 3000 6000 0112 3456 7890 189.';
  const hits = scanValue(text, { fieldName: 'comment', location: 'body:/comment' });
  assert.deepEqual(hits.map((h) => [h.kind, text.slice(h.start, h.end)]), [
    ['phone', '+33 6 12 34 56 78'],
    ['email', 'a.b@example.com'],
    ['iban', 'FR76 3000 6000 0112 3456 7890 189'],
  ]);
  assert.deepEqual(kinds('5555 5555 5555 4444 5555', null), [], 'no card inside a longer run');
  assert.deepEqual(kinds('SKU-415-555-0132', 'sku'), []);
  assert.deepEqual(kinds('upgrade to v1.2.3.4 now', 'message'), []);
  assert.deepEqual(kinds('1.3.6.1.4.1.311.21.8', 'oid'), []);
});
