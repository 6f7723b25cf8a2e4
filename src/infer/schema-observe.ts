/**
 * One message part turned into a field map with counts of one: a JSON document,
 * name/value pairs (query, form, headers) or multipart fields. Values are looked at
 * for their type and format and then dropped.
 */
import type { Limits } from '../config/limits.js';
import { integerFormat, stringFormat } from './schema-format.js';
import { FieldMapBuilder, ITEMS, MAP_VALUES, type FieldMap } from './schema-model.js';
import { pointerSegment } from './schema-keys.js';
import { isMapKey } from '../pii/location.js';
import type { FormPart } from './schema-body.js';

type Caps = Pick<Limits, 'maxSchemaFields' | 'maxSchemaDepth' | 'maxSchemaArrayItems'>;

/** The field map of one JSON document. */
export function observeJson(doc: unknown, caps: Caps): FieldMap {
  const b = new FieldMapBuilder(caps.maxSchemaFields);
  observeJsonInto(b, doc, caps);
  return b.done();
}

/** Adds one JSON document to `b`. */
export function observeJsonInto(b: FieldMapBuilder, doc: unknown, caps: Caps): void {
  // Explicit stacks: nesting is whatever the sender made it, the depth cap is ours.
  const values: unknown[] = [doc];
  const paths: string[] = [''];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const path = paths.pop()!;
    const depth = depths.pop()!;
    const descend = depth < caps.maxSchemaDepth;
    if (v === null) b.add(path, 'null', null);
    else if (typeof v === 'boolean') b.add(path, 'boolean', null);
    else if (typeof v === 'number') {
      if (Number.isInteger(v)) b.add(path, 'integer', integerFormat(v));
      else b.add(path, 'number', null);
    } else if (typeof v === 'string') b.add(path, 'string', stringFormat(v));
    else if (Array.isArray(v)) {
      b.add(path, 'array', null);
      if (!descend) continue;
      // LIMITATION: only the first maxSchemaArrayItems items of an array are sampled.
      const n = Math.min(v.length, caps.maxSchemaArrayItems);
      const item = path + '/' + ITEMS;
      for (let i = n - 1; i >= 0; i--) {
        values.push(v[i]);
        paths.push(item);
        depths.push(depth + 1);
      }
    } else if (typeof v === 'object') {
      b.add(path, 'object', null);
      if (!descend) continue;
      const o = v as Record<string, unknown>;
      for (const k in o) {
        // Ids and personal data used as keys never become field names.
        const seg = isMapKey(k) ? MAP_VALUES : pointerSegment(k);
        values.push(o[k]);
        paths.push(path + '/' + seg);
        depths.push(depth + 1);
      }
    }
  }
}

/**
 * The field map of name/value pairs (a query string, a form body, headers): the
 * root counts as an object; a name given several times is an array of its values.
 * Text is typed by its look: integers, numbers and booleans as such, else string.
 */
export function observePairs(pairs: Array<[string, string]>, caps: Caps): FieldMap {
  const b = new FieldMapBuilder(caps.maxSchemaFields);
  observePairsInto(b, pairs, caps);
  return b.done();
}

/** Adds one set of name/value pairs to `b`. */
export function observePairsInto(
  b: FieldMapBuilder, pairs: ReadonlyArray<readonly [string, string]>, caps: Caps,
): void {
  b.add('', 'object', null);
  const byName = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const list = byName.get(name);
    if (list === undefined) byName.set(name, [value]);
    else list.push(value);
  }
  for (const [name, values] of byName) {
    const path = '/' + (isMapKey(name) ? MAP_VALUES : pointerSegment(name));
    if (values.length === 1) {
      addText(b, path, values[0]!);
      continue;
    }
    b.add(path, 'array', null);
    for (const v of values.slice(0, caps.maxSchemaArrayItems)) addText(b, path + '/' + ITEMS, v);
  }
}

/** The field map of a multipart/form-data body: files are strings of format binary. */
export function observeParts(parts: FormPart[], caps: Caps): FieldMap {
  const b = new FieldMapBuilder(caps.maxSchemaFields);
  observePartsInto(b, parts);
  return b.done();
}

/** Adds one multipart/form-data body to `b`. */
export function observePartsInto(b: FieldMapBuilder, parts: FormPart[]): void {
  b.add('', 'object', null);
  const seen = new Set<string>();
  for (const p of parts) {
    const path = '/' + (isMapKey(p.name) ? MAP_VALUES : pointerSegment(p.name));
    // A repeated part name (several files under "attachments") counts once per message.
    if (seen.has(path)) continue;
    seen.add(path);
    if (p.value === null) b.add(path, 'string', 'binary');
    else addText(b, path, p.value);
  }
}

/** The field map of a body that is not structured: its root type only. */
export function observeOpaque(binary: boolean): FieldMap {
  const b = new FieldMapBuilder(1);
  b.add('', 'string', binary ? 'binary' : null);
  return b.done();
}

function addText(b: FieldMapBuilder, path: string, v: string): void {
  if (v === 'true' || v === 'false') b.add(path, 'boolean', null);
  else if (/^-?(0|[1-9]\d{0,17})$/.test(v)) b.add(path, 'integer', integerFormat(Number(v)));
  else if (/^-?\d{1,15}\.\d{1,15}$/.test(v)) b.add(path, 'number', null);
  else b.add(path, 'string', stringFormat(v));
}
