/**
 * Turns the text of a spec file into a plain object, or a one-line catalog-invalid
 * error naming the file and the line. JSON files are read as strict JSON (a YAML
 * reading of broken JSON can "succeed" with nulls); everything else as YAML 1.2.
 */
import { parseDocument } from 'yaml';
import { ShadowtapError } from '../errors.js';

function firstLine(msg: string): string {
  return (msg.split('\n')[0] ?? '').trim();
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Where JSON.parse fails: the offset it names, or -1 when the input just ended early. */
function failureOffset(text: string): number | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const msg = (e as Error).message;
    const m = /at position (\d+)/.exec(msg);
    if (m !== null && Number(m[1]) < text.length) return Number(m[1]);
    return /end of JSON input/.test(msg) || m !== null ? -1 : -2;
  }
}

/**
 * Offset of the first character that makes JSON text invalid. Node's messages do
 * not always give it, so search for the shortest failing prefix whose failure is
 * not just "ended early": every shorter prefix is a valid beginning.
 */
function jsonErrorOffset(text: string): number {
  const direct = failureOffset(text);
  if (direct !== null && direct >= 0) return direct;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const at = failureOffset(text.slice(0, mid + 1));
    if (at === null || at === -1) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, text.length);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const line = lineAt(text, jsonErrorOffset(text));
    // The line says where; V8's echo of the text and its offset only add noise.
    const why = (e as Error).message
      .replace(/, (?:\.\.\.)?"[\s\S]*$/, '')
      .replace(/ in JSON at position \d+.*$/s, '');
    const where = `${file}:${line}`;
    throw new ShadowtapError('catalog-invalid', `${where}: not valid JSON: ${firstLine(why)}`);
  }
}

function parseYaml(file: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  const err = doc.errors[0];
  if (err !== undefined) {
    const line = err.linePos?.[0]?.line;
    const where = line === undefined ? file : `${file}:${line}`;
    const why = firstLine(err.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new ShadowtapError('catalog-invalid', `${where}: not valid YAML: ${why}`);
  }
  try {
    // The alias cap stops "billion laughs" documents from expanding without end.
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ShadowtapError('catalog-invalid', `${file}: ${firstLine((e as Error).message)}`);
  }
}

/** Parses spec text by its file name: `.json` as JSON, anything else as YAML. */
export function parseSpecText(file: string, text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return /\.json$/i.test(file) ? parseJson(file, body) : parseYaml(file, body);
}
