// The traffic corpus, fed as ClientEvents built from truth.json (the pipeline does
// not exist yet): the fast id-enumerating scraper (c7) is alerted in every capture
// where it enumerates ids, and ordinary clients get no alert beyond one for a
// scanner probe they sent. Identities go through principalOf with the real fake
// credentials, so JWT subjects, API keys and Basic users are exercised too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../src/config/limits.js';
import { analyseEvents } from '../src/abuse/analyse.js';
import { detectProbes } from '../src/abuse/detectors.js';
import { exampleLine, type ClientEvent } from '../src/abuse/events.js';
import { loginOutcome, principalOf } from '../src/abuse/identity.js';
import { testTokenize } from './helpers/abuse-events.js';
import { CORPUS } from './source-helpers.js';
import { assertCorpusAlerts, paramsOf } from './helpers/abuse-corpus.js';

const ROOT = join(CORPUS, 'traffic');

interface TruthRequest {
  t_ms: number;
  client: string;
  kind: 'api' | 'shadow' | 'probe';
  src: { ip: string };
  host: string;
  method: string;
  concretePath: string;
  queryString: string;
  wireTemplate: string | null;
  status: number | null;
  responseBytes: number;
  auth: { in: string; name: string; value: string } | null;
}

interface Truth {
  clients: Array<{ id: string; ip: string; userAgent: string }>;
  requests: TruthRequest[];
}

function eventsOf(truth: Truth): ClientEvent[] {
  const agents = new Map(truth.clients.map((c) => [c.id, c.userAgent]));
  return truth.requests.map((r) => {
    const headers: Array<[string, string]> = [];
    if (r.auth?.in === 'header') headers.push([r.auth.name.toLowerCase(), r.auth.value]);
    if (r.auth?.in === 'cookie') headers.push(['cookie', `${r.auth.name}=${r.auth.value}`]);
    const template = r.wireTemplate ?? r.concretePath;
    return {
      ts: 1_700_000_000 + r.t_ms / 1000,
      clientAddress: r.src.ip,
      principal: principalOf(headers, testTokenize),
      host: r.host,
      method: r.method,
      template,
      params: r.wireTemplate ? paramsOf(r.wireTemplate, r.concretePath) : {},
      status: r.status,
      responseBytes: r.responseBytes,
      userAgent: agents.get(r.client) ?? '',
      shadow: r.kind === 'shadow',
      loginAttempt: loginOutcome(r.method, r.concretePath, r.status),
      probes: detectProbes({ path: r.concretePath, query: r.queryString ?? '', body: '' },
        DEFAULT_LIMITS),
      example: exampleLine(r.method, template),
    };
  }).sort((a, b) => a.ts - b.ts);
}

const captures = existsSync(ROOT) ? ['museum', 'oai-petstore-expanded', 'oai-uber-v2', 'vampi']
  .filter((c) => existsSync(join(ROOT, c, 'truth.json'))) : [];

test('corpus: c7 is alerted where it enumerates; ordinary clients at most once per probe', (t) => {
  if (captures.length === 0) {
    t.skip('../shared/corpus/traffic is not here');
    return;
  }
  let enumerating = 0;
  for (const capture of captures) {
    const truth = JSON.parse(readFileSync(join(ROOT, capture, 'truth.json'), 'utf8')) as Truth;
    const { alerts } = analyseEvents(eventsOf(truth), { limits: DEFAULT_LIMITS });
    if (assertCorpusAlerts(capture, truth, alerts)) enumerating++;
    // No alert carries a credential the corpus sent.
    const text = JSON.stringify(alerts);
    for (const r of truth.requests) {
      if (r.auth) assert.ok(!text.includes(r.auth.value.split(' ').pop() ?? ''), capture);
    }
  }
  assert.ok(enumerating >= 1, 'no capture where c7 enumerates ids');
});
