// The report as one HTML file: inline CSS and SVG, no script and no external resource (its Content-Security-Policy
// forbids loading any), so it opens offline, attaches to a ticket, and renders the same everywhere.
import { dollars, plural } from '../format.ts';
import type { RecordingFacts } from '../recording/recording-facts.ts';
import type { RecordingTotals } from '../recording/recording-totals.ts';
import type { ReplayStats } from '../recording/replay.ts';
import type { WhatIf } from '../whatif/whatif-output.ts';
import { agentSection } from './agent-section.ts';
import { escapeHtml } from './html.ts';
import { leverSection } from './lever-section.ts';
import type { Reconciliation } from '../reconcile/reconciliation.ts';
import { reconcileSection } from './reconcile-section.ts';
import type { ShownRun } from './report-runs.ts';
import { runSection } from './run-section.ts';
import { waterfallLegend } from './waterfall.ts';

export interface ReportContent {
  title: string;
  files: readonly string[];
  stats: ReplayStats;
  totals: RecordingTotals;
  /** What the recording says about itself (its sampler, what was left out). */
  facts?: RecordingFacts;
  /** The recording beside the bill, when the bill's files were given. */
  reconciliation?: Reconciliation;
  runs: ShownRun[];
  levers: WhatIf;
  maxUsdPerTask?: number;
  runsLimit: number;
}

export function reportPage(content: ReportContent): string {
  const { stats, totals } = content;
  const period = Number.isFinite(stats.firstStartMs)
    ? `${new Date(stats.firstStartMs).toISOString().replace('.000Z', 'Z')} – ${new Date(stats.lastEndMs).toISOString().replace('.000Z', 'Z')}`
    : 'no spans';
  const summary = [
    plural(totals.tasks.runs, 'task'),
    `${totals.tasks.successful} successful`,
    `${totals.tasks.costKnown ? '' : '≥ '}${dollars(totals.tasks.cost.total)} spent in tasks`,
    plural(stats.calls, 'LLM call'),
    plural(stats.spans, 'span'),
    period,
  ];
  const shownTasks = content.runs.length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(content.title)}</h1>
<p class="facts">${summary.join(' · ')}</p>
<p class="muted">read from ${content.files.map(escapeHtml).join(', ')}; priced with ${escapeHtml([...totals.priceData].join(', ') || '—')}</p>
${content.facts ? `<p class="muted recording-facts">${escapeHtml(content.facts.summary(stats))}</p>` : ''}
${warnings(content)}</header>
<main>
<h2>Agents</h2>
${totals.agents.map((group) => agentSection(group, content.maxUsdPerTask)).join('\n') || '<p>No runs in these recordings.</p>'}
${leverSection(content.levers)}
${content.reconciliation ? reconcileSection(content.reconciliation) : ''}
<h2>Tasks step by step</h2>
<p class="muted">${shownTasks < totals.tasks.runs ? `The ${content.runsLimit} costliest tasks and up to ${content.runsLimit} failed ones, ${shownTasks} of ${totals.tasks.runs}.` : `Every task.`} Each bar is one LLM call, in the order the calls ended, stacked by token type.</p>
${waterfallLegend()}
${content.runs.map(runSection).join('\n')}
</main>
<footer>tokenledger report · every figure from tokenledger's rollup of the recorded spans</footer>
</body></html>
`;
}

function warnings(content: ReportContent): string {
  const { stats, totals } = content;
  const items: string[] = [];
  if (totals.tasks.unpricedCalls > 0)
    items.push(`${plural(totals.tasks.unpricedCalls, 'call')} in tasks could not be priced (unknown model or usage): the spends shown are lower bounds.`);
  if (stats.unwholeTraces > 0)
    items.push(
      `${plural(stats.unwholeTraces, 'trace')} could not be rolled up whole (the root span is missing, or the read limits cut it): their runs are not shown.`,
    );
  if (totals.callsOutsideRuns > 0)
    items.push(
      `${plural(totals.callsOutsideRuns, 'LLM call')} (${dollars(totals.costOutsideRuns)}${totals.unpricedOutsideRuns > 0 ? ' and unpriced ones' : ''}) counted in no run.`,
    );
  if (content.facts?.sampled === 'yes')
    items.push('The recording is sampled: spends, task counts and calls describe the spans kept, not every call (see the line above).');
  if (stats.duplicateSpans > 0) items.push(`${plural(stats.duplicateSpans, 'span')} appeared twice and were read once.`);
  if (items.length === 0) return '';
  return `<ul class="warnings">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2433; --muted: #647087; --line: #e3e7ef; --good: #2f8f4e; --bad: #c23b3b; --warn: #b7791f; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f7fb; }
header, main, footer { max-width: 1080px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 0 0 4px; }
section > h2:first-child { margin-top: 0; }
.facts { margin: 2px 0; }
.muted, .run-id { color: var(--muted); font-weight: normal; font-size: 12px; }
.warnings { background: #fff6e5; border: 1px solid #f1d19b; border-radius: 6px; padding: 8px 12px 8px 28px; color: #7a4d00; }
section.agent, section.run, section.levers, section.reconcile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 0 0 14px; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 10px 0; }
.kpi { border: 1px solid var(--line); border-left: 4px solid var(--muted); border-radius: 6px; padding: 8px 10px; }
.kpi.meets { border-left-color: var(--good); }
.kpi.misses { border-left-color: var(--bad); }
.kpi-label { color: var(--muted); font-size: 12px; }
.kpi-value { font-size: 20px; font-weight: 600; }
.kpi-target { font-size: 12px; color: var(--muted); }
.kpi.meets .kpi-target { color: var(--good); }
.kpi.misses .kpi-target { color: var(--bad); }
.cost-types-title { color: var(--muted); font-size: 12px; margin-bottom: 4px; }
svg { max-width: 100%; height: auto; display: block; }
.legend { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.swatch.hatch { background: repeating-linear-gradient(45deg, #555 0 2px, #fff 2px 5px); }
.swatch.line { height: 2px; background: var(--ink); vertical-align: 3px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 9px; background: #e8ecf5; color: var(--muted); }
.badge.ok { background: #e3f4e8; color: var(--good); }
.badge.bad { background: #fbe6e6; color: var(--bad); }
.flag { display: inline-block; font-size: 12px; padding: 1px 7px; border-radius: 4px; background: #fff1de; color: #8a5200; margin-right: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; margin-top: 6px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; white-space: nowrap; }
th:nth-child(2), td:nth-child(2), .levers td:nth-child(2), .levers th:nth-child(2) { text-align: left; }
.levers td:nth-child(2) { white-space: normal; }
details { margin-top: 6px; }
summary { cursor: pointer; color: var(--muted); font-size: 12px; }
.waterfall .grid { stroke: var(--line); }
.waterfall .axis { fill: var(--muted); font-size: 11px; }
.waterfall .growth { fill: none; stroke: var(--ink); stroke-width: 1.6; }
.waterfall .growth-dot { fill: var(--ink); }
.waterfall .unknown-bar { fill: none; stroke: var(--muted); stroke-dasharray: 3 3; }
.waterfall .bust { stroke: var(--bad); stroke-dasharray: 4 3; }
.mark { font-size: 12px; font-weight: 700; fill: var(--ink); }
.mark.failed { fill: var(--bad); color: var(--bad); }
.mark.unpriced { fill: var(--warn); color: var(--warn); }
.mark.bust { fill: var(--bad); color: var(--bad); font-weight: 400; font-size: 10px; }
footer { color: var(--muted); font-size: 12px; padding: 10px 24px 30px; }
`;
