// Run budgets, shared by the run API (which puts them on the run span) and the processor's guardrails (which
// enforce them). Checked when configured: a budget of zero, a negative one or NaN is an error at once.
import { positive } from '../../base/positive.ts';

export type GuardMode = 'enforce' | 'warn';

export interface Budget {
  maxUsd?: number;
  maxSteps?: number;
  maxInputTokens?: number;
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
