// Per agent: its four KPIs against their targets, its counts, and what its spend went on by token type (the parts of
// the token-type table, which add up to the spend; the subsets said beside them).
import { PART_ROWS, SUBSET_ROWS, TOKEN_TYPES } from '../../ledger/token-types.ts';
import { count, decimal, dollars, percent, plural } from '../format.ts';
import type { AgentTotals } from '../recording/recording-totals.ts';
import type { RunTotals } from '../recording/run-totals.ts';
import { colourOf, dataAttributes, escapeHtml, typeLabel } from './html.ts';
import { kpiTargets, meetsTarget, type KpiId, type KpiTarget } from './kpi-targets.ts';

const KPI_VALUES: Record<KpiId, (totals: RunTotals) => number | undefined> = {
  usd_per_successful_task: (totals) => totals.usdPerSuccessfulRun,
  cache_hit_rate: (totals) => totals.cacheHitRate,
  token_efficiency: (totals) => totals.tokenEfficiency,
  step_inflation: (totals) => totals.stepInflation,
};

const KPI_FORMATS: Record<KpiId, (value: number | undefined) => string> = {
  usd_per_successful_task: dollars,
  cache_hit_rate: (value) => percent(value),
  token_efficiency: (value) => decimal(value, 3),
  step_inflation: (value) => decimal(value, 2),
};

export function agentSection(group: AgentTotals, maxUsdPerTask: number | undefined): string {
  const { totals } = group;
  const what = group.nested ? 'nested run' : 'task';
  const facts = [
    plural(totals.runs, what),
    `${totals.successful} successful`,
    `${totals.failed} failed`,
    `${decimal(totals.stepsPerRun)} steps per ${what}`,
    `${totals.costKnown ? '' : '≥ '}${dollars(totals.cost.total)} spent`,
  ];
  if (totals.unpricedCalls > 0) facts.push(`<span class="flag">${plural(totals.unpricedCalls, 'call')} unpriced</span>`);
  const tiles = kpiTargets(maxUsdPerTask).map((kpi) => kpiTile(kpi, group, KPI_VALUES[kpi.id](totals)));
  return `<section class="agent"${dataAttributes({ agent: group.agent, nested: group.nested, tasks: totals.runs, successful: totals.successful, usd: totals.usd })}>
<h3>${escapeHtml(group.agent)}${group.nested ? ' <span class="badge">sub-agent</span>' : ''}</h3>
<p class="facts">${facts.join(' · ')}</p>
<div class="kpis">${tiles.join('')}</div>
${costByType(totals)}
</section>`;
}

function kpiTile(kpi: KpiTarget, group: AgentTotals, value: number | undefined): string {
  const meets = meetsTarget(kpi, value);
  const state = meets === undefined ? 'unknown' : meets ? 'meets' : 'misses';
  const format = KPI_FORMATS[kpi.id];
  const label = group.nested && kpi.id === 'usd_per_successful_task' ? '$ per successful run' : kpi.label;
  let target: string;
  if (kpi.target === undefined) target = 'no target (--max-usd-per-task)';
  else target = `target ${kpi.better === 'above' ? '≥' : '≤'} ${format(kpi.target)}${value === undefined ? '' : meets ? ' · meets' : ' · misses'}`;
  return `<div class="kpi ${state}"${dataAttributes({ kpi: kpi.id, agent: group.agent, nested: group.nested, value })} title="${escapeHtml(kpi.meaning)}">
<div class="kpi-label">${escapeHtml(label)}</div><div class="kpi-value">${format(value)}</div><div class="kpi-target">${escapeHtml(target)}</div></div>`;
}

function costByType(totals: RunTotals): string {
  const total = totals.cost.total;
  const width = 640;
  let x = 0;
  const bars: string[] = [];
  const legend: string[] = [];
  for (const row of PART_ROWS) {
    const amount = totals.cost[row.id];
    const colour = colourOf(TOKEN_TYPES.indexOf(row));
    const share = total > 0 && Number.isFinite(amount) ? amount / total : 0;
    const w = share * width;
    if (w > 0)
      bars.push(
        `<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="22" fill="${colour}"><title>${typeLabel(row.id)}: ${dollars(amount)} (${percent(share)})</title></rect>`,
      );
    x += w;
    const tokens = row.id in totals.tokens ? ` · ${count(totals.tokens[row.id as keyof typeof totals.tokens])} tokens` : '';
    legend.push(
      `<li${dataAttributes({ type: row.id, usd: amount })}><span class="swatch" style="background:${colour}"></span>${typeLabel(row.id)} <b>${dollars(amount)}</b> <span class="muted">${percent(share)}${tokens}</span></li>`,
    );
  }
  const subsets = SUBSET_ROWS.map(
    (row) =>
      `<li${dataAttributes({ type: row.id, usd: totals.cost[row.id] })}><span class="swatch" style="background:${colourOf(TOKEN_TYPES.indexOf(row))}"></span>of which ${typeLabel(row.id)} <b>${dollars(totals.cost[row.id])}</b> <span class="muted">(inside ${typeLabel(row.of ?? '')})</span></li>`,
  );
  return `<div class="cost-types"><div class="cost-types-title">cost by token type</div>
<svg class="cost-bar" viewBox="0 0 ${width} 22" width="${width}" height="22" role="img" aria-label="cost by token type">${bars.join('')}</svg>
<ul class="legend">${legend.join('')}${subsets.join('')}</ul></div>`;
}
