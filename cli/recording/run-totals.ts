// Totals over a group of rolled-up runs (an agent's tasks, all tasks of a recording), summed from the run summaries
// the rollup made — no figure is worked out here that the rollup has not. The KPIs are taken as the PromQL of docs/runs.md
// takes them: $ per successful task = the spend of all tasks over the successful ones; cache hit rate = cache-read
// over all input tokens; token efficiency and step inflation = the mean over the runs that have one.
// Unknown stays unknown: a run with unpriced calls makes its group's cost a lower bound, and the figures that
// depend on it are reported as unknown (undefined), never as the sum of what is known.
import { RUN_COST_KEYS, RUN_TOKEN_KEYS, zeros, type RunCost, type RunTokens } from '../../runs/run-state.ts';
import type { RunSummary } from '../../runs/run-summary.ts';

export class RunTotals {
  runs = 0;
  successful = 0;
  /** Runs whose figures are lower bounds (spans lost, or a call's usage or cost unknown). */
  incomplete = 0;
  unpricedCalls = 0;
  steps = 0;
  failedCalls = 0;
  retries = 0;
  toolCalls = 0;
  toolErrors = 0;
  quadratic = 0;
  /** Sums by token type and total; NaN once a run left one unknown. */
  readonly tokens: RunTokens = zeros(RUN_TOKEN_KEYS) as RunTokens;
  /** Sums of the costs that are known (a lower bound when `unpricedCalls` > 0). */
  readonly cost: RunCost = zeros(RUN_COST_KEYS) as RunCost;
  private efficiencySum = 0;
  private efficiencyRuns = 0;
  private inflationSum = 0;
  private inflationRuns = 0;

  add(summary: RunSummary): void {
    this.runs += 1;
    if (summary.success) this.successful += 1;
    if (!summary.complete) this.incomplete += 1;
    this.unpricedCalls += summary.unpricedCalls;
    this.steps += summary.steps;
    this.failedCalls += summary.failedCalls;
    this.retries += summary.retries;
    this.toolCalls += summary.toolCalls;
    this.toolErrors += summary.toolErrors;
    if (summary.growth?.quadratic) this.quadratic += 1;
    for (const key of RUN_TOKEN_KEYS) this.tokens[key] += summary.tokens[key];
    for (const key of RUN_COST_KEYS) this.cost[key] += summary.cost[key];
    if (summary.tokenEfficiency !== undefined) {
      this.efficiencySum += summary.tokenEfficiency;
      this.efficiencyRuns += 1;
    }
    if (summary.stepInflation !== undefined) {
      this.inflationSum += summary.stepInflation;
      this.inflationRuns += 1;
    }
  }

  get failed(): number {
    return this.runs - this.successful;
  }

  /** Whether the spend is known: every call priced. */
  get costKnown(): boolean {
    return this.unpricedCalls === 0 && Number.isFinite(this.cost.total);
  }

  /** USD spent, when known. */
  get usd(): number | undefined {
    return this.costKnown ? this.cost.total : undefined;
  }

  /** The spend of all runs over the successful ones; undefined when the spend is unknown or none succeeded. */
  get usdPerSuccessfulRun(): number | undefined {
    return this.costKnown && this.successful > 0 ? this.cost.total / this.successful : undefined;
  }

  get stepsPerRun(): number | undefined {
    return this.runs > 0 ? this.steps / this.runs : undefined;
  }

  /** Cache-read input tokens over all input tokens; undefined when no input is known. */
  get cacheHitRate(): number | undefined {
    const { input, cache_read: cacheRead } = this.tokens;
    return input > 0 && Number.isFinite(cacheRead) ? cacheRead / input : undefined;
  }

  get tokenEfficiency(): number | undefined {
    return this.efficiencyRuns > 0 ? this.efficiencySum / this.efficiencyRuns : undefined;
  }

  get stepInflation(): number | undefined {
    return this.inflationRuns > 0 ? this.inflationSum / this.inflationRuns : undefined;
  }
}
