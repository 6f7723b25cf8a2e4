/**
 * The requests-over-capture-time chart: per-endpoint activity summed by report
 * status into a bounded number of bars, drawn as inline SVG (no chart library, no
 * network, printable). Colours come from the page's CSS classes, so the chart follows
 * the light and dark schemes.
 */
import type { Activity } from '../../infer/inventory.js';
import { STATUS_ORDER, type Report, type ReportStatus } from '../model.js';
import { escapeXml } from './escape.js';

/** Per-endpoint histograms keyed as the inventory is (host, method, template). */
export interface KeyedActivity {
  host: string;
  method: string;
  template: string;
  activity: Activity;
}

/** The chart's numbers: equal-width bins from `start`, requests per status in each. */
export interface ChartData {
  start: number;
  /** Bin width in seconds. */
  width: number;
  bins: Array<Partial<Record<ReportStatus, number>>>;
  totals: Partial<Record<ReportStatus, number>>;
}

// Bar widths a reader can name: seconds, minutes, hours, days.
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
  43200, 86400, 172800, 604800];

function niceWidth(min: number): number {
  for (const s of STEPS) if (s >= min) return s;
  return Math.ceil(min / 604800) * 604800;
}

/**
 * Sums the histograms by their endpoint's status into at most `maxBins` bins.
 * LIMITATION: a stored bucket wider than a bin is counted in the bin where it starts,
 * and captures far apart in time leave long empty stretches between their bars.
 */
export function chartData(report: Report, activity: readonly KeyedActivity[],
  maxBins: number): ChartData | null {
  const statusOf = new Map<string, ReportStatus>();
  for (const e of report.endpoints) {
    statusOf.set(e.host + '\0' + e.method + '\0' + e.template, e.status);
  }
  let lo = Infinity;
  let hi = -Infinity;
  let widest = 1;
  for (const a of activity) {
    for (const start of Object.keys(a.activity.buckets)) {
      lo = Math.min(lo, Number(start));
      hi = Math.max(hi, Number(start) + a.activity.width);
    }
    widest = Math.max(widest, a.activity.width);
  }
  if (lo === Infinity) return null;
  let width = niceWidth(Math.max(widest, (hi - lo) / Math.max(1, maxBins)));
  let start = Math.floor(lo / width) * width;
  while (Math.ceil((hi - start) / width) > maxBins) {
    width = niceWidth(width + 1);
    start = Math.floor(lo / width) * width;
  }
  const count = Math.max(1, Math.ceil((hi - start) / width));
  const bins: ChartData['bins'] = Array.from({ length: count }, () => ({}));
  const totals: ChartData['totals'] = {};
  for (const a of activity) {
    const status = statusOf.get(a.host + '\0' + a.method + '\0' + a.template);
    if (status === undefined) continue;
    for (const [s, n] of Object.entries(a.activity.buckets)) {
      const i = Math.min(count - 1, Math.floor((Number(s) - start) / width));
      const bin = bins[i]!;
      bin[status] = (bin[status] ?? 0) + n;
      totals[status] = (totals[status] ?? 0) + n;
    }
  }
  return { start, width, bins, totals };
}

function stamp(epoch: number, width: number): string {
  const iso = new Date(epoch * 1000).toISOString();
  if (width >= 86400) return iso.slice(0, 10);
  if (width >= 60) return iso.slice(5, 16).replace('T', ' ');
  return iso.slice(11, 19);
}

function niceMax(v: number): number {
  if (v <= 5) return Math.max(1, v);
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** The chart as an SVG element (a string of escaped markup), or a note when empty. */
export function renderChartSvg(d: ChartData | null): string {
  if (d === null) {
    return '<p class="empty">No activity recorded: replay captures with this version ' +
      'to see requests over time.</p>';
  }
  const W = 900;
  const H = 240;
  const left = 56;
  const right = 12;
  const top = 12;
  const bottom = 40;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const sums = d.bins.map((b) => Object.values(b).reduce((x, y) => x + (y ?? 0), 0));
  const max = niceMax(Math.max(1, ...sums));
  const barW = plotW / d.bins.length;
  const out: string[] = [];
  const summary = STATUS_ORDER.filter((s) => (d.totals[s] ?? 0) > 0)
    .map((s) => `${d.totals[s]} ${s}`).join(', ');
  out.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" ` +
    'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">');
  out.push('<title id="chart-title">Requests over capture time by status</title>');
  out.push(`<desc id="chart-desc">${escapeXml(
    `${d.bins.length} bars of ${d.width} s from ${stamp(d.start, 1)} UTC: ${summary}`)}</desc>`);
  // Five steps of a 1-2-2.5-5 maximum are whole numbers; a small maximum steps by one.
  const steps = max <= 5 ? max : 5;
  for (let i = 0; i <= steps; i++) {
    const v = (max * i) / steps;
    const y = top + plotH - (plotH * i) / steps;
    out.push(`<line class="grid" x1="${left}" x2="${W - right}" y1="${y}" y2="${y}"/>`);
    out.push(`<text class="axis" x="${left - 6}" y="${y + 4}" text-anchor="end">` +
      `${Number.isInteger(v) ? v : v.toFixed(1)}</text>`);
  }
  d.bins.forEach((bin, i) => {
    let y = top + plotH;
    const x = left + i * barW;
    const parts: string[] = [];
    for (const s of STATUS_ORDER) {
      const n = bin[s] ?? 0;
      if (n === 0) continue;
      const h = (plotH * n) / max;
      y -= h;
      parts.push(`${n} ${s}`);
      out.push(`<rect class="s-${s}" x="${(x + 0.5).toFixed(1)}" y="${y.toFixed(1)}" ` +
        `width="${Math.max(1, barW - 1).toFixed(1)}" height="${h.toFixed(1)}"/>`);
    }
    if (parts.length > 0) {
      const t = d.start + i * d.width;
      out.push(`<rect class="hit" x="${x.toFixed(1)}" y="${top}" width="${barW.toFixed(1)}" ` +
        `height="${plotH}"><title>${escapeXml(`${stamp(t, 1)}: ${parts.join(', ')}`)}` +
        '</title></rect>');
    }
  });
  const ticks = Math.min(6, d.bins.length);
  for (let k = 0; k < ticks; k++) {
    const i = Math.round((k * (d.bins.length - 1)) / Math.max(1, ticks - 1));
    const x = left + i * barW + barW / 2;
    out.push(`<text class="axis" x="${x.toFixed(1)}" y="${H - bottom + 16}" ` +
      `text-anchor="middle">${escapeXml(stamp(d.start + i * d.width, d.width))}</text>`);
  }
  out.push(`<text class="axis" x="${left + plotW / 2}" y="${H - 6}" text-anchor="middle">` +
    `capture time (UTC), ${escapeXml(String(d.width))} s per bar</text>`);
  out.push('</svg>');
  return out.join('');
}
