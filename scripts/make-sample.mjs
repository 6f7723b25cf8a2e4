#!/usr/bin/env node
// Makes samples/petstore.pcap: tcpdump on loopback records a real node:http server and
// a real HTTP client (keep-alive and Connection: close, gzip, chunked uploads, several
// auth schemes, a scanner probe). All values are synthetic. Needs root and tcpdump.
//   node scripts/make-sample.mjs [out.pcap]
import http from 'node:http';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const out = process.argv[2] ?? 'samples/petstore.pcap';
const PORT = 18080;
const HOST = 'petstore.internal.test';

// A small seeded generator so the sample is the same every time it is made.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (a) => a[Math.floor(rand() * a.length)];

const pets = Array.from({ length: 40 }, (_, i) => ({
  id: 1001 + i,
  name: pick(['Rex', 'Mia', 'Bella', 'Oscar', 'Luna', 'Max']),
  status: pick(['available', 'pending', 'sold']),
}));
const users = ['alice', 'bob', 'carol.smith', 'dmitri', 'eve_w', 'farah', 'gustavo', 'hana'];

function send(res, status, body, { gzip = false, chunked = false } = {}) {
  let data = Buffer.from(JSON.stringify(body));
  const headers = { 'content-type': 'application/json' };
  if (gzip) {
    data = zlib.gzipSync(data);
    headers['content-encoding'] = 'gzip';
  }
  if (!chunked) headers['content-length'] = data.length;
  res.writeHead(status, headers);
  res.end(data);
}

function route(req, res, body) {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  const gz = /gzip/.test(req.headers['accept-encoding'] ?? '');
  let m;
  if (req.method === 'GET' && p === '/api/v1/pets') return send(res, 200, pets.slice(0, 5), { gzip: gz });
  if (req.method === 'GET' && p === '/api/v1/pets/findByStatus')
    return send(res, 200, pets.filter((x) => x.status === url.searchParams.get('status')));
  if ((m = p.match(/^\/api\/v1\/pets\/(\d+)$/))) {
    const pet = pets.find((x) => x.id === Number(m[1]));
    if (req.method === 'DELETE') { res.writeHead(204); return res.end(); }
    return pet ? send(res, 200, pet, { gzip: gz, chunked: true }) : send(res, 404, { error: 'no such pet' });
  }
  if (req.method === 'GET' && /^\/api\/v1\/pets\/\d+\/legacy-photo$/.test(p))
    return send(res, 200, { url: 'https://img.example.test/p.jpg' });
  if (req.method === 'POST' && p === '/api/v1/pets') return send(res, 201, { id: 2000, ...JSON.parse(body || '{}') });
  if (req.method === 'POST' && p === '/api/v1/login') return send(res, 200, { token: 'opaque' });
  if (req.method === 'GET' && p === '/api/v1/users/me')
    return send(res, 200, { username: 'alice', email: 'alice@example.com', phone: '+1-202-555-0143' });
  if ((m = p.match(/^\/api\/v1\/users\/([^/]+)$/)))
    return send(res, 200, { username: m[1], email: `${m[1]}@example.org` });
  if ((m = p.match(/^\/api\/v1\/users\/([^/]+)\/sessions$/))) return send(res, 200, [{ ip: '198.51.100.7' }]);
  if ((m = p.match(/^\/api\/v1\/orders\/(\d+)$/)))
    return send(res, 200, { id: Number(m[1]), card: '4111111111111111', total: 12.5 }, { gzip: gz });
  if (req.method === 'GET' && p === '/api/v1/admin/export') return send(res, 200, { rows: 3 }, { chunked: true });
  if (req.method === 'POST' && p === '/api/v1/internal/debug/reindex') return send(res, 202, { queued: true });
  return send(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => route(req, res, Buffer.concat(chunks).toString()));
});
server.keepAliveTimeout = 5000;
await new Promise((r) => server.listen(PORT, '127.0.0.1', r));

const tcpdump = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-B', '32768', '-U', '-s', '0', '-w', out, `tcp port ${PORT}`], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let ready = '';
tcpdump.stderr.on('data', (d) => (ready += d));
for (let i = 0; i < 50 && !/listening on/.test(ready); i++) await new Promise((r) => setTimeout(r, 100));
if (!/listening on/.test(ready)) throw new Error(`tcpdump did not start: ${ready}`);

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 2 });
function call(method, path, { body, headers = {}, close = false, chunked = false } = {}) {
  return new Promise((resolve, reject) => {
    const h = { host: HOST, 'accept-encoding': 'gzip', ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (body !== undefined && !chunked) h['content-length'] = Buffer.byteLength(body);
    if (close) h.connection = 'close';
    const req = http.request(
      { host: '127.0.0.1', port: PORT, method, path, headers: h, agent: close ? false : keepAlive },
      (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const bearer = { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl' };
const basic = { authorization: 'Basic ' + Buffer.from('svc:not-a-real-secret').toString('base64') };
const apikey = { 'x-api-key': 'test-key-0000' };
let calls = 0;
for (let round = 0; round < 6; round++) {
  await call('GET', '/api/v1/pets', { headers: bearer });
  await call('GET', `/api/v1/pets/findByStatus?status=${pick(['available', 'sold'])}`, { headers: apikey });
  for (let i = 0; i < 4; i++) await call('GET', `/api/v1/pets/${pick(pets).id}`, { headers: bearer });
  await call('GET', `/api/v1/users/${pick(users)}`, { headers: bearer });
  await call('GET', '/api/v1/users/me', { headers: bearer, close: true });
  await call('POST', '/api/v1/pets', { body: JSON.stringify({ name: 'Nova', status: 'available' }), headers: bearer, chunked: round % 2 === 0 });
  await call('GET', `/api/v1/orders/${5000 + round * 7}`, { headers: basic });
  await call('POST', '/api/v1/login', { body: JSON.stringify({ username: pick(users), password: 'hunter2' }), close: true });
  // Left out of the sample catalog: these show up as shadow.
  await call('GET', `/api/v1/users/${pick(users)}/sessions`, { headers: bearer });
  if (round % 2 === 0) await call('GET', '/api/v1/admin/export', { headers: apikey });
  if (round % 3 === 0) await call('POST', '/api/v1/internal/debug/reindex', { body: '{}', headers: basic });
  // Deprecated in the catalog and still called: a zombie.
  if (round % 2 === 1) await call('GET', `/api/v1/pets/${pick(pets).id}/legacy-photo`, { headers: bearer });
  await call('DELETE', `/api/v1/pets/${pick(pets).id}`, { headers: bearer });
  calls += 14;
  await new Promise((r) => setTimeout(r, 50)); // spread the load: capture drops nothing
}
await call('GET', '/.env', { close: true }); // a scanner probe: only ever 404
await call('GET', '/wp-login.php', { close: true });

keepAlive.destroy();
// tcpdump hands packets over in batches; give it time to write the last ones.
await new Promise((r) => setTimeout(r, 1500));
tcpdump.kill('SIGINT');
await once(tcpdump, 'exit');
server.close();
process.stderr.write(`wrote ${out} (about ${calls} calls): ${ready.trim().split("\n").join("; ")}\n`);
