// The review pages in a real browser (playwright-core driving Debian's chromium):
// the offline HTML report opened from file:// with every non-file request aborted
// (and none attempted), and the serve UI on 127.0.0.1: filter, open a finding,
// triage it, reload, and see the decision kept. Shadow rows equal those of
// `report --format json`. Screenshots in light and dark go to test-output/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { limitsWith } from '../src/config/limits.js';
import { startServer } from '../src/serve/server.js';
import { Store } from '../src/store/db.js';
import { shadowtap } from './helpers/cli.js';
import {
  corpusCaptures, jsonReport, leaked, plantedSecrets, replayCapture, rowKeys,
} from './helpers/review.js';

const CHROMIUM = process.env.SHADOWTAP_CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(process.cwd(), 'test-output');
const captures = corpusCaptures();
const NAME = captures.includes('vampi') ? 'vampi' : captures[0];

async function browser(): Promise<{ context: BrowserContext; done: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'shadowtap-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    done: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Console errors, page errors and CSP reports of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

async function shadowRowsInPage(page: Page): Promise<string[]> {
  return page.$$eval('tr.row[data-status="shadow"]', (rows) => rows.map((r) =>
    `${r.getAttribute('data-method')} ${r.getAttribute('data-host')}` +
    `${r.getAttribute('data-path')}`));
}

async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(OUT, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const skipWhy = !existsSync(CHROMIUM) ? `chromium not installed (${CHROMIUM})`
  : NAME === undefined ? 'no corpus traffic captures in ../shared/corpus/traffic' : null;

test('offline HTML report: no network, same shadow rows as JSON, filters, details', async (t) => {
  if (skipWhy !== null) {
    t.skip(skipWhy);
    return;
  }
  const { db, dir } = replayCapture(NAME!);
  const file = join(dir, 'report.html');
  const r = shadowtap(['report', '--db', db, '--format', 'html', '--out', file]);
  assert.equal(r.status, 0, r.stderr);
  const html = readFileSync(file, 'utf8');
  assert.deepEqual(leaked(html, plantedSecrets(NAME!)), [], 'no planted value in the page');
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i, 'nothing loaded from outside');
  const json = jsonReport(db);
  const { context, done } = await browser();
  try {
    const attempted: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      attempted.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#endpoint-table');
    const shadow = json.endpoints.filter((e) => e.status === 'shadow');
    assert.deepEqual(await shadowRowsInPage(page), rowKeys(shadow));
    assert.equal(await page.$$eval('tr.row', (rows) => rows.length), json.endpoints.length);
    assert.equal(await page.textContent('#sum-shadow .n'), String(shadow.length));
    assert.ok(await page.$('svg.chart rect.s-shadow'), 'the chart draws shadow traffic');

    await page.selectOption('#f-status', 'shadow');
    assert.equal(await page.$$eval('tr.row', (rows) => rows.length), shadow.length);
    await page.selectOption('#f-status', '');
    const kind = json.endpoints.flatMap((e) => e.pii.map((p) => p.kind))[0];
    if (kind !== undefined) {
      await page.selectOption('#f-pii', kind);
      const withKind = json.endpoints.filter((e) => e.pii.some((p) => p.kind === kind));
      assert.equal(await page.$$eval('tr.row', (rows) => rows.length), withKind.length);
      await page.selectOption('#f-pii', '');
    }
    // Keyboard: sort by a column, then open the first row's details with Enter.
    await page.focus('#sort-requests');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('th[aria-sort]', 'aria-sort'), 'descending');
    await page.focus('#sort-risk');
    await page.keyboard.press('Enter');
    const firstShadow = await page.getAttribute('tr.row[data-status="shadow"]', 'data-index');
    await page.focus(`#toggle-${firstShadow}`);
    await page.keyboard.press('Enter');
    const detail = await page.textContent(`#detail-${firstShadow}`);
    assert.ok(detail !== null && detail.includes('Personal data') && detail.includes(
      `${shadow[0]!.method} ${shadow[0]!.path}`), 'details show the redacted example request');
    assert.equal(await page.getAttribute(`#toggle-${firstShadow}`, 'aria-expanded'), 'true');
    await screenshots(page, 'report');
    assert.deepEqual(attempted, [], 'the offline report asked for nothing off disk');
    assert.deepEqual(errors, []);
  } finally {
    await done();
  }
});

test('serve UI: filter, open a finding, triage it, reload, and see it kept', async (t) => {
  if (skipWhy !== null) {
    t.skip(skipWhy);
    return;
  }
  const { db } = replayCapture(NAME!);
  const json = jsonReport(db);
  const shadow = json.endpoints.filter((e) => e.status === 'shadow');
  const store = Store.open(db);
  const server = await startServer({ store, catalog: null, limits: limitsWith(),
    host: '127.0.0.1', port: 0, token: null, readOnly: false });
  const origin = server.url.replace(/\/$/, '');
  const { context, done } = await browser();
  const answers: string[] = [];
  try {
    const attempted: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + '/')) return route.continue();
      attempted.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('response', (res) => { void res.text().then((b) => answers.push(b), () => {}); });
    const errors = watchErrors(page);
    await page.goto(server.url);
    await page.waitForSelector('#endpoint-table');
    assert.deepEqual(await shadowRowsInPage(page), rowKeys(shadow));

    await page.selectOption('#f-status', 'shadow');
    assert.equal(await page.$$eval('tr.row', (rows) => rows.length), shadow.length);
    const target = shadow[0]!;
    const index = await page.getAttribute(`tr.row[data-path="${target.path}"]` +
      `[data-method="${target.method}"][data-host="${target.host}"]`, 'data-index');
    await page.click(`#toggle-${index}`);
    await page.check(`#verdict-${index}-accepted`);
    await page.fill(`#note-${index}`, 'owned by the CRM team');
    await page.click(`#triage-save-${index}`);
    await page.waitForSelector('#notice:has-text("Saved: accepted")');
    await screenshots(page, 'serve');

    await page.reload();
    await page.waitForSelector('#endpoint-table');
    await page.selectOption('#f-status', 'accepted');
    const rows = await page.$$eval('tr.row',
      (list) => list.map((r) => r.getAttribute('data-path')));
    assert.deepEqual(rows, [target.path], 'after a reload the endpoint is accepted');
    const i2 = await page.getAttribute('tr.row', 'data-index');
    await page.click(`#toggle-${i2}`);
    const current = await page.textContent(`#triage-current-${i2}`);
    assert.match(current ?? '', new RegExp(`accepted by ${userInfo().username} at .*owned by the ` +
      'CRM team'));
    assert.equal(store.triage()[0]?.verdict, 'accepted', 'stored in SQLite');
    await screenshots(page, 'serve-triaged');
    assert.deepEqual(attempted, []);
    assert.deepEqual(errors, []);
  } finally {
    await done();
    await server.close();
    store.close();
  }
  assert.ok(answers.length >= 3);
  assert.deepEqual(leaked(answers.join('\n'), plantedSecrets(NAME!)), []);
});
