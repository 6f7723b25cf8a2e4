/**
 * One message part turned into a field map with counts of one: a JSON document,
 * name/value pairs (query, form, headers) or multipart fields. Values are looked at
 * for their type and format and then dropped.
 */
import type { Limits } from '../config/limits.js';
import { integerFormat, stringFormat, type Format } from './schema-format.js';
import {
  capFields, ITEMS, MAP_VALUES, mergeStats, type FieldMap, type FieldStats, type JsonType,
} from './schema-model.js';
import { pointerSegment } from './schema-keys.js';
import { isMapKey } from '../pii/location.js';
import type { FormPart } from './schema-body.js';

type Caps = Pick<Limits, 'maxSchemaFields' | 'maxSchemaDepth' | 'maxSchemaArrayItems'>;

class Builder {
  readonly fields = new Map<string, FieldStats>();

  add(path: string, type: JsonType, format: Format | null): void {
    const one: FieldStats = { n: 1, t: { [type]: 1 } };
    if (format !== null) one.f = { [format]: 1 };
    this.fields.set(path, mergeStats(this.fields.get(path), one));
  }

  done(cap: number): FieldMap {
    return capFields(this.fields, cap, false);
  }
}

/** The field map of one JSON document. */
export function observeJson(doc: unknown, caps: Caps): FieldMap {
  const b = new Builder();
  // Explicit stack: nesting is whatever the sender made it, the depth cap is ours.
  const stack: Array<[unknown, string]> = [[doc, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    const depth = path === '' ? 0 : path.split('/').length - 1;
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
      for (let i = n - 1; i >= 0; i--) stack.push([v[i], path + '/' + ITEMS]);
    } else if (typeof v === 'object') {
      b.add(path, 'object', null);
      if (!descend) continue;
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        // Ids and personal data used as keys never become field names.
        const seg = isMapKey(k) ? MAP_VALUES : pointerSegment(k);
        stack.push([child, path + '/' + seg]);
      }
    }
  }
  return b.done(caps.maxSchemaFields);
}

/**
 * The field map of name/value pairs (a query string, a form body, headers): the
 * root counts as an object; a name given several times is an array of its values.
 * Text is typed by its look: integers, numbers and booleans as such, else string.
 */
export function observePairs(pairs: Array<[string, string]>, caps: Caps): FieldMap {
  const b = new Builder();
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
  return b.done(caps.maxSchemaFields);
}

/** The field map of a multipart/form-data body: files are strings of format binary. */
export function observeParts(parts: FormPart[], caps: Caps): FieldMap {
  const b = new Builder();
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
  return b.done(caps.maxSchemaFields);
}

/** The field map of a body that is not structured: its root type only. */
export function observeOpaque(binary: boolean): FieldMap {
  const b = new Builder();
  b.add('', 'string', binary ? 'binary' : null);
  return b.done(1);
}

function addText(b: Builder, path: string, v: string): void {
  if (v === 'true' || v === 'false') b.add(path, 'boolean', null);
  else if (/^-?(0|[1-9]\d{0,17})$/.test(v)) b.add(path, 'integer', integerFormat(Number(v)));
  else if (/^-?\d{1,15}\.\d{1,15}$/.test(v)) b.add(path, 'number', null);
  else b.add(path, 'string', stringFormat(v));
}
