// Run budgets, shared by the run API (which puts them on the run span) and the processor's guardrails (which
// enforce them). Checked when configured: a budget of zero, a negative one or NaN is an error at once.
import { positive } from '../../base/positive.ts';

/** `enforce`: a call or tool that would break a limit is stopped with a typed error; `warn`: it is recorded only. */
export type GuardMode = 'enforce' | 'warn';

/** A run's (or a tenant's) budget: each limit positive, any of them optional. */
export interface Budget {
  /** Spend in USD. */
  maxUsd?: number;
  /** LLM calls. */
  maxSteps?: number;
  /** Input tokens, all of them (cache reads and writes included). */
  maxInputTokens?: number;
  /** Output tokens, reasoning included. */
  maxOutputTokens?: number;
}

export function validateBudget(budget: Budget, where: string): Budget {
  const checked: Budget = {};
  if (budget.maxUsd !== undefined) checked.maxUsd = positive(budget.maxUsd, `${where}.maxUsd`, false);
  if (budget.maxSteps !== undefined) checked.maxSteps = positive(budget.maxSteps, `${where}.maxSteps`, true);
  if (budget.maxInputTokens !== undefined) checked.maxInputTokens = positive(budget.maxInputTokens, `${where}.maxInputTokens`, true);
  if (budget.maxOutputTokens !== undefined) checked.maxOutputTokens = positive(budget.maxOutputTokens, `${where}.maxOutputTokens`, true);
  return checked;
}
