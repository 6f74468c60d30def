// The errors a guardrail in enforce mode throws into the app, so it can stop and return its best answer so far.
// Their `name` is stable, for apps that check it instead of `instanceof` (two copies of tokenledger, ESM and
// CJS, have two classes).

/** The budget limit a call would break: a run's, or a tenant's (`tenant_*`). */
export type BudgetLimit =
  | 'max_usd'
  | 'max_steps'
  | 'max_input_tokens'
  | 'max_output_tokens'
  | 'unknown_cost'
  | 'tenant_max_usd'
  | 'tenant_max_steps'
  | 'tenant_max_input_tokens'
  | 'tenant_max_output_tokens';
/** The limit of the runaway-loop breaker that tripped. */
export type LoopLimit = 'repeated_tool_call' | 'consecutive_failures' | 'step_inflation';

/** Thrown in enforce mode instead of sending a call that would break a run's or a tenant's budget. */
export class BudgetExceededError extends Error {
  /** Stable, for apps that check the name instead of `instanceof`. */
  override readonly name = 'BudgetExceededError';
  /** Which limit the call would break. */
  readonly limit: BudgetLimit;
  /** What the run had spent (USD, steps or tokens, as the limit counts) before this call. */
  readonly spent: number;
  /** The conservative estimate of what this call would add. */
  readonly estimate: number;
  /** The limit's value. */
  readonly max: number;
  /** The run whose budget it is (its span id); for a tenant budget, the innermost run of the call ('' outside runs). */
  readonly runId: string;
  /** For a tenant budget (`tenant_max_*`): the tenant, and `spent` is its spend in the current window. */
  readonly tenant: string | undefined;

  constructor(limit: BudgetLimit, spent: number, estimate: number, max: number, runId: string, tenant?: string) {
    const whose = tenant === undefined ? `run ${runId}` : `tenant ${tenant}`;
    super(`${whose}: ${limit} budget of ${max} would be exceeded (spent ${round(spent)}, this call ~${round(estimate)})`);
    this.limit = limit;
    this.spent = spent;
    this.estimate = estimate;
    this.max = max;
    this.runId = runId;
    this.tenant = tenant;
  }
}

/** Thrown in enforce mode instead of a call or tool execution when the runaway-loop breaker trips. */
export class RunawayLoopError extends Error {
  /** Stable, for apps that check the name instead of `instanceof`. */
  override readonly name = 'RunawayLoopError';
  /** Which limit tripped. */
  readonly limit: LoopLimit;
  /** The count that tripped the breaker (repeats, consecutive failures, or steps). */
  readonly observed: number;
  /** The limit's value. */
  readonly max: number;
  /** The run whose loop it is (its span id). */
  readonly runId: string;

  constructor(limit: LoopLimit, observed: number, max: number, runId: string) {
    super(`run ${runId}: runaway loop stopped: ${limit} ${observed} > ${max}`);
    this.limit = limit;
    this.observed = observed;
    this.max = max;
    this.runId = runId;
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
