/**
 * The review page: one HTML document holding its stylesheet, its script and (for the
 * offline report) its data. A Content-Security-Policy pins the inline script and
 * style by hash and allows no other source, so the offline file cannot reach the
 * network even if a browser would try; under `serve` it may only call its own API.
 */
import { createHash } from 'node:crypto';
import { CLIENT_JS } from './client.js';
import { escapeXml, jsonForScript } from './escape.js';
import type { PageData } from './page-data.js';
import { PAGE_CSS } from './styles.js';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const SCRIPT_HASH = sha256(CLIENT_JS);
const STYLE_HASH = sha256(PAGE_CSS);

/** The policy for the page: `self` API calls only when served. */
export function pageCsp(mode: 'file' | 'serve'): string {
  return [
    "default-src 'none'",
    `script-src ${SCRIPT_HASH}`,
    `style-src ${STYLE_HASH}`,
    'img-src data:',
    `connect-src ${mode === 'serve' ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The page as HTML. With `data` the page is self-contained (the offline report);
 * without, its script fetches the data from the server that sent it.
 */
export function renderPage(opts: { mode: 'file' | 'serve'; data: PageData | null;
  title?: string }): string {
  const title = opts.title ?? 'shadowtap report';
  const data = opts.data === null ? '' : jsonForScript(opts.data);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // frame-ancestors is ignored in a meta policy; serve sends it as a header.
    `<meta http-equiv="Content-Security-Policy" content="${escapeXml(pageCsp(opts.mode))}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#endpoints">Skip to the endpoints</a>',
    '<main>',
    `<h1>${escapeXml(title)}</h1>`,
    '<noscript><p>This report needs JavaScript to draw its tables; the data is in the ' +
      'page source as JSON.</p></noscript>',
    '<div id="app"><p class="muted">Loading…</p></div>',
    '</main>',
    `<script type="application/json" id="shadowtap-data">${data}</script>`,
    `<script>${CLIENT_JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
