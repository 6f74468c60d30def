// Guardrails on the runs the span ledger tracks: the call gate the instrumentation asks before each LLM call and
// tool execution, and the ledger's run observer. A call is judged against every run above it (a sub-agent's spend
// counts toward its parents' budgets) by what each run has spent, plus what calls in flight have reserved, plus a
// conservative estimate of this call (its prompt at the input rate, its output limit at the output rate). An
// allowed call reserves its estimate until it ends, so two parallel calls cannot both slip under a budget that only
// one of them fits. In enforce mode a breach throws a typed error into the app; in warn mode it becomes a span event
// and a count. Tenant budgets (guardrails.tenants) work the same way across runs: a tenant's calls are checked
// against what it spent in the current window plus what its calls in flight reserved.
//
// State: everything the guard keeps of a run (budget, reserved estimates, breaches, failure streaks, tool repeats,
// the run's span for events) lives in `guarded`, keyed by the run, and goes when the ledger says the run closed. A
// reservation goes when its call's span ends, whatever ended it, or when its innermost run closes; reservations of
// calls outside every run (tenant budgets) are bounded, oldest released first.
//
// Unknown cost: a call under a dollar budget that cannot be priced (an unknown model, a local server, usage
// missing) cannot be counted against it. By default (`unknownCost: 'allow'`) it runs, the run records it
// (`tokenledger.run.budget.unpriced_calls`, `…unknown_cost = allow`) and one diag warning per run says so; with
// `'stop'` a run in enforce mode sends no call once its spend cannot be known.
import { diag, type Attributes, type Counter, type MeterProvider, type Span } from '@opentelemetry/api';
import { OldestFirstMap } from '../../base/oldest-first.ts';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_TOKENLEDGER_GUARD_LIMIT,
  ATTR_TOKENLEDGER_GUARD_MODE,
  ATTR_TOKENLEDGER_RUN_BUDGET_BREACHES,
  ATTR_TOKENLEDGER_RUN_BUDGET_EXCEEDED,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD,
  ATTR_TOKENLEDGER_RUN_BUDGET_MODE,
  ATTR_TOKENLEDGER_RUN_BUDGET_UNKNOWN_COST,
  ATTR_TOKENLEDGER_RUN_BUDGET_UNPRICED_CALLS,
  ATTR_TOKENLEDGER_TOOL_ARGS_HASH,
  EVENT_TOKENLEDGER_BUDGET_EXCEEDED,
  EVENT_TOKENLEDGER_LOOP_DETECTED,
  METRIC_TOKENLEDGER_GUARD_BREACHES,
} from '../../conventions/attributes.ts';
import type { CallDecision, CallGate, PlannedCall } from '../../instrumentation/common/call-gate.ts';
import { BudgetExceededError, RunawayLoopError, type BudgetLimit, type LoopLimit } from '../../instrumentation/common/guard-errors.ts';
import type { CallFigures } from '../../ledger/call-figures.ts';
import type { CallPricer } from '../../ledger/pricing/call-pricer.ts';
import { tokenledgerMeter } from '../../metrics/metrics.ts';
import type { IdealStepsLearner } from '../../runs/ideal-steps.ts';
import type { RunState } from '../../runs/run-state.ts';
import { declaredIdealSteps } from '../../runs/run-spans.ts';
import type { RunObserver } from '../../span-ledger/span-views.ts';
import type { Budget, GuardMode, ResolvedGuardrails } from './guard-options.ts';

/** Output assumed for a call that sets no limit (OpenAI's default ceiling for most models is higher still). */
const DEFAULT_OUTPUT_ESTIMATE = 4096;
const MAX_TOOL_KEYS = 1000;
/** Tenants whose window spend is held at once; past it the oldest is forgotten (its spend then starts again at 0). */
const MAX_TENANTS = 10_000;
/** Reservations of calls in flight outside every run (tenant budgets only); past it the oldest is released. */
const MAX_RUNLESS_RESERVATIONS = 10_000;

interface Figures {
  usd: number;
  steps: number;
  input: number;
  output: number;
}

interface Reservation {
  /** The innermost run of the call; the reservation is held by it and every run above it. */
  innermost: RunState | undefined;
  /** The call's tenant, when tenant budgets are on and it has one. */
  tenant: string | undefined;
  usd: number;
  input: number;
  output: number;
  /** Its cost could not be estimated: counted as unpriced when it was planned. */
  unpriced: boolean;
}

/** What the guard keeps of one run while it is open. */
interface GuardedRun {
  budget: Budget;
  mode: GuardMode;
  /** The run span's attributes (declared ideal steps, the tenant key) and the span, for events. */
  attributes: Attributes;
  span: Span | undefined;
  /** Estimates of calls in flight under it. */
  reserved: Figures;
  /** Span ids of the calls in flight whose innermost run it is, whose reservations it releases when it closes. */
  calls: Set<string>;
  breaches: number;
  firstBreach?: string;
  consecutiveCallFailures: number;
  consecutiveToolFailures: number;
  /** Executions per tool name + argument hash (bounded; made at the run's first tool call). */
  toolRepeats?: Map<string, number>;
  /** Calls under its dollar budget whose cost could not be known. */
  unpricedCalls: number;
}

/** A tenant's spend in the current window, and what its calls in flight reserved. */
interface TenantSpend {
  windowStart: number;
  spent: Figures;
  reserved: Figures;
}

const zero = (): Figures => ({ usd: 0, steps: 0, input: 0, output: 0 });

export interface RunGuardDependencies {
  /** The innermost run of a span in flight. */
  runOf(spanId: string): RunState | undefined;
  /** Ideal steps learned per agent. */
  learner(): IdealStepsLearner | undefined;
  pricer: CallPricer;
  meterProvider?: MeterProvider;
  now?: () => number;
}

export class RunGuard implements CallGate, RunObserver {
  private readonly config: ResolvedGuardrails;
  private readonly deps: RunGuardDependencies;
  private readonly guarded = new Map<RunState, GuardedRun>();
  private readonly reservations = new Map<string, Reservation>();
  private readonly runless = new OldestFirstMap<string, true>();
  private readonly tenants = new OldestFirstMap<string, TenantSpend>();
  private readonly now: () => number;
  private breachCounter: Counter | undefined;

  constructor(config: ResolvedGuardrails, deps: RunGuardDependencies) {
    this.config = config;
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** Runs the guard holds state for now (for tests). */
  get guardedRuns(): number {
    return this.guarded.size;
  }

  /** Calls in flight holding a reservation (for tests). */
  get reservedCalls(): number {
    return this.reservations.size;
  }

  /** A run started: its budget is its own (run API attributes), else its agent's, else the defaults. */
  runStarted(run: RunState, attributes: Attributes, handle: unknown): void {
    const agent = this.config.agents[run.agentName];
    const own: Budget = {};
    const number = (key: string) => (typeof attributes[key] === 'number' ? (attributes[key] as number) : undefined);
    if (number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD) !== undefined) own.maxUsd = number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD);
    if (number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS) !== undefined) own.maxSteps = number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS);
    if (number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS) !== undefined) own.maxInputTokens = number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS);
    if (number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS) !== undefined) own.maxOutputTokens = number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS);
    const budget = Object.keys(own).length > 0 ? own : (agent?.budget ?? this.config.defaults);
    const declaredMode = attributes[ATTR_TOKENLEDGER_RUN_BUDGET_MODE];
    const mode: GuardMode = declaredMode === 'enforce' || declaredMode === 'warn' ? declaredMode : (agent?.mode ?? this.config.mode);
    this.guarded.set(run, {
      budget,
      mode,
      attributes,
      span: handle as Span | undefined,
      reserved: zero(),
      calls: new Set(),
      breaches: 0,
      consecutiveCallFailures: 0,
      consecutiveToolFailures: 0,
      unpricedCalls: 0,
    });
  }

  /** The run's budget, what the guard did and its breaches, for its root span at its rollup. */
  runAttributes(run: RunState): Attributes | undefined {
    const guarded = this.guarded.get(run);
    if (!guarded) return undefined;
    const { budget, mode } = guarded;
    const out: Attributes = {};
    if (budget.maxUsd !== undefined) out[ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD] = budget.maxUsd;
    if (budget.maxSteps !== undefined) out[ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS] = budget.maxSteps;
    if (budget.maxInputTokens !== undefined) out[ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS] = budget.maxInputTokens;
    if (budget.maxOutputTokens !== undefined) out[ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS] = budget.maxOutputTokens;
    const any = budget.maxUsd !== undefined || budget.maxSteps !== undefined || budget.maxInputTokens !== undefined || budget.maxOutputTokens !== undefined;
    if (any || guarded.breaches > 0) out[ATTR_TOKENLEDGER_RUN_BUDGET_MODE] = mode;
    if (guarded.unpricedCalls > 0) {
      out[ATTR_TOKENLEDGER_RUN_BUDGET_UNPRICED_CALLS] = guarded.unpricedCalls;
      out[ATTR_TOKENLEDGER_RUN_BUDGET_UNKNOWN_COST] = this.config.unknownCost;
    }
    if (guarded.breaches > 0) {
      out[ATTR_TOKENLEDGER_RUN_BUDGET_EXCEEDED] = guarded.firstBreach ?? '';
      out[ATTR_TOKENLEDGER_RUN_BUDGET_BREACHES] = guarded.breaches;
    }
    return out;
  }

  /** The run closed: its state goes, and with it the reservations of its calls still in flight. */
  runClosed(run: RunState): void {
    const guarded = this.guarded.get(run);
    if (!guarded) return;
    for (const spanId of guarded.calls) this.release(spanId);
    this.guarded.delete(run);
  }

  beforeCall(span: Span, call: PlannedCall): CallDecision | undefined {
    const spanId = span.spanContext().spanId;
    const innermost = this.deps.runOf(spanId);
    const cap = this.capFor(innermost);
    const decision = cap !== undefined && (call.maxOutputTokens === undefined || call.maxOutputTokens > cap) ? { maxOutputTokens: cap } : undefined;
    const tenant = this.tenantOf(span, innermost);
    if (innermost === undefined && tenant === undefined) return decision;
    const output = decision?.maxOutputTokens ?? call.maxOutputTokens ?? DEFAULT_OUTPUT_ESTIMATE;
    const usd = this.deps.pricer.estimate(call.provider, call.model, call.estimatedInputTokens, output);
    for (let state = innermost; state !== undefined; state = state.parent) {
      const guarded = this.guarded.get(state);
      if (state.closed || !guarded) continue;
      if (usd === undefined) this.unpriced(state, guarded);
      this.checkUnknownCost(state, guarded);
      this.checkBudget(state, guarded, usd, call.estimatedInputTokens, output);
      this.checkLoop(state, guarded, 'call');
    }
    if (tenant !== undefined) this.checkTenant(tenant, innermost, usd, call.estimatedInputTokens, output);
    this.reserve(spanId, { innermost, tenant, usd: usd ?? 0, input: call.estimatedInputTokens, output, unpriced: usd === undefined });
    return decision;
  }

  beforeTool(span: Span): void {
    const innermost = this.deps.runOf(span.spanContext().spanId);
    const attributes = attributesOf(span) ?? {};
    const key = `${String(attributes[ATTR_GEN_AI_TOOL_NAME] ?? '')}\u0000${String(attributes[ATTR_TOKENLEDGER_TOOL_ARGS_HASH] ?? '')}`;
    for (let state = innermost; state !== undefined; state = state.parent) {
      const guarded = this.guarded.get(state);
      if (state.closed || !guarded) continue;
      const repeats = (guarded.toolRepeats ??= new Map());
      if (repeats.size < MAX_TOOL_KEYS || repeats.has(key)) repeats.set(key, (repeats.get(key) ?? 0) + 1);
      this.checkLoop(state, guarded, 'tool', repeats.get(key) ?? 0);
    }
  }

  /**
   * A span ended: its reservation, if it had one, is released; a counted call's real figures go to its tenant's
   * window, and calls and tools to the failure streaks of the runs above (the run tree has added the figures).
   */
  spanEnded(spanId: string, call: CallFigures | undefined, toolFailed: boolean | undefined, attributes: Attributes, innermost: RunState | undefined): void {
    const reservation = this.release(spanId);
    if (toolFailed !== undefined) {
      for (let state = innermost; state !== undefined; state = state.parent) {
        const guarded = this.guarded.get(state);
        if (guarded) guarded.consecutiveToolFailures = toolFailed ? guarded.consecutiveToolFailures + 1 : 0;
      }
    }
    if (call === undefined || call.refused) return;
    for (let state = innermost; state !== undefined; state = state.parent) {
      const guarded = this.guarded.get(state);
      if (!guarded) continue;
      guarded.consecutiveCallFailures = call.failed ? guarded.consecutiveCallFailures + 1 : 0;
      // A planned call that could not be estimated was counted as unpriced already.
      if (call.cost === undefined && reservation?.unpriced !== true) this.unpriced(state, guarded);
    }
    this.addTenantSpend(call, reservation?.tenant, attributes);
  }

  private reserve(spanId: string, reservation: Reservation): void {
    this.adjust(reservation, 1);
    this.reservations.set(spanId, reservation);
    const guarded = reservation.innermost && this.guarded.get(reservation.innermost);
    if (guarded) guarded.calls.add(spanId);
    else if (reservation.innermost === undefined) {
      if (this.runless.size >= MAX_RUNLESS_RESERVATIONS) this.release(this.runless.oldest()!);
      this.runless.set(spanId, true);
    }
  }

  /** Takes back a call's reservation (once); returns it. */
  private release(spanId: string): Reservation | undefined {
    const reservation = this.reservations.get(spanId);
    if (!reservation) return undefined;
    this.reservations.delete(spanId);
    this.runless.delete(spanId);
    if (reservation.innermost) this.guarded.get(reservation.innermost)?.calls.delete(spanId);
    this.adjust(reservation, -1);
    return reservation;
  }

  private adjust(reservation: Reservation, sign: 1 | -1): void {
    const add = (figures: Figures) => {
      figures.usd += sign * reservation.usd;
      figures.steps += sign;
      figures.input += sign * reservation.input;
      figures.output += sign * reservation.output;
    };
    for (let state = reservation.innermost; state !== undefined; state = state.parent) {
      const guarded = this.guarded.get(state);
      if (guarded) add(guarded.reserved);
    }
    if (reservation.tenant !== undefined && (sign > 0 || this.tenants.has(reservation.tenant))) add(this.tenantSpend(reservation.tenant).reserved);
  }

  /** An ended call's real figures go to its tenant's window (the tenant it was checked for, else the one its span names). */
  private addTenantSpend(call: CallFigures, checkedTenant: string | undefined, attributes: Attributes): void {
    const tenants = this.config.tenants;
    if (tenants === undefined) return;
    const tenant = checkedTenant ?? stringValue(attributes[tenants.key]);
    if (tenant === undefined || this.budgetOf(tenant) === undefined) return;
    const { spent } = this.tenantSpend(tenant);
    spent.steps += 1;
    const usd = call.cost?.total;
    if (usd !== undefined && Number.isFinite(usd)) spent.usd += usd;
    if (call.tokens) {
      spent.input += call.tokens.input ?? 0;
      spent.output += call.tokens.output ?? 0;
    }
  }

  /** A call whose cost cannot be known under the run's dollar budget: recorded on the run, said once per run. */
  private unpriced(state: RunState, guarded: GuardedRun): void {
    if (guarded.budget.maxUsd === undefined) return;
    guarded.unpricedCalls += 1;
    if (guarded.unpricedCalls === 1) {
      diag.warn(
        `tokenledger: a run of agent "${state.agentName}" has a dollar budget but a call it cannot price (unknown model or usage); the budget cannot count it (unknownCost: ${this.config.unknownCost})`,
      );
    }
  }

  /** With `unknownCost: 'stop'`, a run whose spend cannot be known sends no further call (in enforce mode). */
  private checkUnknownCost(state: RunState, guarded: GuardedRun): void {
    const max = guarded.budget.maxUsd;
    if (this.config.unknownCost !== 'stop' || max === undefined || guarded.unpricedCalls === 0) return;
    this.breach(
      state,
      guarded,
      'unknown_cost',
      () => new BudgetExceededError('unknown_cost', state.cost.total + guarded.reserved.usd, Number.NaN, max, state.id),
      { max, unpriced_calls: guarded.unpricedCalls },
    );
  }

  /** The call's tenant: the key's value on its span (copied from the baggage), else on the innermost run that has it. */
  private tenantOf(span: Span, innermost: RunState | undefined): string | undefined {
    const tenants = this.config.tenants;
    if (tenants === undefined) return undefined;
    const own = stringValue(attributesOf(span)?.[tenants.key]);
    if (own !== undefined) return this.budgetOf(own) ? own : undefined;
    for (let state = innermost; state !== undefined; state = state.parent) {
      const value = stringValue(this.guarded.get(state)?.attributes[tenants.key]);
      if (value !== undefined) return this.budgetOf(value) ? value : undefined;
    }
    return undefined;
  }

  private budgetOf(tenant: string): Budget | undefined {
    const tenants = this.config.tenants;
    return tenants?.budgets[tenant] ?? tenants?.default;
  }

  /** The tenant's spend, starting again at 0 when a new window began; the oldest tenant is forgotten past MAX_TENANTS. */
  private tenantSpend(tenant: string): TenantSpend {
    const windowMs = this.config.tenants?.windowMs ?? Infinity;
    const windowStart = Math.floor(this.now() / windowMs) * windowMs;
    let entry = this.tenants.get(tenant);
    if (entry === undefined) {
      if (this.tenants.size >= MAX_TENANTS) this.tenants.delete(this.tenants.oldest()!);
      entry = { windowStart, spent: zero(), reserved: zero() };
      this.tenants.set(tenant, entry);
    } else if (entry.windowStart !== windowStart) {
      entry.windowStart = windowStart;
      entry.spent = zero();
    }
    return entry;
  }

  private checkTenant(tenant: string, innermost: RunState | undefined, usd: number | undefined, input: number, output: number): void {
    const budget = this.budgetOf(tenant)!;
    const { spent, reserved } = this.tenantSpend(tenant);
    const key = this.config.tenants!.key;
    const mode = this.config.tenants!.mode;
    const runId = innermost?.id ?? '';
    const guarded = innermost && this.guarded.get(innermost);
    const check = (limit: BudgetLimit, max: number | undefined, used: number, estimate: number) => {
      if (max !== undefined && used + estimate > max) {
        const error = () => new BudgetExceededError(limit, used, estimate, max, runId, tenant);
        this.breach(innermost, guarded, limit, error, { spent: used, estimate, max, [key]: tenant }, mode);
      }
    };
    if (usd !== undefined) check('tenant_max_usd', budget.maxUsd, spent.usd + reserved.usd, usd);
    check('tenant_max_steps', budget.maxSteps, spent.steps + reserved.steps, 1);
    check('tenant_max_input_tokens', budget.maxInputTokens, spent.input + reserved.input, input);
    check('tenant_max_output_tokens', budget.maxOutputTokens, spent.output + reserved.output, output);
  }

  private capFor(innermost: RunState | undefined): number | undefined {
    for (let state = innermost; state !== undefined; state = state.parent) {
      const cap = this.config.agents[state.agentName]?.maxOutputTokensCap;
      if (cap !== undefined) return cap;
    }
    return this.config.maxOutputTokensCap;
  }

  private checkBudget(state: RunState, guarded: GuardedRun, usd: number | undefined, input: number, output: number): void {
    const { budget, reserved } = guarded;
    const check = (limit: BudgetLimit, max: number | undefined, spent: number, estimate: number) => {
      if (max !== undefined && spent + estimate > max) {
        this.breach(state, guarded, limit, () => new BudgetExceededError(limit, spent, estimate, max, state.id), { spent, estimate, max });
      }
    };
    if (usd !== undefined) check('max_usd', budget.maxUsd, state.cost.total + reserved.usd, usd);
    check('max_steps', budget.maxSteps, state.steps + reserved.steps, 1);
    check('max_input_tokens', budget.maxInputTokens, state.tokens.input + reserved.input, input);
    check('max_output_tokens', budget.maxOutputTokens, state.tokens.output + reserved.output, output);
  }

  private checkLoop(state: RunState, guarded: GuardedRun, what: 'call' | 'tool', repeats = 0): void {
    const loop = this.config.loop;
    if (!loop) return;
    const trip = (limit: LoopLimit, observed: number, max: number) =>
      this.breach(state, guarded, limit, () => new RunawayLoopError(limit, observed, max, state.id), { observed, max });
    if (what === 'tool' && repeats > loop.maxRepeatedToolCalls) trip('repeated_tool_call', repeats, loop.maxRepeatedToolCalls);
    const failures = Math.max(guarded.consecutiveCallFailures, guarded.consecutiveToolFailures);
    if (failures >= loop.maxConsecutiveFailures) trip('consecutive_failures', failures, loop.maxConsecutiveFailures);
    if (what === 'call') {
      const ideal = declaredIdealSteps(guarded.attributes) ?? this.deps.learner()?.ideal(state.agentName);
      const steps = state.steps + guarded.reserved.steps + 1;
      if (ideal !== undefined && steps > loop.maxStepInflation * ideal) trip('step_inflation', steps, loop.maxStepInflation * ideal);
    }
  }

  /** Records a breach on the run (a tenant breach outside every run only counts), and stops the call in enforce mode. */
  private breach(
    state: RunState | undefined,
    guarded: GuardedRun | undefined,
    limit: string,
    error: () => Error,
    details: Attributes,
    modeOverride?: GuardMode,
  ): void {
    const mode = modeOverride ?? guarded?.mode ?? this.config.mode;
    if (guarded) {
      guarded.breaches += 1;
      guarded.firstBreach ??= limit;
    }
    try {
      const event = limit.includes('max_') || limit === 'unknown_cost' ? EVENT_TOKENLEDGER_BUDGET_EXCEEDED : EVENT_TOKENLEDGER_LOOP_DETECTED;
      guarded?.span?.addEvent(event, { [ATTR_TOKENLEDGER_GUARD_LIMIT]: limit, [ATTR_TOKENLEDGER_GUARD_MODE]: mode, ...details });
      this.breaches.add(1, { [ATTR_TOKENLEDGER_GUARD_LIMIT]: limit, [ATTR_TOKENLEDGER_GUARD_MODE]: mode, [ATTR_GEN_AI_AGENT_NAME]: state?.agentName ?? '' });
    } catch (recordError) {
      diag.error('tokenledger: could not record a guardrail breach', recordError);
    }
    if (mode === 'enforce') throw error();
    // Warn mode: the breach is recorded and the call or tool proceeds; the diag line says so (the logger prints
    // one line per distinct agent and limit, rate-limited, so a run that stays over budget does not flood).
    const by = state ? `a run of agent "${state.agentName}"` : 'a call outside every run';
    diag.warn(`tokenledger: guardrail ${limit} breached by ${by} (warn mode: recorded, not stopped)`);
  }

  private get breaches(): Counter {
    this.breachCounter ??= tokenledgerMeter(this.deps.meterProvider).createCounter(METRIC_TOKENLEDGER_GUARD_BREACHES, {
      unit: '{breach}',
      description: 'Guardrail breaches',
    });
    return this.breachCounter;
  }
}

function attributesOf(span: Span | undefined): Attributes | undefined {
  return (span as unknown as { attributes?: Attributes } | undefined)?.attributes;
}

function stringValue(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
