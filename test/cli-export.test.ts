// `shadowtap export openapi` end to end, and drift in the JSON report, on every corpus
// traffic capture and the bundled sample: the export validates with a real OpenAPI
// validator, holds no planted value or credential, and given back as the catalog for
// the same capture leaves no shadow and no unknown-host endpoint. With a capture's full
// spec as the catalog, every planted field the spec does not define shows as drift
// carrying its kind of personal data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { loadCatalog } from '../src/catalog/load.js';
import { documentedStatus } from '../src/catalog/drift.js';
import { shadowtap, tempDir } from './helpers/cli.js';
import { TRAFFIC, captures } from './helpers/infer-template-corpus.js';

interface Drift {
  kind: string;
  in: string;
  location: string;
  detail: string;
  pii?: string[];
}

interface JsonReport {
  endpoints: Array<{
    host: string; method: string; path: string; status: string; auth: string[];
    pii: Array<{ kind: string; in: string; location: string }>;
    drift: Drift[];
    risk: { score: number; level: string; reasons: string[] };
  }>;
}

interface Planted {
  location: string;
  kind: string;
  value: string;
  undocumentedField?: boolean;
  embedded?: boolean;
}

interface Truth {
  requests: Array<{
    host: string; method: string; wireTemplate: string | null; kind: string; status: number;
    auth: { value?: string } | null; planted_pii?: Planted[];
    response_pii?: Array<{ value: string }>;
  }>;
}

function run(args: string[]): string {
  const res = shadowtap(args);
  assert.equal(res.status, 0, `shadowtap ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
}

function replayJson(capture: string, db: string, catalog: string[] = []): JsonReport {
  const cat = catalog.flatMap((c) => ['--catalog', c]);
  return JSON.parse(run(['replay', capture, ...cat, '--db', db, '--format', 'json',
    '--workers', '0'])) as JsonReport;
}

/** Exports the database, validates the document, and returns it with its file. */
async function exportValid(db: string, out: string): Promise<Record<string, unknown>> {
  run(['export', 'openapi', '--db', db, '--out', out]);
  const text = readFileSync(out, 'utf8');
  const doc = JSON.parse(text) as Record<string, unknown>;
  // The validator dereferences in place: give it a copy.
  await SwaggerParser.validate(structuredClone(doc) as never);
  assert.equal(doc.openapi, '3.1.0');
  return doc;
}

/** Secrets and planted personal data a capture's truth lists: none may be exported. */
function forbidden(truth: Truth): string[] {
  const out = new Set<string>();
  for (const r of truth.requests) {
    if (r.auth?.value) out.add(r.auth.value);
    for (const p of r.planted_pii ?? []) out.add(p.value);
    for (const p of r.response_pii ?? []) out.add(p.value);
  }
  // Short values (a 4-digit code) could match a count by chance; they are checked elsewhere.
  return [...out].filter((v) => v.length >= 8);
}

const flagged = (r: JsonReport) => r.endpoints
  .filter((e) => e.status === 'shadow' || e.status === 'unknown-host')
  .map((e) => `${e.status} ${e.host} ${e.method} ${e.path}`);

test('every corpus capture: export validates, holds no value, and as the catalog leaves ' +
  'no shadow', async (t) => {
  const all = captures();
  if (all.length === 0) return t.skip('corpus not found at ../shared/corpus/traffic');
  for (const cap of all) {
    const dir = tempDir('shadowtap-export-');
    const pcap = join(cap.dir, 'capture.pcap');
    const first = replayJson(pcap, join(dir, 'a.db'));
    assert.ok(flagged(first).length > 0, `${cap.name}: without a catalog hosts are unknown`);
    const file = join(dir, 'observed.json');
    const doc = await exportValid(join(dir, 'a.db'), file);
    const text = readFileSync(file, 'utf8');
    const truth = JSON.parse(readFileSync(join(cap.dir, 'truth.json'), 'utf8')) as Truth;
    for (const v of forbidden(truth)) assert.ok(!text.includes(v), `${cap.name}: exported ${v}`);
    assert.ok(!/"(example|examples|enum|default)"\s*:/.test(text), `${cap.name}: values`);
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
    const ops = Object.values(paths).flatMap((item) => Object.entries(item)
      .filter(([k]) => k !== 'servers').map(([, op]) => op));
    assert.ok(ops.every((op) => op['x-shadowtap-status'] === 'unknown-host'), cap.name);
    assert.ok(ops.some((op) => Array.isArray(op['x-shadowtap-pii'])), `${cap.name}: pii`);
    // The same database gives the same document.
    run(['export', 'openapi', '--db', join(dir, 'a.db'), '--out', join(dir, 'again.json')]);
    assert.equal(readFileSync(join(dir, 'again.json'), 'utf8'), text, cap.name);
    const second = replayJson(pcap, join(dir, 'b.db'), [file]);
    assert.deepEqual(flagged(second), [], cap.name);
    const statuses = new Set(second.endpoints.map((e) => e.status));
    assert.deepEqual([...statuses].filter((s) => s !== 'documented' && s !== 'not-found'), [],
      cap.name);
    // Everything the traffic showed is documented by its own export: no drift but statuses
    // no second replay can differ on.
    for (const e of second.endpoints) {
      const kinds = e.drift.map((d) => d.kind).filter((k) => k !== 'undocumented-status');
      assert.deepEqual(kinds, [], `${cap.name} ${e.method} ${e.path}`);
    }
  }
});

test('the bundled sample: export validates and as the catalog leaves no shadow', async () => {
  const dir = tempDir('shadowtap-export-');
  replayJson('samples/petstore.pcap', join(dir, 'a.db'));
  const file = join(dir, 'observed.json');
  const doc = await exportValid(join(dir, 'a.db'), file);
  const schemes = (doc.components as { securitySchemes: Record<string, unknown> })
    .securitySchemes;
  assert.deepEqual(schemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const again = replayJson('samples/petstore.pcap', join(dir, 'b.db'), [file]);
  assert.deepEqual(flagged(again), []);
  // Against its own catalog the sample keeps its shadow endpoints, and the export says so.
  replayJson('samples/petstore.pcap', join(dir, 'c.db'), ['samples/petstore.openapi.yaml']);
  const withCatalog = await exportValid(join(dir, 'c.db'), join(dir, 'c.json'));
  const paths = withCatalog.paths as Record<string, Record<string, Record<string, unknown>>>;
  assert.equal(paths['/api/v1/admin/export']?.get?.['x-shadowtap-status'], 'shadow');
  assert.equal(paths['/api/v1/pets/{petId}/legacy-photo']?.get?.['x-shadowtap-status'],
    'zombie');
});

/** truth.json writes array items by index; reports write `*`. */
const starred = (location: string): string => location.replace(/\/\d+(?=\/|$)/g, '/*');

test('with the full spec as the catalog, planted undocumented fields are drift carrying ' +
  'their personal data', async (t) => {
  const all = captures();
  if (all.length === 0) return t.skip('corpus not found at ../shared/corpus/traffic');
  let checked = 0;
  for (const cap of all) {
    const spec = readdirSync(cap.dir).find((f) => f.startsWith('spec.'));
    assert.ok(spec, cap.name);
    const specFile = join(TRAFFIC, cap.name, spec);
    const dir = tempDir('shadowtap-drift-');
    const report = replayJson(join(cap.dir, 'capture.pcap'), join(dir, 'st.db'), [specFile]);
    const truth = JSON.parse(readFileSync(join(cap.dir, 'truth.json'), 'utf8')) as Truth;
    const byKey = new Map(report.endpoints.map((e) => [`${e.host} ${e.method} ${e.path}`, e]));
    const ops = (await loadCatalog([specFile])).operations;
    for (const r of truth.requests) {
      if (r.kind !== 'api' || r.wireTemplate === null) continue;
      const e = byKey.get(`${r.host} ${r.method} ${r.wireTemplate}`);
      assert.ok(e, `${cap.name}: ${r.method} ${r.wireTemplate} not in the report`);
      assert.ok(e.status === 'documented' || e.status === 'zombie', `${cap.name} ${e.path}`);
      for (const p of r.planted_pii ?? []) {
        const loc = starred(p.location);
        const hit: Drift | undefined =
          e.drift.find((d) => d.in === 'request' && d.location === loc);
        if (p.undocumentedField === true) {
          const kind = loc.startsWith('query:') ? 'undocumented-param' : 'undocumented-field';
          assert.ok(hit, `${cap.name} ${r.method} ${r.wireTemplate}: no drift at ${loc}`);
          assert.equal(hit.kind, kind, `${cap.name} ${loc}`);
          assert.ok(hit.pii?.includes(p.kind), `${cap.name} ${loc}: ${hit.pii} lacks ${p.kind}`);
          assert.equal(e.risk.level, 'critical', `${cap.name} ${r.method} ${r.wireTemplate}`);
          checked++;
        } else {
          // A field the spec defines is never reported as undocumented.
          assert.ok(hit === undefined || hit.kind === 'type-mismatch',
            `${cap.name} ${r.method} ${r.wireTemplate}: ${loc} is documented`);
        }
      }
      // A status the spec documents (exactly, by range or default) is never drift.
      const code = String(r.status);
      const drifted = e.drift.some((d) => d.location === `status:${code}`);
      const documented = ops.filter((o) => o.method === r.method)
        .some((o) => e.path.endsWith(o.template) &&
          documentedStatus(code, Object.keys(o.responses ?? {})) !== null);
      if (documented) assert.ok(!drifted, `${cap.name} ${r.method} ${e.path} ${code}`);
    }
  }
  // The corpus plants undocumented fields in every capture (120 sightings in all).
  assert.ok(checked > 0, 'no planted undocumented field was checked');
});

test('museum with its full spec: the drift a reader of truth.json expects', async (t) => {
  const cap = captures().find((c) => c.name === 'museum');
  if (cap === undefined) return t.skip('corpus capture museum not found');
  const dir = tempDir('shadowtap-drift-');
  const report = replayJson(join(cap.dir, 'capture.pcap'), join(dir, 'st.db'),
    [join(cap.dir, 'spec.yaml')]);
  const at = (method: string, path: string) => {
    const e = report.endpoints.find((x) => x.method === method && x.path === path);
    assert.ok(e, `${method} ${path}`);
    return e;
  };
  const brief = (e: JsonReport['endpoints'][number]) =>
    e.drift.map((d) => `${d.kind} ${d.location}${d.pii ? ' ' + d.pii.join(',') : ''}`);
  // truth.json plants card, contact email and phone, IBAN and SSN in POST /tickets bodies,
  // none of which BuyMuseumTickets defines; the spec's root security is HTTP basic, and 49
  // requests of this capture carry no credentials.
  const tickets = brief(at('POST', '/tickets'));
  for (const want of ['undocumented-field body:/card_number credit_card',
    'undocumented-field body:/contact_email email', 'undocumented-field body:/iban iban',
    'undocumented-field body:/ssn ssn', 'missing-auth security']) {
    assert.ok(tickets.includes(want), `${want} not in ${tickets.join('; ')}`);
  }
  // The QR code operation documents 200, 400 and 404; Prism answered 406 to `*/*` clients.
  assert.ok(brief(at('GET', '/tickets/{ticketId}/qr')).includes(
    'undocumented-status status:406'));
  // eventDescription is a documented field: PII embedded in it is not drift.
  assert.ok(!brief(at('POST', '/special-events')).some((d) => d.includes('eventDescription')));
  // The JSON lists endpoints by risk: critical first, scanner noise last.
  const scores = report.endpoints.map((e) => e.risk.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  assert.equal(report.endpoints[0]!.risk.level, 'critical');
  assert.equal(report.endpoints.at(-1)!.status, 'not-found');
});
