/**
 * Security schemes for the OpenAPI export, from the auth kinds the traffic showed
 * (src/http/auth.ts) and, for API keys in the query, the parameter name the schema
 * recorded. Names and kinds only: no credential ever reaches the document.
 */
import { isCredentialParam } from '../http/redact.js';

type Obj = Record<string, unknown>;

/** Components' securitySchemes being built, and each operation's requirements. */
export class SecuritySchemes {
  private readonly schemes = new Map<string, Obj>();
  private bearerJwt = false;

  /**
   * The security requirements of one operation (OpenAPI 3.1 section 4.8.30): one
   * alternative per kind of credential seen, and `{}` when some requests had none.
   */
  requirements(auth: readonly string[], queryNames: readonly string[]): Obj[] {
    const kinds = new Set(auth.length === 0 ? ['none'] : auth);
    const out: Obj[] = [];
    const use = (name: string, scheme: Obj): void => {
      if (!this.schemes.has(name)) this.schemes.set(name, scheme);
      out.push({ [name]: [] });
    };
    if (kinds.has('basic')) use('basicAuth', { type: 'http', scheme: 'basic' });
    if (kinds.has('bearer')) {
      if (kinds.has('jwt')) this.bearerJwt = true;
      use('bearerAuth', { type: 'http', scheme: 'bearer' });
    } else if (kinds.has('jwt')) {
      // A JWT as the whole Authorization value, without the Bearer scheme.
      use('jwtAuthorization', { type: 'apiKey', in: 'header', name: 'Authorization' });
    }
    if (kinds.has('apikey-header')) {
      // LIMITATION: the sensor records that an API-key header was sent, not its name
      // (X-API-Key, api-key...), so the scheme names the most common one.
      use('apiKeyHeader', { type: 'apiKey', in: 'header', name: 'X-API-Key',
        description: 'an API key in a request header; the header name was not recorded' });
    }
    if (kinds.has('apikey-query')) {
      const names = queryNames.filter((n) => isCredentialParam(n));
      for (const n of names.length > 0 ? names : ['api_key']) {
        use(`apiKeyQuery_${n.replace(/[^A-Za-z0-9._-]/g, '_')}`,
          { type: 'apiKey', in: 'query', name: n });
      }
    }
    if (kinds.has('cookie')) {
      // LIMITATION: the session cookie's name is not recorded either.
      use('sessionCookie', { type: 'apiKey', in: 'cookie', name: 'session',
        description: 'a session cookie; its name was not recorded' });
    }
    if (kinds.has('none')) out.push({});
    return out;
  }

  /** components.securitySchemes, sorted by name; undefined when no scheme was used. */
  components(): Obj | undefined {
    if (this.schemes.size === 0) return undefined;
    const out: Obj = {};
    for (const name of [...this.schemes.keys()].sort()) {
      const s = { ...this.schemes.get(name)! };
      if (name === 'bearerAuth' && this.bearerJwt) s.bearerFormat = 'JWT';
      out[name] = s;
    }
    return out;
  }
}
