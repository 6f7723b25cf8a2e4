/**
 * The API catalog as shadowtap keeps it: one plain record per documented operation,
 * JSON-serialisable as is (stored in the database), no `$ref`s and no cycles.
 */

/** One parameter of an operation, reduced to what matching and reports need. */
export interface CatalogParam {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  /** JSON Schema type (`integer`, `string`...), the first non-null one; null when untyped. */
  type: string | null;
  format: string | null;
  required: boolean;
  /** Allowed values when the schema lists them (`enum`), as strings. */
  enum?: string[];
}

/** A security scheme as declared (OpenAPI 3 components, Swagger 2 securityDefinitions). */
export interface CatalogSecurityScheme {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
}

/** One documented operation (method + path) of one spec file. */
export interface CatalogOperation {
  specFile: string;
  specTitle: string;
  /** Upper case, as on the wire. */
  method: string;
  /** As in the spec's `paths` key, without base path. */
  template: string;
  /**
   * Path prefixes the operation is served under: from `servers` (variables expanded to
   * their defaults and enums) or Swagger 2 `basePath`; '' for none. Never empty.
   */
  basePaths: string[];
  /** Hosts from servers/host, lowercased, port dropped; [] when none is usable. */
  hosts: string[];
  /** Hosts given with `FILE@HOST` on the command line. */
  boundHosts: string[];
  deprecated: boolean;
  operationId: string | null;
  params: CatalogParam[];
  /** Alternatives, each a list of scheme names all required; [] = no security. */
  security: string[][];
  /** The schemes `security` names. */
  securitySchemes: Record<string, CatalogSecurityScheme>;
}

/** Everything loaded from the `--catalog` entries. */
export interface Catalog {
  operations: CatalogOperation[];
  /** Spec files read, in load order. */
  files: string[];
}
