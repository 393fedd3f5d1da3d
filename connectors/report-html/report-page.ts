/**
 * `winfix report --html FILE`: one self-contained page. Chart.js (UMD build) is inlined, the report's
 * figures are embedded as JSON, nothing is fetched. Charts: resolution funnel, top codes, step success
 * per code. `window.winfixCharts` exposes the chart instances (the browser test reads their data).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../storage/report-queries';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a <script> element (no "</script>" or "<!--" can close it). */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** The figures the charts draw, computed here so the test can compare them with the report. */
export function chartData(r: Report) {
  const topCodes = [...r.codes].sort((a, b) => b.cases - a.cases).slice(0, 10);
  const steps = r.steps.slice(0, 20);
  return {
    funnel: {
      labels: ['Closed', 'Resolved by the bot', 'Handed off', 'Abandoned'],
      values: [r.cases.opened, r.cases.resolved, r.cases.handedOff, r.cases.abandoned],
    },
    codes: {
      labels: topCodes.map((c) => `${c.code ?? '(no code)'} ${c.context ?? ''}`.trim()),
      cases: topCodes.map((c) => c.cases),
      resolved: topCodes.map((c) => c.resolved),
    },
    steps: {
      labels: steps.map((s) => `${s.code ?? '(no code)'} · ${s.stepId}`),
      fixed: steps.map((s) => s.fixed),
      didntHelp: steps.map((s) => s.didntHelp),
      skipped: steps.map((s) => s.skipped),
    },
  };
}

const DRAW = `
const d = JSON.parse(document.getElementById('figures').textContent);
const opts = (stacked) => ({ animation: false, responsive: false, scales: { x: { stacked }, y: { stacked, beginAtZero: true } } });
window.winfixCharts = {
  funnel: new Chart(document.getElementById('funnel'), { type: 'bar', options: opts(false),
    data: { labels: d.funnel.labels, datasets: [{ label: 'Cases', data: d.funnel.values, backgroundColor: ['#64748b', '#16a34a', '#f59e0b', '#dc2626'] }] } }),
  codes: new Chart(document.getElementById('codes'), { type: 'bar', options: opts(false),
    data: { labels: d.codes.labels, datasets: [
      { label: 'Cases', data: d.codes.cases, backgroundColor: '#94a3b8' },
      { label: 'Resolved by the bot', data: d.codes.resolved, backgroundColor: '#16a34a' } ] } }),
  steps: new Chart(document.getElementById('steps'), { type: 'bar', options: { ...opts(true), indexAxis: 'y' },
    data: { labels: d.steps.labels, datasets: [
      { label: 'Fixed it', data: d.steps.fixed, backgroundColor: '#16a34a' },
      { label: "Didn't help", data: d.steps.didntHelp, backgroundColor: '#dc2626' },
      { label: 'Skipped', data: d.steps.skipped, backgroundColor: '#cbd5e1' } ] } }),
};
document.body.dataset.drawn = 'yes';
`;

export function reportPage(
  r: Report,
  chartJsSource = readFileSync(
    path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
    'utf8',
  ),
): string {
  const rr = r.remoteRuns;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>winfix report since ${escapeHtml(r.since)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#0f172a}section{margin-bottom:28px}h2{font-size:1.1rem}</style>
</head><body>
<h1>winfix report</h1>
<p>Since ${escapeHtml(r.since)}: ${r.cases.opened} cases closed, ${r.cases.resolved} resolved by the bot, ${r.cases.handedOff} handed off, ${r.cases.abandoned} abandoned.
Remote runs: ${rr.requested} requested, ${rr.approved} approved, ${rr.rejected} rejected, ${rr.expired} expired, ${rr.succeeded} succeeded, ${rr.failed} failed.
Tickets on hand-off: ${r.tickets.opened} opened, ${r.tickets.noted} notes added, ${r.tickets.failed} given up, ${r.tickets.waiting} waiting${r.tickets.recent.length > 0 ? ` (latest: ${escapeHtml(r.tickets.recent.map((x) => x.number).join(', '))})` : ''}.</p>
<section><h2>Resolution funnel</h2><canvas id="funnel" width="640" height="260"></canvas></section>
<section><h2>Top error codes</h2><canvas id="codes" width="640" height="260"></canvas></section>
<section><h2>Step success per code</h2><canvas id="steps" width="640" height="320"></canvas></section>
<script id="figures" type="application/json">${scriptJson(chartData(r))}</script>
<script>${chartJsSource.replace(/<\/script/gi, '<\\/script')}</script>
<script>${DRAW}</script>
</body></html>
`;
}
