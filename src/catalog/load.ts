/**
 * Loads `--catalog` entries: spec files (OpenAPI 3.0/3.1, Swagger 2.0; JSON or YAML),
 * folders of them, and `FILE@HOST[,HOST]` to bind a spec to hosts explicitly.
 * @apidevtools/swagger-parser dereferences and validates; it stays behind this module.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import { ShadowtapError } from '../errors.js';
import { log } from '../log.js';
import { extractOperations } from './extract.js';
import { parseSpecText } from './read-spec.js';
import { normaliseHost } from './servers.js';
import type { Catalog } from './types.js';

type Obj = Record<string, unknown>;

const SPEC_FILE = /\.(?:json|ya?ml)$/i;

// Only files are resolved: a `$ref` to a URL must not make a passive sensor fetch it.
const PARSER_OPTIONS = {
  resolve: { http: false },
  dereference: { circular: 'ignore' },
} as unknown as SwaggerParser.Options;

function oneLine(msg: string, max = 240): string {
  const flat = msg.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 3) + '...' : flat;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Splits `FILE@HOST[,HOST]`; an entry naming an existing path is a path, '@' and all. */
async function parseEntry(entry: string): Promise<{ path: string; hosts: string[] }> {
  const at = entry.lastIndexOf('@');
  if (at <= 0 || (await exists(entry))) return { path: entry, hosts: [] };
  const tail = entry.slice(at + 1);
  if (tail.includes('/') || tail.includes('\\')) return { path: entry, hosts: [] };
  const hosts = tail.split(',').map(normaliseHost).filter((h) => h !== '');
  if (hosts.length === 0) {
    throw new ShadowtapError('usage', `--catalog ${entry}: name at least one host after '@'`);
  }
  return { path: entry.slice(0, at), hosts: [...new Set(hosts)] };
}

/**
 * YAML 1.2 reads `version: 1.0` as a number, which the parser rejects outright; the
 * value is only a label, so it is read as the text it stands for.
 */
function fixNumericVersions(doc: Obj, file: string): void {
  const info = doc.info;
  if (info !== null && typeof info === 'object' && typeof (info as Obj).version === 'number') {
    (info as Obj).version = String((info as Obj).version);
  }
  if (typeof doc.swagger === 'number' && doc.swagger === 2) doc.swagger = '2.0';
  if (typeof doc.openapi === 'number') {
    doc.openapi = doc.openapi === 3 ? '3.0.0' : `${doc.openapi}.0`;
    log.warn(`${file}: "openapi" is a number; read as "${doc.openapi}"`);
  }
}

/**
 * The parser knows 3.0.0-3.0.4 and 3.1.0-3.1.2; a later patch or minor release is
 * read as the closest one it knows: they add to, not change, how paths are written.
 */
function parserVersion(doc: Obj, file: string): void {
  const v = doc.openapi;
  if (typeof v !== 'string') return;
  if (/^3\.0\.[0-4]$/.test(v) || /^3\.1\.[0-2]$/.test(v)) return;
  const as = v.startsWith('3.0') ? '3.0.3' : /^3\.\d/.test(v) ? '3.1.0' : null;
  if (as === null) {
    throw new ShadowtapError('catalog-invalid', `${file}: unsupported OpenAPI version ${v}`);
  }
  // LIMITATION: features of a newer minor release (3.2 `query` operations) are not read.
  log.warn(`${file}: OpenAPI ${v} read as ${as}`);
  doc.openapi = as;
}

async function dereference(file: string, doc: Obj): Promise<Obj> {
  const abs = resolve(file);
  try {
    const copy = structuredClone(doc) as never;
    return (await SwaggerParser.validate(abs, copy, PARSER_OPTIONS)) as Obj;
  } catch (e) {
    const paths = doc.paths;
    const hasPaths = paths !== null && typeof paths === 'object' && Object.keys(paths).length > 0;
    let deref: Obj;
    try {
      deref = (await SwaggerParser.dereference(abs, structuredClone(doc) as never, {
        ...PARSER_OPTIONS,
        validate: { schema: false, spec: false },
      } as SwaggerParser.Options)) as Obj;
    } catch (inner) {
      throw new ShadowtapError('catalog-invalid', `${file}: ${oneLine((inner as Error).message)}`);
    }
    if (!hasPaths) {
      throw new ShadowtapError('catalog-invalid', `${file}: ${oneLine((e as Error).message)}`);
    }
    log.warn(`${file}: does not validate, read anyway: ${oneLine((e as Error).message)}`);
    return deref;
  }
}

/**
 * One spec file's operations; null for a file in a folder that is not a spec (such
 * files are usually pieces that specs `$ref`).
 */
async function loadSpecFile(
  file: string,
  boundHosts: string[],
  inFolder: boolean,
  limits: Limits,
): Promise<Catalog['operations'] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ShadowtapError('file-unreadable', `${file}: ${oneLine((e as Error).message)}`);
  }
  const parsed = parseSpecText(file, text);
  const doc = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Obj)
    : null;
  if (doc === null || (doc.openapi === undefined && doc.swagger === undefined)) {
    if (inFolder) {
      log.warn(`${file}: skipped, not an OpenAPI or Swagger document`);
      return null;
    }
    throw new ShadowtapError(
      'catalog-invalid',
      `${file}: not an OpenAPI or Swagger document (no "openapi" or "swagger" field)`,
    );
  }
  fixNumericVersions(doc, file);
  parserVersion(doc, file);
  const deref = await dereference(file, doc);
  return extractOperations(deref, {
    specFile: file,
    boundHosts,
    maxServerExpansions: limits.catalogMaxServerExpansions,
    schemaLimits: {
      maxDepth: limits.catalogMaxSchemaDepth,
      maxNodes: limits.catalogMaxSchemaNodes,
    },
  });
}

/** Loads every entry (file, folder, or `FILE@HOST[,HOST]`) into one catalog. */
export async function loadCatalog(
  entries: string[],
  limits: Limits = DEFAULT_LIMITS,
): Promise<Catalog> {
  const catalog: Catalog = { operations: [], files: [] };
  for (const entry of entries) {
    const { path, hosts } = await parseEntry(entry);
    const info = await stat(path).catch(() => null);
    if (info === null) {
      throw new ShadowtapError('file-not-found', `${path}: no such catalog file or folder`);
    }
    let files: Array<{ file: string; inFolder: boolean }>;
    if (info.isDirectory()) {
      const names = (await readdir(path, { withFileTypes: true }))
        .filter((d) => d.isFile() && SPEC_FILE.test(d.name))
        .map((d) => d.name)
        .sort();
      if (names.length === 0) log.warn(`${path}: no *.json, *.yaml or *.yml file in this folder`);
      files = names.map((n) => ({ file: join(path, n), inFolder: true }));
    } else {
      files = [{ file: path, inFolder: false }];
    }
    for (const { file, inFolder } of files) {
      const ops = await loadSpecFile(file, hosts, inFolder, limits);
      if (ops === null) continue;
      catalog.files.push(file);
      catalog.operations.push(...ops);
    }
  }
  return catalog;
}
