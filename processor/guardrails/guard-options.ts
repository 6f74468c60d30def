// Guardrail configuration: budgets per run (defaults for every run, per agent name, or from the run API), the
// runaway-loop breaker's limits, and optional output token caps. Checked when configured, with messages that
// say which value is wrong: a budget of zero, a negative one or NaN never waits for the first call to fail.

import { positive } from '../../base/positive.ts';
import { validateBudget, type Budget, type GuardMode } from '../../instrumentation/common/budget.ts';

export type { Budget, GuardMode };
export { validateBudget };

/** The runaway-loop breaker's limits. */
export interface LoopLimits {
  /** The same tool with the same canonical arguments more than this many times in a run. Default 3. */
  maxRepeatedToolCalls: number;
  /** This many failed tool executions, or failed LLM calls, in a row. Default 5. */
  maxConsecutiveFailures: number;
  /** Steps above this multiple of the run's ideal steps (configured or learned). Default 3. */
  maxStepInflation: number;
}

/** The guardrails of one agent, by name. */
export interface AgentGuard {
  /** The budget of each of its runs that has none of its own. */
  budget?: Budget;
  /** `warn` or `enforce` for its runs. Default: the guardrails' mode. */
  mode?: GuardMode;
  /** Cap every call's output tokens at this (where the app sent no limit or a higher one). */
  maxOutputTokensCap?: number;
}

/**
 * Budgets per tenant: per value of an attribution key (a baggage entry copied onto the call's span, or onto a run
 * above it), over fixed windows of time. Every call of a tenant is checked against what the tenant spent in the
 * current window (calls that ended, plus what calls in flight reserved), whichever run it is in.
 */
export interface TenantBudgets {
  /** The attribution key whose value names the tenant, e.g. `tenant.id` (list it in the baggage keys too). */
  key: string;
  /** Budgets by tenant value. */
  budgets?: Record<string, Budget>;
  /** The budget of a tenant not listed in `budgets`. Default none (unlisted tenants are not limited). */
  default?: Budget;
  /** The window, in milliseconds, aligned to the Unix epoch (a UTC day by default); spend starts at 0 in each. */
  windowMs?: number;
  /** `warn` or `enforce` for tenant budgets. Default: the guardrails' mode. */
  mode?: GuardMode;
}

/** What the guardrails enforce: budgets, the runaway-loop breaker, output token caps, tenant budgets. */
export interface GuardrailOptions {
  /** `warn` (default): breaches are recorded and calls proceed; `enforce`: the call or tool is stopped. */
  mode?: GuardMode;
  /** The budget of every run that has none of its own. */
  defaults?: Budget;
  /** Budgets, modes and caps per agent name. */
  agents?: Record<string, AgentGuard>;
  /** The runaway-loop breaker, or false to turn it off. */
  loop?: Partial<LoopLimits> | false;
  /** An output token cap for every call (off by default: changing a request is an explicit choice). */
  maxOutputTokensCap?: number;
  /** Budgets per tenant over a window of time. Default none. */
  tenants?: TenantBudgets;
  /**
   * What a dollar budget does with a call it cannot price (an unknown model, a local server, usage missing): `allow`
   * (default) lets it run, records it on the run and warns once per run; `stop` fails closed: in enforce mode, no
   * call is sent once a run's spend cannot be known.
   */
  unknownCost?: UnknownCost;
}

/**
 * `allow`: a call whose cost cannot be known runs, recorded on its run; `stop`: in enforce mode, no call is sent once a
 * run's spend cannot be known.
 */
export type UnknownCost = 'allow' | 'stop';

export const DEFAULT_TENANT_WINDOW_MS = 86_400_000;

export const DEFAULT_LOOP_LIMITS: LoopLimits = { maxRepeatedToolCalls: 3, maxConsecutiveFailures: 5, maxStepInflation: 3 };

export interface ResolvedGuardrails {
  mode: GuardMode;
  defaults: Budget;
  agents: Record<string, AgentGuard>;
  loop: LoopLimits | undefined;
  maxOutputTokensCap?: number;
  tenants?: { key: string; budgets: Record<string, Budget>; default?: Budget; windowMs: number; mode: GuardMode };
  unknownCost: UnknownCost;
}

export function resolveGuardrails(options: GuardrailOptions = {}): ResolvedGuardrails {
  const mode = validateMode(options.mode ?? 'warn', 'guardrails.mode');
  const defaults = validateBudget(options.defaults ?? {}, 'guardrails.defaults');
  const agents: Record<string, AgentGuard> = {};
  for (const [name, agent] of Object.entries(options.agents ?? {})) {
    agents[name] = {
      budget: agent.budget ? validateBudget(agent.budget, `guardrails.agents.${name}.budget`) : undefined,
      mode: agent.mode ? validateMode(agent.mode, `guardrails.agents.${name}.mode`) : undefined,
      maxOutputTokensCap:
        agent.maxOutputTokensCap === undefined ? undefined : positive(agent.maxOutputTokensCap, `guardrails.agents.${name}.maxOutputTokensCap`, true),
    };
  }
  let loop: LoopLimits | undefined;
  if (options.loop !== false) {
    loop = { ...DEFAULT_LOOP_LIMITS, ...(options.loop ?? {}) };
    for (const [key, value] of Object.entries(loop)) positive(value, `guardrails.loop.${key}`, key !== 'maxStepInflation');
  }
  const cap = options.maxOutputTokensCap === undefined ? undefined : positive(options.maxOutputTokensCap, 'guardrails.maxOutputTokensCap', true);
  const unknownCost = options.unknownCost ?? 'allow';
  if (unknownCost !== 'allow' && unknownCost !== 'stop')
    throw new Error(`tokenledger: guardrails.unknownCost must be "allow" or "stop", got ${String(unknownCost)}`);
  return { mode, defaults, agents, loop, maxOutputTokensCap: cap, tenants: resolveTenants(options.tenants, mode), unknownCost };
}

function resolveTenants(tenants: TenantBudgets | undefined, mode: GuardMode): ResolvedGuardrails['tenants'] {
  if (tenants === undefined) return undefined;
  if (typeof tenants.key !== 'string' || tenants.key.trim() === '')
    throw new Error(`tokenledger: guardrails.tenants.key must name an attribution key, got ${String(tenants.key)}`);
  const budgets: Record<string, Budget> = {};
  for (const [tenant, budget] of Object.entries(tenants.budgets ?? {})) budgets[tenant] = validateBudget(budget, `guardrails.tenants.budgets.${tenant}`);
  return {
    key: tenants.key.trim(),
    budgets,
    default: tenants.default ? validateBudget(tenants.default, 'guardrails.tenants.default') : undefined,
    windowMs: tenants.windowMs === undefined ? DEFAULT_TENANT_WINDOW_MS : positive(tenants.windowMs, 'guardrails.tenants.windowMs', true),
    mode: tenants.mode ? validateMode(tenants.mode, 'guardrails.tenants.mode') : mode,
  };
}

function validateMode(mode: unknown, where: string): GuardMode {
  if (mode !== 'enforce' && mode !== 'warn') throw new Error(`tokenledger: ${where} must be "enforce" or "warn", got ${String(mode)}`);
  return mode;
}
