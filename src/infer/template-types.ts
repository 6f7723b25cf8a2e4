/**
 * The types of path templating, apart from the code so that hints, storage and the
 * catalog can name them without importing the algorithm.
 */
import type { Catalog } from '../catalog/types.js';
import type { ValueKind } from './value-kind.js';

export type { ValueKind } from './value-kind.js';

/** One concrete request path of a run, with how often and how it was answered. */
export interface PathSample {
  host: string;
  method: string;
  /** Path as on the wire (percent-encoding kept), without the query. */
  path: string;
  count: number;
  /** Status code (or 'none' when no response was seen) to request count. */
  statuses: Record<string, number>;
}

/** A parameter of a template: its name, its 0-based segment index and its values' kind. */
export interface ParamShape {
  name: string;
  position: number;
  kind: ValueKind;
}

/** A template known from an earlier run. */
export interface KnownTemplate {
  host: string;
  method: string;
  template: string;
  params: ParamShape[];
}

/** What templating may lean on besides the samples. */
export interface TemplateHints {
  /** Catalog templates per host (from src/catalog): a literal there stays literal. */
  catalog?: Catalog | null;
  /** Templates already in the database from earlier runs, per host: reused. */
  known?: KnownTemplate[];
}

/** The template of one concrete path. */
export interface TemplateResult {
  template: string;
  params: ParamShape[];
}
