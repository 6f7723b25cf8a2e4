/** The one boundary where raw personal data becomes tokens and masked previews. */
export { canonicalValue, openTokenizer, Tokenizer } from './tokenize.js';
export { preview } from './preview.js';
export { defaultSecretPath, loadOrCreateSecret, SECRET_BYTES } from './secret.js';
export type { LoadedSecret, SecretOptions } from './secret.js';
