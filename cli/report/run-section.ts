// One task: what the rollup says of it (outcome, steps, spend, KPIs, context growth), its waterfall, and its steps
// as a table with every figure.
import { SUBSET_ROWS, TOKEN_PART_ROWS } from '../../ledger/token-types.ts';
import { count, decimal, dollars, percent, plural } from '../format.ts';
import { dataAttributes, escapeHtml, typeLabel } from './html.ts';
import type { ShownRun, Step } from './report-runs.ts';
import { waterfall } from './waterfall.ts';

export function runSection(run: ShownRun): string {
  const { summary } = run;
  const flags: string[] = [];
  if (summary.growth?.quadratic) flags.push(`<span class="flag">quadratic context growth: +${count(summary.growth.tokensPerStep)} input tokens a step</span>`);
  if (summary.retries > 0) flags.push(`<span class="flag">${plural(summary.retries, 'retry', 'retries')}</span>`);
  if (summary.failedCalls > 0) flags.push(`<span class="flag">${plural(summary.failedCalls, 'failed call')}</span>`);
  if (summary.unpricedCalls > 0) flags.push(`<span class="flag">${plural(summary.unpricedCalls, 'unpriced call')}: the spend is a lower bound</span>`);
  const busts = run.steps.filter((step) => step.cacheBust).length;
  if (busts > 0) flags.push(`<span class="flag">${plural(busts, 'cache bust')}</span>`);
  if (!summary.complete && summary.unpricedCalls === 0) flags.push('<span class="flag">incomplete: spans were lost when recorded</span>');
  const facts = [
    `${plural(summary.steps, 'step')}${summary.idealSteps !== undefined ? ` (ideal ${summary.idealSteps})` : ''}`,
    `${plural(summary.toolCalls, 'tool call')}${summary.toolErrors > 0 ? ` (${summary.toolErrors} failed)` : ''}`,
    `${summary.unpricedCalls > 0 ? '≥ ' : ''}${dollars(summary.cost.total)}`,
    `cache hit rate ${percent(summary.cacheHitRate)}`,
    `token efficiency ${decimal(summary.tokenEfficiency, 3)}`,
    `step inflation ${decimal(summary.stepInflation)}`,
  ];
  if (summary.growth) facts.push(`context growth ${summary.growth.tokensPerStep >= 0 ? '+' : ''}${count(summary.growth.tokensPerStep)} tokens a step`);
  const nested =
    run.nestedAgents.size > 0 ? ` <span class="muted">with ${[...new Set(run.nestedAgents.values())].map(escapeHtml).join(', ')} nested</span>` : '';
  return `<section class="run"${dataAttributes({
    'run-id': summary.id,
    agent: summary.agentName,
    success: summary.success,
    steps: summary.steps,
    usd: summary.cost.total,
    'cache-hit-rate': summary.cacheHitRate,
    'token-efficiency': summary.tokenEfficiency,
    'step-inflation': summary.stepInflation,
    'tokens-per-step': summary.growth?.tokensPerStep,
    quadratic: summary.growth?.quadratic,
    retries: summary.retries,
    'failed-calls': summary.failedCalls,
    'unpriced-calls': summary.unpricedCalls,
  })}>
<h3>${escapeHtml(summary.agentName)} <span class="badge ${summary.success ? 'ok' : 'bad'}">${summary.success ? 'success' : 'failed'}</span> <span class="run-id">run ${escapeHtml(summary.id)} · trace ${escapeHtml(run.traceId)}</span>${nested}</h3>
<p class="facts">${facts.join(' · ')}</p>
${flags.length > 0 ? `<p class="flags">${flags.join(' ')}</p>` : ''}
${waterfall(run)}
${stepTable(run)}
</section>`;
}

function stepTable(run: ShownRun): string {
  const showAgent = run.nestedAgents.size > 0;
  const columns = [...TOKEN_PART_ROWS, ...SUBSET_ROWS];
  const head = ['step', ...(showAgent ? ['agent'] : []), 'model', ...columns.map((row) => typeLabel(row.id)), 'cost', 'notes'];
  const rows = run.steps.map((step) => stepRow(step, showAgent, columns));
  return `<details class="steps"><summary>the ${plural(run.steps.length, 'step')} as figures</summary>
<table><thead><tr>${head.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function stepRow(step: Step, showAgent: boolean, columns: typeof TOKEN_PART_ROWS): string {
  const { call } = step;
  const tokens = call.figures.tokens;
  const notes: string[] = [];
  if (call.figures.failed) notes.push('failed');
  if (step.retry) notes.push('retry');
  if (step.cacheBust) notes.push('cache bust');
  if (!tokens) notes.push(`tokens unknown (${call.usageUnknownReason ?? 'usage_missing'})`);
  if (!call.figures.cost) notes.push(`unpriced (${call.costUnknownReason ?? 'usage_unknown'})`);
  const model = call.description.responseModel ?? call.description.requestModel ?? '';
  const cells = [
    String(step.index),
    ...(showAgent ? [escapeHtml(step.agent)] : []),
    escapeHtml(model),
    ...columns.map((row) => count(tokens?.[row.id])),
    call.figures.cost ? dollars(call.figures.cost.total) : 'unknown',
    escapeHtml(notes.join(', ')),
  ];
  const data: Record<string, string | number | boolean | undefined> = {
    step: step.index,
    'run-id': step.runId,
    input: tokens?.input,
    output: tokens?.output,
    usd: call.figures.cost?.total,
    failed: call.figures.failed,
    retry: step.retry,
    'cache-bust': step.cacheBust,
    'prefix-hash': call.prefixHash,
  };
  for (const row of columns) data[`tokens-${row.id.replace(/_/g, '-')}`] = tokens?.[row.id];
  return `<tr class="step"${dataAttributes(data)}>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}
