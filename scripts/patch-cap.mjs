// Applies shadowtap's kept patch to the `cap` package and rebuilds its addon.
// Runs as this package's postinstall (npm install / npm ci), and by hand as
// `npm run patch-cap`. Never fails the install: replay works without live capture,
// and `shadowtap capture` says in one line what is missing.
//
// Why a patch and not our own addon: docs/live-capture.md. The patch is applied
// only to the exact source it was written against (checked by SHA-256), strictly
// (every context line must match), once (a marker in the patched file).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PATCH = join(HERE, '..', 'native', 'cap-0.2.1.patch');
/** SHA-256 of cap 0.2.1's src/binding.cc, the file the patch was written against. */
const ORIGINAL_SHA256 = 'f5912602f66bb33d1381982c85234c3e3e6fccc4e26a77ef25d4169d0112cdbc';
const MARKER = 'SHADOWTAP_CAP_PATCH';

const say = (line) => process.stderr.write(`shadowtap (cap patch): ${line}\n`);

/** Applies a unified diff to `text`, refusing any hunk whose old lines differ. */
export function applyUnifiedDiff(text, diff) {
  const src = text.split('\n');
  const out = [];
  const lines = diff.split('\n');
  let at = 0;
  let i = lines.findIndex((l) => l.startsWith('@@'));
  if (i < 0) throw new Error('no hunks in the patch');
  while (i < lines.length && lines[i].startsWith('@@')) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i]);
    if (m === null) throw new Error(`bad hunk header: ${lines[i]}`);
    const oldCount = m[2] === undefined ? 1 : Number(m[2]);
    const newCount = m[4] === undefined ? 1 : Number(m[4]);
    const start = Number(m[1]) - (oldCount === 0 ? 0 : 1);
    if (start < at) throw new Error(`hunk at line ${m[1]} overlaps the one before`);
    while (at < start) out.push(src[at++]);
    let olds = 0;
    let news = 0;
    for (i++; i < lines.length && !lines[i].startsWith('@@'); i++) {
      const line = lines[i];
      if (line === '' && i === lines.length - 1) break; // the diff's own last newline
      const tag = line[0];
      const body = line.slice(1);
      if (tag === '\\') continue; // "\ No newline at end of file"
      if (tag === ' ' || tag === '-') {
        if (src[at] !== body) throw new Error(`line ${at + 1} differs from the patch's context`);
        at++;
        olds++;
        if (tag === ' ') {
          out.push(body);
          news++;
        }
      } else if (tag === '+') {
        out.push(body);
        news++;
      } else {
        throw new Error(`unexpected patch line ${i + 1}`);
      }
    }
    if (olds !== oldCount || news !== newCount) throw new Error(`hunk ${m[0]} has wrong counts`);
  }
  while (at < src.length) out.push(src[at++]);
  return out.join('\n');
}

function sha256(text) {
  return createHash('sha256').update(text).digest('hex');
}

function findCap() {
  try {
    return dirname(createRequire(import.meta.url).resolve('cap/package.json'));
  } catch {
    return null;
  }
}

/** True when cap's built addon loads and carries the patch. */
function addonPatched(capDir) {
  const probe = spawnSync(process.execPath, ['-e',
    `process.exit(require(${JSON.stringify(capDir)}).shadowtapPatch >= 1 ? 0 : 3)`],
  { stdio: 'ignore', timeout: 30_000 });
  return probe.status === 0;
}

function rebuild(capDir) {
  // Inside npm's lifecycle node-gyp (and nodedir) come from npm's environment;
  // by hand, `npm rebuild cap` supplies the same.
  const gyp = process.env.npm_config_node_gyp;
  const options = { stdio: 'pipe', timeout: 600_000 };
  const res = gyp !== undefined
    ? spawnSync(process.execPath, [gyp, 'rebuild'], { ...options, cwd: capDir })
    : spawnSync('npm', ['rebuild', 'cap'], { ...options, cwd: join(HERE, '..') });
  return res.status === 0;
}

function main() {
  const capDir = findCap();
  if (capDir === null) {
    say('cap is not installed; live capture is unavailable (replay works). ' +
      'To add it: apt-get install libpcap-dev, then npm install');
    return;
  }
  const file = join(capDir, 'src', 'binding.cc');
  const source = readFileSync(file, 'utf8');
  if (!source.includes(MARKER)) {
    if (sha256(source) !== ORIGINAL_SHA256) {
      say(`${file} is not cap 0.2.1's source; patch not applied, live capture will say so`);
      return;
    }
    writeFileSync(file, applyUnifiedDiff(source, readFileSync(PATCH, 'utf8')));
  } else if (addonPatched(capDir)) {
    return; // patched and built: nothing to do
  }
  if (!rebuild(capDir) || !addonPatched(capDir)) {
    say('cap could not be rebuilt; live capture is unavailable (replay works). ' +
      'To add it: apt-get install libpcap-dev, then npm rebuild cap');
    return;
  }
  say('cap patched and rebuilt (snap length, capture statistics, batches, no send)');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
