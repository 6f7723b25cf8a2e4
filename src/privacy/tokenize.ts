/**
 * Keyed tokens for personal data: HMAC-SHA-256 (RFC 2104) of the value under the
 * sensor's secret. The same value gives the same token, so distinct values can be
 * counted ("seen for 1,204 distinct cards") without keeping any of them; without
 * the secret a token cannot be tested against guesses.
 */
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import type { PiiKind } from '../pii/types.js';
import { loadOrCreateSecret, SECRET_BYTES, type SecretOptions } from './secret.js';

/** Token text: "tk_" then 128 bits of the MAC in base64url (22 characters). */
const TOKEN_BYTES = 16;

/**
 * The form under which two writings of one value are the same value: e-mail
 * lower-cased, card, IBAN and national numbers without spaces or dashes, phone
 * numbers as digits with "+" kept (ten-digit NANP numbers given +1).
 */
export function canonicalValue(value: string, kind?: PiiKind): string {
  const v = value.trim();
  switch (kind) {
    case 'email':
    case 'ip_address':
      return v.toLowerCase();
    case 'credit_card':
    case 'iban':
    case 'bic':
    case 'ssn':
    case 'fr_nir':
    case 'uk_nino':
      return v.replace(/[\s-]/g, '').toUpperCase();
    case 'phone': {
      const digits = v.replace(/\D/g, '');
      if (v.startsWith('+')) return '+' + digits;
      if (v.startsWith('00')) return '+' + digits.slice(2);
      if (digits.length === 10 && !digits.startsWith('0')) return '+1' + digits;
      return digits;
    }
    default:
      return v;
  }
}

/** Turns values into tokens under one secret. Never prints or serialises the secret. */
export class Tokenizer {
  readonly #secret: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.length < SECRET_BYTES) {
      throw new RangeError(`a tokenisation secret needs ${SECRET_BYTES} bytes`);
    }
    this.#secret = Buffer.from(secret);
  }

  /** The token of a value; pass its kind so that equal values written apart match. */
  tokenize(value: string, kind?: PiiKind): string {
    const mac = createHmac('sha256', this.#secret).update(canonicalValue(value, kind), 'utf8');
    return 'tk_' + mac.digest().subarray(0, TOKEN_BYTES).toString('base64url');
  }

  toJSON(): string {
    return '[Tokenizer]';
  }

  [inspect.custom](): string {
    return '[Tokenizer]';
  }
}

/** A tokenizer over the secret at the given or default path, created on first use. */
export function openTokenizer(opts: SecretOptions = {}): Tokenizer {
  return new Tokenizer(loadOrCreateSecret(opts).secret);
}
