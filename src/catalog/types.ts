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

/**
 * A request or response body schema reduced to what drift needs: types, formats,
 * property names, required names, items and additionalProperties. `allOf`, `anyOf`
 * and `oneOf` are folded in (a property named by any branch is documented), and no
 * description, example, default or enum is kept.
 */
export interface CatalogSchema {
  /** JSON types allowed (`null` when nullable); absent when the schema allows any. */
  type?: string[];
  format?: string;
  properties?: Record<string, CatalogSchema>;
  required?: string[];
  items?: CatalogSchema;
  /**
   * A schema: the values of a map; true: any member; false: only the listed ones;
   * absent: the listed ones, or any when none is listed (a free-form object).
   */
  additionalProperties?: boolean | CatalogSchema;
  /** Not followed further (a circular `$ref` or a size limit): anything below is accepted. */
  open?: true;
}

/** One documented response (status code, `NXX` range or `default`). */
export interface CatalogResponse {
  /** Body schema per media type; `{}` when a media type is listed without a schema. */
  content: Record<string, CatalogSchema>;
  /** Documented response header names, lowercased. */
  headers: string[];
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
  /**
   * Request body schema per media type; null when the operation documents no body.
   * Absent in catalogs stored by earlier versions (drift then skips bodies).
   */
  requestBody?: { required: boolean; content: Record<string, CatalogSchema> } | null;
  /** Documented responses by status key (`200`, `4XX`, `default`); absent as above. */
  responses?: Record<string, CatalogResponse>;
}

/** Everything loaded from the `--catalog` entries. */
export interface Catalog {
  operations: CatalogOperation[];
  /** Spec files read, in load order. */
  files: string[];
}
