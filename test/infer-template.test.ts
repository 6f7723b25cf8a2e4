// Path templating: the corpus ground truth, each rule on small made-up traffic, the
// failure modes PEERS.md lists for other tools, and independence from sample order.
import { mulberry32 } from '../src/abuse/random.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferTemplates, type PathSample, type TemplateHints } from '../src/infer/template.js';
import { segmentShape } from '../src/infer/value-kind.js';
import { nameFromLiteral, singular } from '../src/infer/naming.js';
import type { Catalog, CatalogOperation } from '../src/catalog/types.js';
import { captures, only404, samplesOf, unnamed } from './helpers/infer-template-corpus.js';

const HOST = 'api.example.test';

/** A small deterministic generator (mulberry32) so that shuffles and names repeat. */
const rng = mulberry32;

function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  const r = rng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function s(path: string, count = 1, method = 'GET', status = 200, host = HOST): PathSample {
  return { host, method, path, count, statuses: { [String(status)]: count } };
}

/** Template of each sample, as `METHOD path -> template`, for one-line assertions. */
type Lookup = (path: string, method?: string, host?: string) => string;

function templateOf(samples: PathSample[], hints: TemplateHints = {}): Lookup {
  const out = inferTemplates(samples, hints);
  return (path, method = 'GET', host = HOST) => {
    const t = out.get(host + '\0' + method + '\0' + path);
    assert.ok(t, `no template for ${method} ${path}`);
    return t.template;
  };
}

const FIRST = ['ann', 'bob', 'carla', 'dmitri', 'eve', 'femi', 'gus', 'hana', 'ivan', 'jo'];
const LAST = ['smith', 'okafor', 'tanaka', 'novak', 'silva', 'berg'];

/** Usernames as sign-up forms make them: `ann.smith`, `bob_okafor42`, `carla7`. */
function usernames(n: number, seed: number): string[] {
  const r = rng(seed);
  const out = new Set<string>();
  while (out.size < n) {
    const f = FIRST[Math.floor(r() * FIRST.length)]!;
    const l = LAST[Math.floor(r() * LAST.length)]!;
    const shape = Math.floor(r() * 3);
    const num = Math.floor(r() * 99);
    out.add(shape === 0 ? `${f}.${l}` : shape === 1 ? `${f}_${l}${num}` : `${f}${num}`);
  }
  return [...out].sort();
}

test('every corpus capture: templates equal the ground truth up to parameter names', (t) => {
  const all = captures();
  if (all.length === 0) return t.skip('corpus not found at ../shared/corpus/traffic');
  for (const cap of all) {
    const samples = samplesOf(cap.requests);
    const out = inferTemplates(samples, {});
    const statuses = new Map<string, Record<string, number>>();
    for (const smp of samples) {
      const got = out.get(smp.host + '\0' + smp.method + '\0' + smp.path)!;
      const key = `${smp.host} ${smp.method} ${unnamed(got.template)}`;
      const st = statuses.get(key) ?? {};
      for (const [c, n] of Object.entries(smp.statuses)) st[c] = (st[c] ?? 0) + n;
      statuses.set(key, st);
    }
    const got = [...statuses].filter(([, st]) => !only404(st)).map(([k]) => k).sort();
    const want = [
      ...new Set(
        cap.requests
          .filter((r) => r.kind !== 'probe')
          .map((r) => `${r.host} ${r.method} ${unnamed(r.wireTemplate!)}`),
      ),
    ].sort();
    assert.deepEqual(got, want, cap.name);
  }
});

test('same samples in any order give the same templates (seeded shuffles)', (t) => {
  const all = captures();
  const sets: PathSample[][] = all.map((c) => samplesOf(c.requests));
  sets.push(usernames(40, 3).map((u) => s(`/users/${u}`)));
  if (all.length === 0) t.diagnostic('corpus not found: made-up samples only');
  for (const samples of sets) {
    const want = [...inferTemplates(samples, {})].sort();
    for (const seed of [1, 2, 3]) {
      assert.deepEqual([...inferTemplates(shuffle(samples, seed), {})].sort(), want);
    }
  }
});

test('usernames and slugs become parameters; busy words beside them stay literal', () => {
  const users = usernames(60, 7);
  const samples: PathSample[] = [
    ...users.map((u, i) => s(`/users/v1/${u}`, 1 + (i % 2))),
    ...users.slice(0, 20).map((u) => s(`/users/v1/${u}/email`, 1, 'PUT', 204)),
    s('/users/v1/_debug', 40),
    s('/users/v1/login', 40, 'POST'),
    s('/users/v1/register', 30, 'POST'),
    // A favourite test account called as often as the routes is still a username.
    s('/users/v1/name1', 35),
  ];
  const tpl = templateOf(samples);
  assert.equal(tpl(`/users/v1/${users[0]}`), '/users/v1/{userId}');
  assert.equal(tpl(`/users/v1/${users[1]}/email`, 'PUT'), '/users/v1/{userId}/email');
  assert.equal(tpl('/users/v1/name1'), '/users/v1/{userId}');
  assert.equal(tpl('/users/v1/_debug'), '/users/v1/_debug');
  assert.equal(tpl('/users/v1/login', 'POST'), '/users/v1/login');
  assert.equal(tpl('/users/v1/register', 'POST'), '/users/v1/register');

  const slugs = ['how-to-fly', 'ten-ways-to-bake', 'a-short-history', 'why-rust', 'intro-to-sql',
    'the-last-word', 'notes-on-ttl', 'on-caching'];
  const articles = slugs.map((x, i) => s(`/articles/${x}`, 1 + (i % 3)));
  articles.push(s('/articles/feed', 25));
  const at = templateOf(articles);
  assert.equal(at('/articles/why-rust'), '/articles/{articleId}');
  assert.equal(at('/articles/feed'), '/articles/feed');
});

test('plain-word usernames sharing sub-resources are one parameter; `me` stays literal', () => {
  const names = ['alice', 'bob', 'carol', 'dmitri', 'eve', 'gustavo'];
  const tpl = templateOf([
    ...names.map((n) => s(`/api/v1/users/${n}`)),
    ...names.slice(1).map((n) => s(`/api/v1/users/${n}/sessions`)),
    s('/api/v1/users/me', 6),
  ]);
  assert.equal(tpl('/api/v1/users/alice'), '/api/v1/users/{userId}');
  assert.equal(tpl('/api/v1/users/bob/sessions'), '/api/v1/users/{userId}/sessions');
  assert.equal(tpl('/api/v1/users/me'), '/api/v1/users/me');
});

test('version segments stay literal: v2, 2.0, v1beta1', () => {
  const tpl = templateOf([
    s('/v2/pets', 10),
    s('/api/2.0/items/17'),
    s('/api/2.0/items/18'),
    s('/apis/apps/v1beta1/deployments', 3),
    s('/v1/estimates/price', 5),
    s('/v1/me', 5),
    s('/v1/history', 5),
    s('/v1/products', 5),
  ]);
  assert.equal(tpl('/v2/pets'), '/v2/pets');
  assert.equal(tpl('/api/2.0/items/17'), '/api/2.0/items/{itemId}');
  assert.equal(tpl('/apis/apps/v1beta1/deployments'), '/apis/apps/v1beta1/deployments');
  assert.equal(tpl('/v1/me'), '/v1/me');
  assert.equal(tpl('/v1/products'), '/v1/products');
});

test('findByStatus and findByTags beside integer ids stay literal', () => {
  const samples = [s('/pet/findByStatus', 30), s('/pet/findByTags', 2)];
  for (let id = 1; id <= 40; id++) samples.push(s(`/pet/${1000 + id * 7}`));
  samples.push(s('/pet/1007', 3, 'DELETE', 204));
  const tpl = templateOf(samples);
  assert.equal(tpl('/pet/1007'), '/pet/{petId}');
  assert.equal(tpl('/pet/1007', 'DELETE'), '/pet/{petId}');
  assert.equal(tpl('/pet/findByStatus'), '/pet/findByStatus');
  assert.equal(tpl('/pet/findByTags'), '/pet/findByTags');
});

test('typed values are parameters by shape; percent-encoded text is a value', () => {
  const tpl = templateOf([
    s('/special-events/3f2504e0-4f89-11d3-9a0c-0305e82c3301'),
    s('/tickets/a54a57ca-36f8-421b-a6b4-2e8f26858a4c/qr', 12),
    s('/reports/2024-05-01/summary'),
    s('/commits/9fceb02d0ae598e95dc970b74767f19372d61af8'),
    s('/contacts/ann.smith@example.org'),
    s('/books/v1/Valens%20tenus%20compono'),
    s('/books/v1/bookTitle77', 20),
    s('/files/dQw4w9WgXcQ'),
  ]);
  assert.equal(tpl('/special-events/3f2504e0-4f89-11d3-9a0c-0305e82c3301'),
    '/special-events/{specialEventId}');
  assert.equal(tpl('/tickets/a54a57ca-36f8-421b-a6b4-2e8f26858a4c/qr'), '/tickets/{ticketId}/qr');
  assert.equal(tpl('/reports/2024-05-01/summary'), '/reports/{reportId}/summary');
  assert.equal(tpl('/commits/9fceb02d0ae598e95dc970b74767f19372d61af8'), '/commits/{commitId}');
  assert.equal(tpl('/contacts/ann.smith@example.org'), '/contacts/{contactId}');
  assert.equal(tpl('/books/v1/Valens%20tenus%20compono'), '/books/v1/{bookId}');
  // A token beside encoded titles is one more title.
  assert.equal(tpl('/books/v1/bookTitle77'), '/books/v1/{bookId}');
  assert.equal(tpl('/files/dQw4w9WgXcQ'), '/files/{fileId}');
});

test('two parameters in a row', () => {
  const r = rng(11);
  const samples: PathSample[] = [];
  const owners = usernames(12, 5);
  for (const o of owners) {
    for (let k = 0; k < 3; k++) samples.push(s(`/repos/${o}/proj-${Math.floor(r() * 1000)}x`));
  }
  const tpl = templateOf(samples);
  const first = samples[0]!.path;
  assert.equal(tpl(first), '/repos/{repoId}/{id}');
  const out = inferTemplates(samples, {});
  assert.deepEqual(out.get(HOST + '\0GET\0' + first)!.params.map((p) => [p.name, p.position]), [
    ['repoId', 1],
    ['id', 2],
  ]);
});

test('hosts are kept apart', () => {
  const samples = [
    ...usernames(30, 9).map((u) => s(`/users/${u}`, 1, 'GET', 200, 'a.example.test')),
    s('/users/list', 5, 'GET', 200, 'b.example.test'),
    s('/users/export', 5, 'GET', 200, 'b.example.test'),
  ];
  const tpl = templateOf(samples);
  assert.equal(tpl('/users/list', 'GET', 'b.example.test'), '/users/list');
  assert.equal(tpl('/users/export', 'GET', 'b.example.test'), '/users/export');
  assert.equal(tpl(samples[0]!.path, 'GET', 'a.example.test'), '/users/{userId}');
});

test('scanner probes answered 404 stay literal and do not turn the root into a parameter', () => {
  const probes = ['/.env', '/.git/config', '/admin', '/wp-login.php', '/phpinfo.php',
    '/server-status', '/actuator/health', '/backup.zip', '/config.json', '/console', '/debug'];
  const samples = [
    ...probes.map((p) => s(p, 1, 'GET', 404)),
    s('/books/v1', 50),
    s('/createdb', 30),
    s('/me', 30),
  ];
  const tpl = templateOf(samples);
  for (const p of probes) assert.equal(tpl(p), p);
  assert.equal(tpl('/books/v1'), '/books/v1');
  // Probes under a parameter position do not blow it up either.
  const ids = Array.from({ length: 20 }, (_, i) => s(`/orders/${100 + i}`));
  const users = usernames(30, 13).map((u) => s(`/users/${u}`));
  const t2 = templateOf([...ids, ...users, s('/orders/.env', 1, 'GET', 404),
    s('/orders/export', 12), s('/users/.git', 1, 'GET', 404), s('/users/admin', 1, 'GET', 404)]);
  assert.equal(t2(users[0]!.path), '/users/{userId}');
  assert.equal(t2('/users/.git'), '/users/.git');
  assert.equal(t2('/users/admin'), '/users/admin');
  assert.equal(t2('/orders/101'), '/orders/{orderId}');
  assert.equal(t2('/orders/.env'), '/orders/.env');
  assert.equal(t2('/orders/export'), '/orders/export');
});

test('a handful of collection names stays literal even when rarely called', () => {
  const tpl = templateOf([
    s('/internal/v2/customers', 5),
    s('/internal/v2/customers', 1, 'POST', 201),
    s('/internal/v2/customers/4'),
    s('/internal/v2/orders/28'),
    s('/internal/v2/payment_methods', 1, 'POST', 201),
    s('/internal/v2/support_tickets/12', 1, 'GET', 404),
    s('/internal/v2/support_tickets/34'),
    s('/internal/v2/invoices', 2),
    s('/internal/v2/refunds', 1),
  ]);
  assert.equal(tpl('/internal/v2/customers/4'), '/internal/v2/customers/{customerId}');
  assert.equal(tpl('/internal/v2/orders/28'), '/internal/v2/orders/{orderId}');
  assert.equal(tpl('/internal/v2/payment_methods', 'POST'), '/internal/v2/payment_methods');
  assert.equal(tpl('/internal/v2/support_tickets/12'),
    '/internal/v2/support_tickets/{supportTicketId}');
  assert.equal(tpl('/internal/v2/invoices'), '/internal/v2/invoices');
  assert.equal(tpl('/internal/v2/refunds'), '/internal/v2/refunds');
});

function op(
  template: string,
  method: string,
  params: CatalogOperation['params'] = [],
): CatalogOperation {
  return {
    specFile: 'spec.yaml', specTitle: 'T', method, template, basePaths: ['/api'], hosts: [HOST],
    boundHosts: [], deprecated: false, operationId: null, params, security: [], securitySchemes: {},
  };
}

const pathParam = (name: string, type: string | null) =>
  ({ name, in: 'path' as const, type, format: null, required: true });

test('catalog literals stay literal, catalog names and single values are taken', () => {
  const catalog: Catalog = {
    files: ['spec.yaml'],
    operations: [
      op('/users/me', 'GET'),
      op('/users/{username}', 'GET', [pathParam('username', 'string')]),
      op('/articles/feed', 'GET'),
      op('/articles/{slug}', 'GET', [pathParam('slug', 'string')]),
      op('/pets/{petId}', 'GET', [pathParam('petId', 'integer')]),
    ],
  };
  const tpl = templateOf(
    [
      s('/api/users/me', 3),
      s('/api/users/ann.smith'),
      s('/api/articles/feed', 2),
      s('/api/articles/why-rust'),
      s('/api/pets/42'),
      s('/api/pets/findByStatus', 9),
    ],
    { catalog },
  );
  assert.equal(tpl('/api/users/me'), '/api/users/me');
  assert.equal(tpl('/api/users/ann.smith'), '/api/users/{username}');
  assert.equal(tpl('/api/articles/feed'), '/api/articles/feed');
  assert.equal(tpl('/api/articles/why-rust'), '/api/articles/{slug}');
  assert.equal(tpl('/api/pets/42'), '/api/pets/{petId}');
  assert.equal(tpl('/api/pets/findByStatus'), '/api/pets/findByStatus');
});

test('a root parameter in the catalog does not swallow scanner probes', () => {
  const page = { ...op('/{page}', 'GET', [pathParam('page', 'string')]), basePaths: [''] };
  const catalog: Catalog = { files: ['spec.yaml'], operations: [page] };
  const tpl = templateOf([s('/welcome'), s('/.env', 1, 'GET', 404)], { catalog });
  assert.equal(tpl('/welcome'), '/{page}');
  assert.equal(tpl('/.env'), '/.env');
});

test('values the catalog enumerates are its parameter however often they are called', () => {
  const status = { ...pathParam('status', 'string'), enum: ['sold', 'available', 'pending'] };
  const catalog: Catalog = {
    files: ['spec.yaml'],
    operations: [op('/pets/{status}', 'GET', [status])],
  };
  const samples = [s('/api/pets/sold', 20), s('/api/pets/available', 25), s('/api/pets/lost', 9)];
  const tpl = templateOf(samples, { catalog });
  assert.equal(tpl('/api/pets/sold'), '/api/pets/{status}');
  assert.equal(tpl('/api/pets/available'), '/api/pets/{status}');
  assert.equal(tpl('/api/pets/lost'), '/api/pets/lost');
});

test('a literal of an earlier run gives way when more traffic shows a parameter', () => {
  const known = [
    { host: HOST, method: 'GET', template: '/users/alice.w', params: [] },
    { host: HOST, method: 'GET', template: '/users/bob_k', params: [] },
  ];
  const samples = usernames(30, 21).map((u) => s(`/users/${u}`));
  samples.push(s('/users/alice.w'), s('/users/bob_k'));
  const tpl = templateOf(samples, { known });
  assert.equal(tpl('/users/alice.w'), '/users/{userId}');
  assert.equal(tpl('/users/bob_k'), '/users/{userId}');
});

test('templates known from earlier runs are reused, names and kinds included', () => {
  const known = [
    { host: HOST, method: 'GET', template: '/users/v1/{username}',
      params: [{ name: 'username', position: 2, kind: 'slug' as const }] },
    { host: HOST, method: 'GET', template: '/pets/{petId}',
      params: [{ name: 'petId', position: 1, kind: 'integer' as const }] },
  ];
  const samples = [s('/users/v1/alice.w'), s('/pets/7'), s('/pets/findByTags', 9)];
  const tpl = templateOf(samples, { known });
  assert.equal(tpl('/users/v1/alice.w'), '/users/v1/{username}');
  assert.equal(tpl('/pets/7'), '/pets/{petId}');
  assert.equal(tpl('/pets/findByTags'), '/pets/findByTags');
});

test('parameter kinds and positions are reported', () => {
  const samples = Array.from({ length: 10 }, (_, i) => s(`/customers/${i + 1}/orders`));
  const out = inferTemplates(samples, {});
  assert.deepEqual(out.get(HOST + '\0GET\0/customers/3/orders'), {
    template: '/customers/{customerId}/orders',
    params: [{ name: 'customerId', position: 1, kind: 'integer' }],
  });
});

test('root, trailing slash, empty segments and over-long paths', () => {
  const long = '/' + Array.from({ length: 80 }, (_, i) => `s${i}x`).join('/');
  const tpl = templateOf([s('/'), s('/users/'), s('/a//b'), s(long)]);
  assert.equal(tpl('/'), '/');
  assert.equal(tpl('/users/'), '/users');
  assert.equal(tpl('/a//b'), '/a//b');
  assert.equal(tpl(long), long);
});

test('segment shapes', () => {
  const cases: Array<[string, string, string]> = [
    ['42', 'integer', 'value'],
    ['-6.553942', 'number', 'value'],
    ['2.0', 'version', 'word'],
    ['v2', 'version', 'word'],
    ['v1beta1', 'version', 'word'],
    ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'uuid', 'value'],
    ['9fceb02d', 'hex', 'value'],
    ['deadbeef', 'slug', 'word'],
    ['2024-05-01', 'date', 'value'],
    ['2024-05-01T10:00:00Z', 'datetime', 'value'],
    ['ann@example.org', 'email', 'value'],
    ['ann%40example.org', 'email', 'value'],
    ['ann.smith', 'slug', 'token'],
    ['Valens%20tenus', 'string', 'value'],
    ['cus_NffrFeUfNV2Hib7q', 'base64ish', 'value'],
    ['findByStatus', 'slug', 'word'],
    ['_debug', 'slug', 'word'],
    ['payment_methods', 'slug', 'word'],
    ['name1', 'slug', 'token'],
    ['report_2024_summary', 'slug', 'token'],
    ['bookTitle77', 'slug', 'token'],
  ];
  for (const [raw, kind, role] of cases) {
    assert.deepEqual(segmentShape(raw), { kind, role }, raw);
  }
});

test('parameter names: singular of the collection plus Id', () => {
  const cases: Array<[string, string | null]> = [
    ['users', 'userId'],
    ['categories', 'categoryId'],
    ['addresses', 'addressId'],
    ['boxes', 'boxId'],
    ['special-events', 'specialEventId'],
    ['payment_methods', 'paymentMethodId'],
    ['status', 'statusId'],
    ['people', 'personId'],
    ['v2', null],
    ['api', null],
  ];
  for (const [seg, name] of cases) assert.equal(nameFromLiteral(seg), name, seg);
  assert.equal(singular('Tickets'), 'Ticket');
});

type Gen = () => string;

/** Traffic shaped like public specs: `perOp` calls to each operation, values drawn per call. */
function specTraffic(ops: Array<[string, string, Record<string, Gen>]>, perOp: number) {
  const samples = new Map<string, PathSample>();
  const truth = new Map<string, string>();
  for (const [method, template, gens] of ops) {
    for (let i = 0; i < perOp; i++) {
      const path = template.replace(/\{(\w+)\}/g, (_, n: string) => gens[n]!());
      const key = `${method} ${path}`;
      const smp = samples.get(key) ?? s(path, 0, method);
      smp.count++;
      smp.statuses['200'] = smp.count;
      samples.set(key, smp);
      truth.set(key, unnamed(template));
    }
  }
  return { samples: [...samples.values()], truth };
}

test('traffic shaped like Petstore 2, RealWorld and a repository API, busy and sparse', () => {
  const r = rng(5);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const user: Gen = () => {
    const x = r();
    if (x < 0.25) return 'user1';
    return x < 0.5 ? `${pick(FIRST)}.${pick(LAST)}` : `${pick(FIRST)}${Math.floor(r() * 999)}`;
  };
  const words = ['alpha', 'brave', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'harbor'];
  const slug: Gen = () =>
    `${pick(words)}-${pick(words)}-${pick(words)}-${Math.floor(r() * 1e5).toString(36)}`;
  const int: Gen = () => String(1 + Math.floor(r() * 100000));
  const small: Gen = () => String(1 + Math.floor(r() * 10));
  const specs: Record<string, Array<[string, string, Record<string, Gen>]>> = {
    petstore: [
      ['GET', '/v2/pet/findByStatus', {}], ['GET', '/v2/pet/findByTags', {}],
      ['GET', '/v2/pet/{petId}', { petId: int }], ['POST', '/v2/pet/{petId}', { petId: int }],
      ['DELETE', '/v2/pet/{petId}', { petId: int }],
      ['POST', '/v2/pet/{petId}/uploadImage', { petId: int }], ['POST', '/v2/pet', {}],
      ['GET', '/v2/store/inventory', {}], ['GET', '/v2/store/order/{orderId}', { orderId: small }],
      ['POST', '/v2/user/createWithList', {}], ['GET', '/v2/user/login', {}],
      ['GET', '/v2/user/logout', {}], ['GET', '/v2/user/{username}', { username: user }],
      ['PUT', '/v2/user/{username}', { username: user }],
      ['DELETE', '/v2/user/{username}', { username: user }],
    ],
    realworld: [
      ['POST', '/api/users/login', {}], ['POST', '/api/users', {}], ['GET', '/api/user', {}],
      ['GET', '/api/profiles/{username}', { username: user }],
      ['POST', '/api/profiles/{username}/follow', { username: user }],
      ['GET', '/api/articles/feed', {}], ['GET', '/api/articles', {}],
      ['GET', '/api/articles/{slug}', { slug }], ['DELETE', '/api/articles/{slug}', { slug }],
      ['GET', '/api/articles/{slug}/comments', { slug }],
      ['DELETE', '/api/articles/{slug}/comments/{id}', { slug, id: int }],
      ['POST', '/api/articles/{slug}/favorite', { slug }], ['GET', '/api/tags', {}],
    ],
    repositories: [
      ['GET', '/repos/{owner}/{repo}', { owner: user, repo: slug }],
      ['GET', '/repos/{owner}/{repo}/issues/{number}', { owner: user, repo: slug, number: small }],
      ['GET', '/users/{username}/repos', { username: user }], ['GET', '/user/repos', {}],
    ],
  };
  for (const [name, ops] of Object.entries(specs)) {
    for (const perOp of [60, 8]) {
      const { samples, truth } = specTraffic(ops, perOp);
      const tpl = templateOf(samples);
      for (const smp of samples) {
        const key = `${smp.method} ${smp.path}`;
        const got = unnamed(tpl(smp.path, smp.method));
        assert.equal(got, truth.get(key), `${name}/${perOp}: ${key}`);
      }
    }
  }
});
