// The gate's verdict for people (Markdown, for a terminal and $GITHUB_STEP_SUMMARY) and for programs (JSON).
import { usd } from '../../ledger/pricing/call-pricer.ts';
import { change, dollars, decimal, percent } from '../format.ts';
import type { GateCheck, GateCriteria, GateFigures, JudgedFigure, Verdict } from './verdict.ts';

const LABELS: Record<JudgedFigure, string> = {
  usd_per_successful_task: '$ per successful task',
  steps_per_task: 'steps per task',
  cache_hit_rate: 'cache hit rate',
};

const FORMATS: Record<JudgedFigure, (value: number | undefined) => string> = {
  usd_per_successful_task: dollars,
  steps_per_task: (value) => decimal(value),
  cache_hit_rate: (value) => percent(value),
};

const VALUES: Record<JudgedFigure, (figures: GateFigures) => number | undefined> = {
  usd_per_successful_task: (figures) => figures.usdPerSuccessfulTask,
  steps_per_task: (figures) => figures.stepsPerTask,
  cache_hit_rate: (figures) => figures.cacheHitRate,
};

/** `recording`: one sentence on what was read (spans, calls, whether sampled). */
export function gateMarkdown(figures: GateFigures, criteria: GateCriteria, verdict: Verdict, agent?: string, recording?: string): string {
  const pass = verdict.verdict === 'pass';
  const lines = [`## tokenledger cost gate${agent ? ` (${agent})` : ''}: ${pass ? '✅ pass' : '❌ fail'}`, ''];
  const base = criteria.baseline;
  lines.push(`| figure | this recording |${base ? ' baseline |' : ''} budget | |`);
  lines.push(`|---|---:|${base ? '---:|' : ''}---:|---|`);
  for (const figure of Object.keys(LABELS) as JudgedFigure[]) {
    const format = FORMATS[figure];
    const value = VALUES[figure](figures);
    const judged = verdict.checks.filter((check) => check.figure === figure);
    const baselineValue = base ? VALUES[figure](base) : undefined;
    const baselineCell = base
      ? ` ${format(baselineValue)}${value !== undefined && baselineValue !== undefined ? ` (${change(value, baselineValue)})` : ''} |`
      : '';
    const budget = figure === 'usd_per_successful_task' && criteria.maxUsdPerTask !== undefined ? dollars(criteria.maxUsdPerTask) : '—';
    lines.push(`| ${LABELS[figure]} | ${format(value)} |${baselineCell} ${budget} | ${mark(judged)} |`);
  }
  const taskCell = `${figures.tasks} (${figures.successfulTasks} successful, ${figures.failedTasks} failed)`;
  lines.push(`| tasks | ${taskCell} |${base ? ` ${base.tasks} |` : ''} at least ${criteria.minTasks} | ${figures.tasks >= criteria.minTasks ? '✅' : '❌'} |`);
  lines.push(`| spend | ${dollars(figures.usd)} |${base ? ` ${dollars(base.usd)} |` : ''} — | |`);
  if (verdict.reasons.length > 0) lines.push('', '**Why it fails:**', ...verdict.reasons.map((reason) => `- ${reason}`));
  if (verdict.warnings.length > 0) lines.push('', '**Warnings:**', ...verdict.warnings.map((warning) => `- ${warning}`));
  if (base) lines.push('', `Tolerance against the baseline: ${percent(criteria.tolerance, 0)}.`);
  if (recording) lines.push('', `Recording: ${recording}.`);
  return `${lines.join('\n')}\n`;
}

function mark(checks: GateCheck[]): string {
  if (checks.length === 0) return '';
  return checks.every((check) => check.pass) ? '✅' : '❌';
}

/** The verdict as JSON: `verdict`, `tasks`, `successful_tasks`, `usd_per_successful_task` and the rest. */
export function gateJson(figures: GateFigures, criteria: GateCriteria, verdict: Verdict, recording?: Record<string, unknown>): Record<string, unknown> {
  return {
    verdict: verdict.verdict,
    ...(recording ? { recording } : {}),
    reasons: verdict.reasons,
    warnings: verdict.warnings,
    ...figuresJson(figures),
    budget: criteria.maxUsdPerTask === undefined ? null : { max_usd_per_task: criteria.maxUsdPerTask },
    baseline: criteria.baseline ? figuresJson(criteria.baseline) : null,
    tolerance: criteria.tolerance,
    min_tasks: criteria.minTasks,
    checks: verdict.checks,
  };
}

function figuresJson(figures: GateFigures): Record<string, unknown> {
  return {
    tasks: figures.tasks,
    successful_tasks: figures.successfulTasks,
    failed_tasks: figures.failedTasks,
    incomplete_tasks: figures.incompleteTasks,
    usd: rounded(figures.usd),
    usd_per_successful_task: rounded(figures.usdPerSuccessfulTask),
    steps_per_task: figures.stepsPerTask ?? null,
    cache_hit_rate: figures.cacheHitRate ?? null,
    unpriced_calls: figures.unpricedCalls,
    unwhole_traces: figures.unwholeTraces,
    calls_outside_tasks: figures.callsOutsideTasks,
  };
}

/** USD rounded to 1e-10 as on spans (float noise off); unknown is null. */
function rounded(value: number | undefined): number | null {
  return value === undefined ? null : usd(value);
}
