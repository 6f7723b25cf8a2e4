/**
 * Names for inferred path parameters: the collection segment before the parameter,
 * singularised, plus `Id` (`/users/{userId}`), else `{id}`; unique in a template.
 */
import { isVersion } from './value-kind.js';

const IRREGULAR: Readonly<Record<string, string>> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  data: 'data',
  media: 'media',
  series: 'series',
  indices: 'index',
};

/** English plural to singular for the usual resource-name endings. */
export function singular(word: string): string {
  const lower = word.toLowerCase();
  const irregular = IRREGULAR[lower];
  if (irregular !== undefined) return irregular;
  if (lower.length > 4 && lower.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (/(?:ss|x|ch|sh|zz)es$/.test(lower)) return word.slice(0, -2);
  if (lower.length > 2 && lower.endsWith('s') && !/(?:ss|us|is)$/.test(lower)) {
    return word.slice(0, -1);
  }
  return word;
}

/** Words of a segment: split at separators and at lower-to-upper case changes. */
function words(segment: string): string[] {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
}

// Segments that name the API rather than a collection, so they give no good name.
const NOT_A_NOUN: ReadonlySet<string> = new Set(['api', 'apis', 'rest', 'internal', 'public']);

/** `special-events` → `specialEventId`; null when the segment gives no usable name. */
export function nameFromLiteral(segment: string): string | null {
  if (isVersion(segment) || NOT_A_NOUN.has(segment.toLowerCase())) return null;
  const parts = words(segment);
  if (parts.length === 0 || /^\d/.test(parts[0]!)) return null;
  parts[parts.length - 1] = singular(parts[parts.length - 1]!);
  const camel = parts
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
  return camel + 'Id';
}

/**
 * Name for a parameter after `prefix` (template segments so far): from the nearest
 * literal before it, stepping back over version segments (`/books/v1/{bookId}`), but
 * not over another parameter; `id` otherwise. `used` keeps names unique.
 */
export function paramName(prefix: readonly string[], used: ReadonlySet<string>): string {
  let base = 'id';
  for (let i = prefix.length - 1; i >= 0; i--) {
    const seg = prefix[i]!;
    if (seg.startsWith('{')) break;
    if (isVersion(seg)) continue;
    base = nameFromLiteral(seg) ?? 'id';
    break;
  }
  return uniqueName(base, used);
}

/** `base`, or `base2`, `base3`... whichever is not in `used` yet. */
export function uniqueName(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    if (!used.has(base + n)) return base + n;
  }
}
