// SARIF output and the --fail-on gate: every corpus capture's SARIF validates against
// the SARIF 2.1.0 schema (vendored from an npm package, see fixtures README), has one
// result per endpoint with a finding, and holds no planted value; --fail-on exits 3
// exactly while an untriaged finding of a named kind remains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { shadowtap } from './helpers/cli.js';
import {
  corpusCaptures, jsonReport, leaked, plantedSecrets, replayCapture, type JsonEndpoint,
} from './helpers/review.js';
import { Store } from '../src/store/db.js';

const schema = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures',
  'sarif-schema-2.1.0.json'), 'utf8')) as object;

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The schema's formats, checked as their RFCs define the shapes (ajv-formats not needed).
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
  ajv.addFormat('date-time', (s: string) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

interface SarifLog {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string }> } };
    results: Array<{ ruleId: string; level: string; suppressions?: Array<{ status: string }>;
      properties: { host: string; method: string; path: string; kinds: string[];
        status: string } }>;
  }>;
}

function hasFinding(e: JsonEndpoint): boolean {
  const was = e.triage?.was ?? e.status;
  return ['shadow', 'zombie', 'unknown-host'].includes(was) || e.pii.length > 0 ||
    (e.drift?.length ?? 0) > 0;
}

const captures = corpusCaptures();
const validate = validator();

for (const name of captures) {
  test(`${name}: SARIF validates, one result per endpoint with a finding, nothing planted`, () => {
    const { db, dir } = replayCapture(name);
    const out = join(dir, 'r.sarif');
    const r = shadowtap(['report', '--db', db, '--format', 'sarif', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(out, 'utf8');
    const log = JSON.parse(text) as SarifLog;
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    const run = log.runs[0]!;
    const ruleIds = run.tool.driver.rules.map((x) => x.id);
    assert.deepEqual(ruleIds, ['shadow', 'zombie', 'unknown-host', 'pii', 'drift']);
    const json = jsonReport(db);
    const withFinding = json.endpoints.filter(hasFinding);
    assert.equal(run.results.length, withFinding.length);
    const shadowJson = json.endpoints.filter((e) => e.status === 'shadow')
      .map((e) => `${e.method} ${e.host}${e.path}`).sort();
    const shadowSarif = run.results.filter((x) => x.ruleId === 'shadow')
      .map((x) => `${x.properties.method} ${x.properties.host}${x.properties.path}`).sort();
    assert.deepEqual(shadowSarif, shadowJson);
    assert.ok(shadowJson.length > 0, 'the partial catalog leaves shadow endpoints');
    for (const x of run.results) assert.ok(['error', 'warning', 'note'].includes(x.level));
    assert.deepEqual(leaked(text, plantedSecrets(name)), []);
  });
}

test('--fail-on exits 3 exactly while an untriaged finding of the named kinds exists', (t) => {
  const name = captures.includes('oai-petstore-expanded') ? 'oai-petstore-expanded' : captures[0];
  if (name === undefined) {
    t.skip('no corpus traffic captures in ../shared/corpus/traffic');
    return;
  }
  const { db } = replayCapture(name);
  const gate = (kinds: string) => shadowtap(['report', '--db', db, '--format', 'json',
    '--fail-on', kinds]);
  const before = jsonReport(db);
  const shadow = before.endpoints.filter((e) => e.status === 'shadow');
  assert.ok(shadow.length >= 1);
  const pii = before.endpoints.filter((e) => e.pii.length > 0);
  assert.equal(gate('shadow').status, 3);
  assert.equal(gate('pii').status, pii.length > 0 ? 3 : 0);
  const zombies = before.endpoints.some((e) => e.status === 'zombie');
  assert.equal(gate('zombie').status, zombies ? 3 : 0);
  assert.equal(gate('shadow,bogus').status, 2, 'an unknown kind is a usage error');

  const decide = (e: JsonEndpoint, verdict: 'accepted' | 'false-positive') => {
    const store = Store.open(db);
    store.setTriage({ host: e.host, method: e.method, template: e.template, verdict,
      note: 'test', who: 'tester', at: 1 });
    store.close();
  };
  for (const e of shadow.slice(0, -1)) decide(e, 'accepted');
  assert.equal(gate('shadow').status, 3, 'one shadow endpoint is still untriaged');
  decide(shadow.at(-1)!, 'false-positive');
  const last = gate('shadow');
  assert.equal(last.status, 0, last.stderr);
  const after = JSON.parse(last.stdout) as { endpoints: JsonEndpoint[]; counts: Record<string,
    number> };
  assert.equal(after.counts.shadow, 0);
  assert.equal(after.counts.accepted, shadow.length - 1);
  assert.equal(after.counts['false-positive'], 1);
  for (const e of after.endpoints.filter((x) => x.triage !== null)) {
    assert.equal(e.triage!.was, 'shadow');
  }
  // Shadow endpoints carrying personal data are triaged now too; the gate on pii
  // follows the endpoints still open.
  const openPii = after.endpoints.filter((e) => e.pii.length > 0 && e.triage === null);
  assert.equal(gate('pii').status, openPii.length > 0 ? 3 : 0);
  const sarif = JSON.parse(shadowtap(['report', '--db', db, '--format', 'sarif']).stdout) as
    SarifLog;
  const triaged = sarif.runs[0]!.results.filter((x) => x.suppressions !== undefined);
  assert.equal(triaged.length, shadow.length);
  assert.ok(triaged.every((x) => ['accepted', 'false-positive'].includes(x.properties.status)));
  const md = shadowtap(['report', '--db', db, '--format', 'md']).stdout;
  assert.match(md, /## false-positive \(1\)/);
  if (shadow.length > 1) assert.match(md, new RegExp(`## accepted \\(${shadow.length - 1}\\)`));
});
