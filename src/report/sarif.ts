/**
 * The report as SARIF 2.1.0 (OASIS standard), for code-scanning dashboards and CI:
 * one rule per finding kind, one result per endpoint with a finding, its level from
 * the endpoint's risk. Results carry names, templates, counts and kinds only; a
 * reviewer's decision becomes a suppression (SARIF 2.1.0 section 3.35), so triaged
 * findings stay visible but no longer count as open.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative } from 'node:path';
import type { Report, ReportEndpoint } from './model.js';
import {
  FINDING_KINDS, driftOf, findingKinds, riskOf, type FindingKind, type RiskView,
} from './findings.js';

type Level = 'error' | 'warning' | 'note' | 'none';
type Json = Record<string, unknown>;

const SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

interface RuleText {
  name: string;
  short: string;
  full: string;
  level: Level;
}

const RULES: Record<FindingKind, RuleText> = {
  shadow: {
    name: 'ShadowEndpoint',
    short: 'Endpoint served on a catalogued host but documented by no operation',
    full: 'Traffic shows an operation on a host the API catalog covers, and no catalog ' +
      'operation matches it. Document it, retire it, or mark it accepted.',
    level: 'warning',
  },
  zombie: {
    name: 'ZombieEndpoint',
    short: 'Operation documented as deprecated and still called',
    full: 'The catalog marks this operation deprecated, yet clients still call it.',
    level: 'warning',
  },
  'unknown-host': {
    name: 'UnknownHost',
    short: 'Endpoint on a host no catalog covers',
    full: 'No catalog file applies to this host: the whole service is undocumented.',
    level: 'note',
  },
  pii: {
    name: 'PersonalData',
    short: 'Endpoint carries personal data',
    full: 'Requests or responses of this endpoint carry personal data (kinds and ' +
      'locations listed; values are never kept).',
    level: 'warning',
  },
  drift: {
    name: 'CatalogDrift',
    short: 'Traffic departs from the documented operation',
    full: 'Parameters, fields, types, status codes or authentication seen in traffic ' +
      'differ from what the catalog documents.',
    level: 'note',
  },
};

const LEVEL_OF_RISK: Record<RiskView['level'], Level> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note',
};

function fingerprint(e: ReportEndpoint): string {
  return createHash('sha256').update(`${e.host}\0${e.method}\0${e.template}`).digest('hex')
    .slice(0, 32);
}

function describe(e: ReportEndpoint, kinds: readonly FindingKind[]): string {
  const what: Record<FindingKind, string> = {
    shadow: 'not documented by the catalog',
    zombie: 'deprecated in the catalog and still called',
    'unknown-host': 'on a host no catalog covers',
    pii: 'carries personal data (' +
      [...new Set(e.pii.map((p) => `${p.kind} at ${p.location}`))].slice(0, 5).join(', ') + ')',
    drift: `departs from its documented operation (${driftOf(e).length} difference(s))`,
  };
  const codes = Object.keys(e.statusCodes).sort().join(', ') || 'none';
  return `${e.method} ${e.host}${e.path}: ${kinds.map((k) => what[k]).join('; ')}. ` +
    `${e.requests} request(s), responses ${codes}, auth ${e.auth.join(', ')}.`;
}

function suppression(e: ReportEndpoint): Json[] | undefined {
  const t = e.triage;
  if (t === null) return undefined;
  const status = t.verdict === 'needs-owner' ? 'underReview' : 'accepted';
  const why = t.note === '' ? t.verdict : `${t.verdict}: ${t.note}`;
  return [{ kind: 'external', status, justification: why,
    properties: { verdict: t.verdict, who: t.who, at: new Date(t.at * 1000).toISOString() } }];
}

function location(e: ReportEndpoint, catalogFile: string | undefined, cwd: string): Json {
  const loc: Json = {
    logicalLocations: [{ name: e.path, fullyQualifiedName: `${e.method} ${e.host}${e.path}`,
      kind: 'resource' }],
  };
  // Code scanning services place results on a file: the spec where the endpoint
  // belongs is the closest there is.
  // LIMITATION: no line region inside the spec is given.
  if (catalogFile !== undefined) {
    const file = catalogFile.replace(/@[^/\\]*$/, '');
    const rel = isAbsolute(file) ? relative(cwd, file) : file;
    const uri = rel.startsWith('..') ? 'file://' + file : rel.split('\\').join('/');
    loc.physicalLocation = { artifactLocation: { uri } };
  }
  return loc;
}

/** The report as a SARIF 2.1.0 log (pretty-printed JSON). */
export function renderSarif(r: Report, options: { version?: string; cwd?: string } = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const rules = FINDING_KINDS.map((k) => ({
    id: k,
    name: RULES[k].name,
    shortDescription: { text: RULES[k].short },
    fullDescription: { text: RULES[k].full },
    help: { text: RULES[k].full },
    defaultConfiguration: { level: RULES[k].level },
    properties: { tags: ['security', 'api-inventory'] },
  }));
  const results: Json[] = [];
  for (const e of r.endpoints) {
    const kinds = findingKinds(e);
    if (kinds.length === 0) continue;
    const main = kinds[0]!;
    const risk = riskOf(e);
    const result: Json = {
      ruleId: main,
      ruleIndex: FINDING_KINDS.indexOf(main),
      level: risk === null ? RULES[main].level : LEVEL_OF_RISK[risk.level],
      message: { text: describe(e, kinds) },
      locations: [location(e, r.catalog[0], cwd)],
      partialFingerprints: { 'shadowtapEndpoint/v1': fingerprint(e) },
      properties: {
        host: e.host, method: e.method, path: e.path, template: e.template, status: e.status,
        kinds, requests: e.requests, auth: e.auth, new: e.new,
        piiKinds: [...new Set(e.pii.map((p) => p.kind))].sort(),
        drift: driftOf(e).map((d) => ({ kind: d.kind, in: d.in, location: d.location })),
        ...(risk === null ? {} : { risk: { score: risk.score, level: risk.level,
          reasons: risk.reasons } }),
      },
    };
    if (risk !== null) result.rank = Math.max(0, Math.min(100, risk.score));
    const sup = suppression(e);
    if (sup !== undefined) result.suppressions = sup;
    results.push(result);
  }
  const log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'shadowtap', version: options.version ?? '0.1.0', rules } },
      invocations: [{ executionSuccessful: true }],
      properties: { catalog: r.catalog, counts: r.counts, latestRun: r.run },
      results,
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
