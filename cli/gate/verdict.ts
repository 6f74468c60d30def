// The gate's judgement, pure: the figures of a recording's tasks against a budget and/or a baseline. A figure it
// judges that is unknown (calls without a price, runs that could not be rolled up) fails the gate: a cost that is
// only a lower bound cannot be said to be within a budget.
import { usd } from '../../ledger/pricing/call-pricer.ts';
import { change, dollars, decimal, percent, plural } from '../format.ts';
import type { RecordingTotals } from '../recording/recording-totals.ts';
import type { ReplayStats } from '../recording/replay.ts';
import { SMALL_SAMPLE_TASKS } from './gate-settings.ts';

export interface GateFigures {
  tasks: number;
  successfulTasks: number;
  failedTasks: number;
  /** Tasks whose totals are lower bounds (tokenledger.run.complete = false). */
  incompleteTasks: number;
  /** All tasks' spend, when every call in them was priced. */
  usd: number | undefined;
  usdPerSuccessfulTask: number | undefined;
  stepsPerTask: number | undefined;
  cacheHitRate: number | undefined;
  /** Calls in the tasks without a price. */
  unpricedCalls: number;
  /** Traces with calls that could not be rolled up whole (root span never read, or cut by the limits). */
  unwholeTraces: number;
  /** Calls counted in no task, and what the priced ones cost. */
  callsOutsideTasks: number;
  usdOutsideTasks: number;
}

/** Dollars are compared as spans carry them, rounded to 1e-10: a sum's float noise never decides a verdict. */
const rounded = (value: number | undefined) => (value === undefined ? undefined : usd(value));

export function gateFigures(totals: RecordingTotals, stats: ReplayStats): GateFigures {
  const { tasks } = totals;
  return {
    tasks: tasks.runs,
    successfulTasks: tasks.successful,
    failedTasks: tasks.failed,
    incompleteTasks: tasks.incomplete,
    usd: rounded(tasks.usd),
    usdPerSuccessfulTask: rounded(tasks.usdPerSuccessfulRun),
    stepsPerTask: tasks.stepsPerRun,
    cacheHitRate: tasks.cacheHitRate,
    unpricedCalls: tasks.unpricedCalls,
    unwholeTraces: stats.unwholeTraces,
    callsOutsideTasks: totals.callsOutsideRuns,
    usdOutsideTasks: totals.costOutsideRuns,
  };
}

export interface GateCriteria {
  maxUsdPerTask?: number;
  baseline?: GateFigures;
  tolerance: number;
  minTasks: number;
}

export type JudgedFigure = 'usd_per_successful_task' | 'steps_per_task' | 'cache_hit_rate';

/** One comparison the gate made. */
export interface GateCheck {
  figure: JudgedFigure;
  against: 'budget' | 'baseline';
  value: number;
  /** The budget, or the baseline's figure. */
  reference: number;
  /** The worst value that passes. */
  limit: number;
  pass: boolean;
}

export interface Verdict {
  verdict: 'pass' | 'fail';
  reasons: string[];
  warnings: string[];
  checks: GateCheck[];
}

export function judge(figures: GateFigures, criteria: GateCriteria): Verdict {
  const reasons: string[] = [];
  const warnings: string[] = [];
  const checks: GateCheck[] = [];
  if (figures.tasks < criteria.minTasks) reasons.push(`${plural(figures.tasks, 'task')} recorded, fewer than --min-tasks ${criteria.minTasks}`);
  if (figures.unpricedCalls > 0) {
    reasons.push(`${plural(figures.unpricedCalls, 'call')} in the tasks could not be priced (unknown model or usage): $ per successful task is unknown`);
  }
  if (figures.unwholeTraces > 0) {
    reasons.push(
      `${plural(figures.unwholeTraces, 'trace')} could not be rolled up whole (its root span is missing, or the read limits cut it): their tasks are unknown`,
    );
  }
  if (figures.tasks > 0 && figures.successfulTasks === 0)
    reasons.push(`no task succeeded (${figures.failedTasks} failed): there is no cost per successful task`);

  const usd = figures.usdPerSuccessfulTask;
  if (criteria.maxUsdPerTask !== undefined && usd !== undefined) {
    const pass = usd <= criteria.maxUsdPerTask;
    checks.push({ figure: 'usd_per_successful_task', against: 'budget', value: usd, reference: criteria.maxUsdPerTask, limit: criteria.maxUsdPerTask, pass });
    if (!pass)
      reasons.push(`$ per successful task ${dollars(usd)} is over the budget of ${dollars(criteria.maxUsdPerTask)} (${change(usd, criteria.maxUsdPerTask)})`);
  }
  const base = criteria.baseline;
  if (base !== undefined) {
    const tolerance = criteria.tolerance;
    const allowed = `tolerance ${percent(tolerance, 0)}`;
    if (base.usdPerSuccessfulTask === undefined) {
      reasons.push(
        "the baseline's $ per successful task is unknown (calls without a price, runs not rolled up, or no successful task): nothing to compare with",
      );
    } else if (usd !== undefined) {
      const limit = base.usdPerSuccessfulTask * (1 + tolerance);
      const pass = usd <= limit;
      checks.push({ figure: 'usd_per_successful_task', against: 'baseline', value: usd, reference: base.usdPerSuccessfulTask, limit, pass });
      if (!pass)
        reasons.push(
          `$ per successful task ${dollars(usd)} is ${change(usd, base.usdPerSuccessfulTask)} against the baseline's ${dollars(base.usdPerSuccessfulTask)} (${allowed})`,
        );
    }
    if (figures.stepsPerTask !== undefined && base.stepsPerTask !== undefined) {
      const limit = base.stepsPerTask * (1 + tolerance);
      const pass = figures.stepsPerTask <= limit;
      checks.push({ figure: 'steps_per_task', against: 'baseline', value: figures.stepsPerTask, reference: base.stepsPerTask, limit, pass });
      if (!pass)
        reasons.push(
          `steps per task ${decimal(figures.stepsPerTask)} is ${change(figures.stepsPerTask, base.stepsPerTask)} against the baseline's ${decimal(base.stepsPerTask)} (${allowed})`,
        );
    }
    if (figures.cacheHitRate !== undefined && base.cacheHitRate !== undefined) {
      const limit = base.cacheHitRate * (1 - tolerance);
      const pass = figures.cacheHitRate >= limit;
      checks.push({ figure: 'cache_hit_rate', against: 'baseline', value: figures.cacheHitRate, reference: base.cacheHitRate, limit, pass });
      if (!pass)
        reasons.push(
          `cache hit rate ${percent(figures.cacheHitRate)} is ${change(figures.cacheHitRate, base.cacheHitRate)} against the baseline's ${percent(base.cacheHitRate)} (${allowed})`,
        );
    }
    if (base.tasks < SMALL_SAMPLE_TASKS)
      warnings.push(`the baseline has only ${plural(base.tasks, 'task')}: a comparison with fewer than ${SMALL_SAMPLE_TASKS} is noisy`);
  }

  if (figures.tasks < SMALL_SAMPLE_TASKS)
    warnings.push(`only ${plural(figures.tasks, 'task')}: a cost per task from fewer than ${SMALL_SAMPLE_TASKS} is noisy; record more for a firm verdict`);
  if (figures.failedTasks > 0) warnings.push(`${figures.failedTasks} of ${plural(figures.tasks, 'task')} failed; their spend counts in $ per successful task`);
  const incompleteOtherwise = figures.unpricedCalls > 0 ? 0 : figures.incompleteTasks;
  if (incompleteOtherwise > 0)
    warnings.push(`${plural(incompleteOtherwise, 'task')} lost spans when recorded (tokenledger.run.complete = false): their totals are lower bounds`);
  if (figures.callsOutsideTasks > 0) {
    warnings.push(
      `${plural(figures.callsOutsideTasks, 'LLM call')} (${dollars(figures.usdOutsideTasks)}) counted in no task: they are not in the figures above`,
    );
  }
  return { verdict: reasons.length === 0 ? 'pass' : 'fail', reasons, warnings, checks };
}
