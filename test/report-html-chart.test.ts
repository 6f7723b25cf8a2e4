// The requests-over-time chart: every request lands in exactly one bar under its
// endpoint's status, bars stay within the bound, and the SVG escapes what it writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartData, renderChartSvg, type KeyedActivity } from '../src/report/html/chart.js';
import { jsonForScript } from '../src/report/html/escape.js';
import type { Report, ReportEndpoint } from '../src/report/model.js';

function row(host: string, template: string, status: ReportEndpoint['status']): ReportEndpoint {
  return { host, method: 'GET', path: template, template, status } as ReportEndpoint;
}

const report = { endpoints: [row('a.test', '/x', 'shadow'), row('a.test', '/y', 'documented'),
  row('b.test', '/z', 'accepted')] } as Report;

test('bars sum to the stored requests per status, within the bar bound', () => {
  const activity: KeyedActivity[] = [
    { host: 'a.test', method: 'GET', template: '/x', activity: { width: 1,
      buckets: { '1000': 3, '1001': 2, '5000': 7 } } },
    { host: 'a.test', method: 'GET', template: '/y', activity: { width: 4,
      buckets: { '1000': 10, '3000': 1 } } },
    { host: 'b.test', method: 'GET', template: '/z', activity: { width: 1,
      buckets: { '4999': 5 } } },
    { host: 'gone.test', method: 'GET', template: '/', activity: { width: 1,
      buckets: { '2000': 99 } } },
  ];
  for (const bins of [1, 7, 96, 1000]) {
    const d = chartData(report, activity, bins)!;
    assert.ok(d.bins.length <= bins, `${d.bins.length} bars for a bound of ${bins}`);
    const sum = (s: string) => d.bins.reduce((n, b) => n + ((b as Record<string, number>)[s]
      ?? 0), 0);
    assert.deepEqual([sum('shadow'), sum('documented'), sum('accepted')], [12, 11, 5]);
    assert.deepEqual(d.totals, { shadow: 12, documented: 11, accepted: 5 });
    assert.ok(d.start <= 1000 && d.start + d.width * d.bins.length >= 5001);
  }
  assert.equal(chartData(report, [], 10), null);
  assert.match(renderChartSvg(null), /No activity recorded/);
  const svg = renderChartSvg(chartData(report, activity, 20));
  assert.match(svg, /^<svg class="chart"/);
  assert.match(svg, /<rect class="s-shadow"/);
  assert.doesNotMatch(svg, /style=/, 'no inline style: the page policy would block it');
});

test('embedded JSON cannot close its script element', () => {
  const text = jsonForScript({ path: '</script><script>alert(1)</script>', s: '<!--' });
  assert.doesNotMatch(text, /<\/script|<!--/i);
  assert.deepEqual(JSON.parse(text), { path: '</script><script>alert(1)</script>', s: '<!--' });
});
