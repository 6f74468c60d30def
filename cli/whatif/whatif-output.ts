// whatif's results: the levers ranked by saving, for people (a table and the assumptions) and for programs (JSON).
import { usd } from '../../ledger/pricing/call-pricer.ts';
import { dollars, percent, plural } from '../format.ts';
import type { ReplayStats } from '../recording/replay.ts';
import type { Repricing, RunRepricing } from './repricing.ts';

export interface LeverResult {
  /** The lever's position in the repricing (its column in the runs). */
  index: number;
  id: string;
  label: string;
  assumption: string;
  usdBefore: number;
  usdAfter: number;
  saving: number;
  /** The saving over the spend as recorded (of the calls priced both ways). */
  share: number | undefined;
  savingPerTask: number | undefined;
  usdPerSuccessfulTaskBefore: number | undefined;
  usdPerSuccessfulTaskAfter: number | undefined;
  callsChanged: number;
  callsUnpricedAfter: number;
}

export interface WhatIf {
  repricing: Repricing;
  stats: ReplayStats;
  /** Ranked: the largest saving first. */
  levers: LeverResult[];
  notes: string[];
}

export function rankLevers(repricing: Repricing): LeverResult[] {
  const { tasks, successfulTasks } = repricing;
  const spendKnown = repricing.taskCallsUnpriced === 0;
  return repricing.levers
    .map((totals, index): LeverResult => {
      const saving = totals.usdBefore - totals.usdAfter;
      const perSuccessful = (spend: number) => (spendKnown && totals.callsUnpricedAfter === 0 && successfulTasks > 0 ? spend / successfulTasks : undefined);
      return {
        index,
        id: totals.lever.id,
        label: totals.lever.label,
        assumption: totals.lever.assumption,
        usdBefore: totals.usdBefore,
        usdAfter: totals.usdAfter,
        saving,
        share: totals.usdBefore > 0 ? saving / totals.usdBefore : undefined,
        savingPerTask: tasks > 0 ? (totals.taskUsdBefore - totals.taskUsdAfter) / tasks : undefined,
        usdPerSuccessfulTaskBefore: perSuccessful(totals.taskUsdBefore),
        usdPerSuccessfulTaskAfter: perSuccessful(totals.taskUsdAfter),
        callsChanged: totals.callsChanged,
        callsUnpricedAfter: totals.callsUnpricedAfter,
      };
    })
    .sort((a, b) => b.saving - a.saving);
}

/** The header every form shares: what was read, what it cost, what prices. */
export function whatifHeader(result: WhatIf): string[] {
  const { repricing, stats } = result;
  const lines = [
    `tokenledger whatif: ${plural(stats.files, 'file')}, ${plural(repricing.tasks, 'task')} (${repricing.successfulTasks} successful), ${plural(repricing.calls, 'LLM call')}, ${dollars(repricing.usdBefore)} as priced`,
    `Priced with ${[...repricing.priceData].join(', ') || 'no price data (no call could be priced)'}. Tokens are held constant: each lever re-prices the tokens the calls used; it does not run them again.`,
  ];
  if (repricing.pricedCalls < repricing.calls) {
    lines.push(
      `${plural(repricing.calls - repricing.pricedCalls, 'call')} could not be priced as recorded (usage or model unknown): left out of every sum; the runs they are in have no saving figure.`,
    );
  }
  if (repricing.callsPricedDifferently > 0) {
    lines.push(
      `${plural(repricing.callsPricedDifferently, 'call')} were recorded with another price than today's data gives: both sides of each saving use today's.`,
    );
  }
  return lines;
}

export function whatifText(result: WhatIf, runsListed: number): string {
  const lines = [...whatifHeader(result), ''];
  const rows = result.levers.map((lever, rank) => [
    `${rank + 1}.`,
    lever.label,
    dollars(lever.usdAfter),
    signed(lever.saving),
    lever.share === undefined ? '—' : percent(lever.share),
    lever.savingPerTask === undefined ? '—' : signed(lever.savingPerTask),
    `${dollars(lever.usdPerSuccessfulTaskBefore)} → ${dollars(lever.usdPerSuccessfulTaskAfter)}`,
    `${lever.callsChanged}${lever.callsUnpricedAfter > 0 ? ` (${lever.callsUnpricedAfter} unpriced)` : ''}`,
  ]);
  lines.push(...table(['', 'lever', 'spend', 'saving', 'share', 'per task', '$ per successful task', 'calls changed'], rows));
  lines.push('', 'Assumptions:');
  for (const lever of result.levers) lines.push(`- ${lever.label}: ${lever.assumption}.`);
  for (const note of result.notes) lines.push(`Note: ${note}.`);
  const tasks = result.repricing.runs.filter((run) => !run.nested).sort((a, b) => b.usdBefore - a.usdBefore);
  if (tasks.length > 0) {
    const byColumn = [...result.levers].sort((a, b) => a.index - b.index);
    lines.push('', `Savings per task, the ${Math.min(runsListed, tasks.length)} costliest of ${plural(tasks.length, 'task')}:`);
    const header = ['task (run id)', 'agent', 'outcome', 'spend', ...byColumn.map((lever) => short(lever.id))];
    const taskRows = tasks
      .slice(0, runsListed)
      .map((run) => [
        run.id,
        run.agent,
        run.success ? 'success' : 'failed',
        run.unpricedCalls > 0 ? `≥ ${dollars(run.usdBefore)}` : dollars(run.usdBefore),
        ...byColumn.map((lever) => runSaving(run, lever.index)),
      ]);
    lines.push(...table(header, taskRows));
  }
  return `${lines.join('\n')}\n`;
}

export function whatifJson(result: WhatIf): Record<string, unknown> {
  const { repricing } = result;
  const byColumn = [...result.levers].sort((a, b) => a.index - b.index);
  return {
    tokens_held_constant: true,
    files: result.stats.files,
    tasks: repricing.tasks,
    successful_tasks: repricing.successfulTasks,
    calls: repricing.calls,
    priced_calls: repricing.pricedCalls,
    usd: usd(repricing.usdBefore),
    price_data: [...repricing.priceData],
    levers: result.levers.map((lever) => ({
      lever: lever.id,
      label: lever.label,
      assumption: lever.assumption,
      usd_before: usd(lever.usdBefore),
      usd_after: usd(lever.usdAfter),
      saving_usd: usd(lever.saving),
      saving_share: lever.share ?? null,
      saving_per_task_usd: lever.savingPerTask === undefined ? null : usd(lever.savingPerTask),
      usd_per_successful_task_before: lever.usdPerSuccessfulTaskBefore === undefined ? null : usd(lever.usdPerSuccessfulTaskBefore),
      usd_per_successful_task_after: lever.usdPerSuccessfulTaskAfter === undefined ? null : usd(lever.usdPerSuccessfulTaskAfter),
      calls_changed: lever.callsChanged,
      calls_unpriced_after: lever.callsUnpricedAfter,
    })),
    runs: repricing.runs.map((run) => ({
      run_id: run.id,
      agent: run.agent,
      nested: run.nested,
      success: run.success,
      usd: run.unpricedCalls > 0 ? null : usd(run.usdBefore),
      unpriced_calls: run.unpricedCalls,
      savings_usd: Object.fromEntries(byColumn.map((lever) => [lever.id, run.unknown[lever.index] ? null : usd(run.usdBefore - run.usdAfter[lever.index]!)])),
    })),
    notes: result.notes,
  };
}

function runSaving(run: RunRepricing, index: number): string {
  return run.unknown[index] ? 'unknown' : signed(run.usdBefore - run.usdAfter[index]!);
}

/** A saving: negative when the lever costs more. */
function signed(value: number): string {
  return Math.abs(value) < 5e-11 ? dollars(0) : dollars(value);
}

function short(id: string): string {
  return id.replace(/_/g, ' ');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i <= 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
