/**
 * The review page's stylesheet: light and dark schemes from prefers-color-scheme,
 * visible keyboard focus, status colours shared by table and chart, and a print
 * layout without controls. Contrast of text on its background stays at or above
 * WCAG 2.1 AA (4.5:1) in both schemes.
 */
export const PAGE_CSS = String.raw`
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --accent: #0550ae; --focus: #0969da; --bad: #b42318; --warn: #9a6700; --ok: #1a7f37;
  --c-shadow: #d1242f; --c-zombie: #8250df; --c-unknown-host: #bc4c00;
  --c-documented: #2da44e; --c-accepted: #0969da; --c-false-positive: #6e7781;
  --c-not-found: #afb8c1;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d; --panel: #161b22;
    --accent: #79c0ff; --focus: #58a6ff; --bad: #ff7b72; --warn: #d29922; --ok: #3fb950;
    --c-shadow: #ff6a69; --c-zombie: #bc8cff; --c-unknown-host: #f0883e;
    --c-documented: #3fb950; --c-accepted: #58a6ff; --c-false-positive: #8b949e;
    --c-not-found: #484f58;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 12.5px; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: var(--panel); padding: 6px 10px; z-index: 9; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
button, select, input, textarea { font: inherit; color: inherit; background: var(--bg);
  border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
button { cursor: pointer; background: var(--panel); }
button:hover { border-color: var(--accent); }
button.link { border: 0; background: none; padding: 0; color: var(--accent);
  text-decoration: underline; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
  gap: 10px; margin: 12px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 12px; }
.card .n { font-size: 22px; font-weight: 600; display: block; }
.card .l { color: var(--muted); font-size: 12.5px; }
.statuses { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 4px 0; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px;
  margin-right: 5px; vertical-align: -1px; }
.chart { width: 100%; height: auto; max-height: 280px; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .axis { fill: var(--muted); font-size: 11px; }
.chart .hit { fill: transparent; }
.chart .hit:hover { fill: var(--line); fill-opacity: 0.35; }
.s-shadow { fill: var(--c-shadow); background: var(--c-shadow); }
.s-zombie { fill: var(--c-zombie); background: var(--c-zombie); }
.s-unknown-host { fill: var(--c-unknown-host); background: var(--c-unknown-host); }
.s-documented { fill: var(--c-documented); background: var(--c-documented); }
.s-accepted { fill: var(--c-accepted); background: var(--c-accepted); }
.s-false-positive { fill: var(--c-false-positive); background: var(--c-false-positive); }
.s-not-found { fill: var(--c-not-found); background: var(--c-not-found); }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end;
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 12px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted);
  gap: 2px; }
.filters label.check { flex-direction: row; align-items: center; gap: 6px; color: var(--fg); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { position: sticky; top: 0; background: var(--bg); z-index: 1; font-size: 12.5px; }
th button { border: 0; background: none; padding: 0; font-weight: 600; }
th button::after { content: " \2195"; color: var(--muted); }
th[aria-sort=ascending] button::after { content: " \2191"; color: var(--fg); }
th[aria-sort=descending] button::after { content: " \2193"; color: var(--fg); }
td.num, th.num { text-align: right; }
tr.row:hover td { background: var(--panel); }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px;
  border: 1px solid var(--line); white-space: nowrap; }
.status { color: #fff; border: 0; }
.status.s-documented, .status.s-not-found { color: #0d1117; }
@media (prefers-color-scheme: dark) { .status { color: #0d1117; } }
.risk-critical { color: var(--bad); font-weight: 700; }
.risk-high { color: var(--bad); }
.risk-medium { color: var(--warn); }
.risk-low, .risk-info { color: var(--muted); }
.new { color: var(--accent); font-weight: 600; font-size: 12px; }
tr.detail > td { background: var(--panel); padding: 10px 16px 16px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 4px 28px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; }
ul.plain { margin: 0; padding-left: 18px; }
.triage { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px;
  margin-top: 12px; background: var(--bg); }
.triage fieldset { border: 0; padding: 0; margin: 0 0 8px; display: flex; gap: 14px;
  flex-wrap: wrap; }
.triage legend { font-weight: 600; margin-bottom: 4px; }
.triage textarea { width: 100%; min-height: 54px; }
.msg { min-height: 1.4em; }
.msg.err { color: var(--bad); }
.empty { color: var(--muted); font-style: italic; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@media print {
  :root { color-scheme: light; }
  body { background: #fff; color: #000; font-size: 11px; }
  .filters, .no-print, th button::after, .skip, button.toggle { display: none !important; }
  th { position: static; }
  tr.row, tr.detail { break-inside: avoid; }
  main { max-width: none; padding: 0; }
  a { color: #000; }
}
`;
