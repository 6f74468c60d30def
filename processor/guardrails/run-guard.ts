// Guardrails on the runs the processor tracks: it is the call gate the instrumentation asks before each LLM call
// and tool execution. A call is judged against every run above it (a sub-agent's spend counts toward its parents'
// budgets) by what each run has spent, plus what calls in flight have reserved, plus a conservative estimate of
// this call (its prompt at the input rate, its output limit at the output rate). An allowed call reserves its
// estimate until it ends, so two parallel calls cannot both slip under a budget that only one of them fits.
// In enforce mode a breach throws a typed error into the app; in warn mode it becomes a span event and a count.
// Tenant budgets (guardrails.tenants) work the same way across runs: a tenant's calls are checked against what it
// spent in the current window plus what its calls in flight reserved; a call's real figures are added when it ends.
import { diag, type Attributes, type Counter, type MeterProvider, type Span } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_TOKENLEDGER_GUARD_LIMIT,
  ATTR_TOKENLEDGER_GUARD_MODE,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD,
  ATTR_TOKENLEDGER_RUN_BUDGET_MODE,
  ATTR_TOKENLEDGER_TOOL_ARGS_HASH,
  ATTR_GEN_AI_TOOL_NAME,
  EVENT_TOKENLEDGER_BUDGET_EXCEEDED,
  EVENT_TOKENLEDGER_LOOP_DETECTED,
  METRIC_TOKENLEDGER_GUARD_BREACHES,
} from '../../conventions/attributes.ts';
import type { CallDecision, CallGate, PlannedCall } from '../../instrumentation/common/call-gate.ts';
import { BudgetExceededError, RunawayLoopError, type BudgetLimit, type LoopLimit } from '../../instrumentation/common/guard-errors.ts';
import type { CallFigures } from '../../ledger/call-figures.ts';
import type { CallPricer } from '../../ledger/pricing/call-pricer.ts';
import { tokenledgerMeter } from '../../metrics/metrics.ts';
import type { RunState } from '../../runs/run-state.ts';
import { declaredIdealSteps } from '../../runs/run-spans.ts';
import type { AttributeSink } from '../../runs/run-summary.ts';
import type { RunTree } from '../../runs/run-tree.ts';
import type { Budget, GuardMode, ResolvedGuardrails } from './guard-options.ts';
import { OldestFirstMap } from '../../base/oldest-first.ts';

/** Output assumed for a call that sets no limit (OpenAI's default ceiling for most models is higher still). */
const DEFAULT_OUTPUT_ESTIMATE = 4096;
const MAX_TOOL_KEYS = 1000;
/** Tenants whose window spend is held at once; past it the oldest is forgotten (its spend then starts again at 0). */
const MAX_TENANTS = 10_000;

interface Reservation {
  /** The innermost run of the call; the reservation is held by it and every run above it. */
  innermost: RunState | undefined;
  /** The call's tenant, when tenant budgets are on and it has one. */
  tenant: string | undefined;
  usd: number;
  input: number;
  output: number;
}

interface Figures {
  usd: number;
  steps: number;
  input: number;
  output: number;
}

/** A tenant's spend in the current window, and what its calls in flight reserved. */
interface TenantSpend {
  windowStart: number;
  spent: Figures;
  reserved: Figures;
}

const zero = (): Figures => ({ usd: 0, steps: 0, input: 0, output: 0 });

export class RunGuard implements CallGate {
  private readonly config: ResolvedGuardrails;
  private readonly tree: RunTree;
  private readonly pricer: CallPricer;
  private readonly meterProvider: MeterProvider | undefined;
  private readonly reservations = new Map<string, Reservation>();
  private readonly budgets = new WeakMap<RunState, { budget: Budget; mode: GuardMode }>();
  private readonly tenants = new OldestFirstMap<string, TenantSpend>();
  private readonly now: () => number;
  private breachCounter: Counter | undefined;

  constructor(config: ResolvedGuardrails, tree: RunTree, pricer: CallPricer, meterProvider?: MeterProvider, now: () => number = Date.now) {
    this.config = config;
    this.tree = tree;
    this.pricer = pricer;
    this.meterProvider = meterProvider;
    this.now = now;
  }

  /** Sets a new run's budget: its own (run API attributes), else its agent's, else the defaults. */
  startRun(state: RunState, span: Span, attributes: Record<string, unknown>): void {
    state.span = span;
    const agent = this.config.agents[state.agentName];
    const own: Budget = {};
    const number = (key: string) => (typeof attributes[key] === 'number' ? (attributes[key] as number) : undefined);
    if (number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD) !== undefined) own.maxUsd = number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD);
    if (number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS) !== undefined) own.maxSteps = number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS);
    if (number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS) !== undefined) own.maxInputTokens = number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS);
    if (number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS) !== undefined) own.maxOutputTokens = number(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS);
    const budget = Object.keys(own).length > 0 ? own : (agent?.budget ?? this.config.defaults);
    const declaredMode = attributes[ATTR_TOKENLEDGER_RUN_BUDGET_MODE];
    const mode: GuardMode = declaredMode === 'enforce' || declaredMode === 'warn' ? declaredMode : (agent?.mode ?? this.config.mode);
    this.budgets.set(state, { budget, mode });
  }

  /** Writes the run's budget attributes (on its span, at its end). */
  writeBudgetAttributes(state: RunState, out: AttributeSink): void {
    const entry = this.budgets.get(state);
    if (!entry) return;
    const { budget, mode } = entry;
    if (budget.maxUsd !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD, budget.maxUsd);
    if (budget.maxSteps !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS, budget.maxSteps);
    if (budget.maxInputTokens !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS, budget.maxInputTokens);
    if (budget.maxOutputTokens !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS, budget.maxOutputTokens);
    const any = budget.maxUsd !== undefined || budget.maxSteps !== undefined || budget.maxInputTokens !== undefined || budget.maxOutputTokens !== undefined;
    if (any || state.guard.breaches > 0) out.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_MODE, mode);
  }

  beforeCall(span: Span, call: PlannedCall): CallDecision | undefined {
    const innermost = this.tree.runOf(span.spanContext().spanId);
    const cap = this.capFor(innermost);
    const decision = cap !== undefined && (call.maxOutputTokens === undefined || call.maxOutputTokens > cap) ? { maxOutputTokens: cap } : undefined;
    const tenant = this.tenantOf(span, innermost);
    if (innermost === undefined && tenant === undefined) return decision;
    const output = decision?.maxOutputTokens ?? call.maxOutputTokens ?? DEFAULT_OUTPUT_ESTIMATE;
    const usd = this.pricer.estimate(call.provider, call.model, call.estimatedInputTokens, output);
    for (const state of runsFrom(innermost)) {
      if (state.closed) continue;
      this.checkBudget(state, usd, call.estimatedInputTokens, output);
      this.checkLoop(state, 'call');
    }
    if (tenant !== undefined) this.checkTenant(tenant, innermost, usd, call.estimatedInputTokens, output);
    const reservation = { innermost, tenant, usd: usd ?? 0, input: call.estimatedInputTokens, output };
    this.adjustReservation(reservation, 1);
    this.reservations.set(span.spanContext().spanId, reservation);
    return decision;
  }

  beforeTool(span: Span): void {
    const innermost = this.tree.runOf(span.spanContext().spanId);
    const attributes = (span as unknown as { attributes?: Record<string, unknown> }).attributes ?? {};
    const key = `${String(attributes[ATTR_GEN_AI_TOOL_NAME] ?? '')}\u0000${String(attributes[ATTR_TOKENLEDGER_TOOL_ARGS_HASH] ?? '')}`;
    for (const state of runsFrom(innermost)) {
      if (state.closed) continue;
      const repeats = (state.guard.toolRepeats ??= new Map());
      if (repeats.size < MAX_TOOL_KEYS || repeats.has(key)) repeats.set(key, (repeats.get(key) ?? 0) + 1);
      this.checkLoop(state, 'tool', repeats.get(key) ?? 0);
    }
  }

  /**
   * Releases an ended call's reservation. Its real figures are added to the runs by the processor, and here to its
   * tenant's window (the tenant it was checked for, else the one its span names).
   */
  release(spanId: string, call?: CallFigures, attributes?: Attributes): void {
    const reservation = this.reservations.get(spanId);
    if (reservation) {
      this.reservations.delete(spanId);
      this.adjustReservation(reservation, -1);
    }
    const tenants = this.config.tenants;
    if (tenants === undefined || call === undefined || call.refused) return;
    const tenant = reservation?.tenant ?? stringValue(attributes?.[tenants.key]);
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

  private adjustReservation(reservation: Reservation, sign: 1 | -1): void {
    const add = (figures: Figures) => {
      figures.usd += sign * reservation.usd;
      figures.steps += sign;
      figures.input += sign * reservation.input;
      figures.output += sign * reservation.output;
    };
    for (const state of runsFrom(reservation.innermost)) add(state.guard.reserved);
    if (reservation.tenant !== undefined && (sign > 0 || this.tenants.has(reservation.tenant))) add(this.tenantSpend(reservation.tenant).reserved);
  }

  /** The call's tenant: the key's value on its span (copied from the baggage), else on the innermost run that has it. */
  private tenantOf(span: Span, innermost: RunState | undefined): string | undefined {
    const tenants = this.config.tenants;
    if (tenants === undefined) return undefined;
    const own = stringValue(attributesOf(span)?.[tenants.key]);
    if (own !== undefined) return this.budgetOf(own) ? own : undefined;
    for (const state of runsFrom(innermost)) {
      const value = stringValue(attributesOf(state.span)?.[tenants.key]);
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
    const check = (limit: BudgetLimit, max: number | undefined, used: number, estimate: number) => {
      if (max !== undefined && used + estimate > max) {
        const error = () => new BudgetExceededError(limit, used, estimate, max, runId, tenant);
        this.breach(innermost, limit, error, { spent: used, estimate, max, [key]: tenant }, mode);
      }
    };
    if (usd !== undefined) check('tenant_max_usd', budget.maxUsd, spent.usd + reserved.usd, usd);
    check('tenant_max_steps', budget.maxSteps, spent.steps + reserved.steps, 1);
    check('tenant_max_input_tokens', budget.maxInputTokens, spent.input + reserved.input, input);
    check('tenant_max_output_tokens', budget.maxOutputTokens, spent.output + reserved.output, output);
  }

  private capFor(innermost: RunState | undefined): number | undefined {
    for (const state of runsFrom(innermost)) {
      const cap = this.config.agents[state.agentName]?.maxOutputTokensCap;
      if (cap !== undefined) return cap;
    }
    return this.config.maxOutputTokensCap;
  }

  private checkBudget(state: RunState, usd: number | undefined, input: number, output: number): void {
    const entry = this.budgets.get(state);
    if (!entry) return;
    const { budget } = entry;
    const { reserved } = state.guard;
    const check = (limit: BudgetLimit, max: number | undefined, spent: number, estimate: number) => {
      if (max !== undefined && spent + estimate > max) {
        this.breach(state, limit, () => new BudgetExceededError(limit, spent, estimate, max, state.id), { spent, estimate, max });
      }
    };
    if (usd !== undefined) check('max_usd', budget.maxUsd, state.cost.total + reserved.usd, usd);
    check('max_steps', budget.maxSteps, state.steps + reserved.steps, 1);
    check('max_input_tokens', budget.maxInputTokens, state.tokens.input + reserved.input, input);
    check('max_output_tokens', budget.maxOutputTokens, state.tokens.output + reserved.output, output);
  }

  private checkLoop(state: RunState, what: 'call' | 'tool', repeats = 0): void {
    const loop = this.config.loop;
    if (!loop) return;
    const { guard } = state;
    const trip = (limit: LoopLimit, observed: number, max: number) =>
      this.breach(state, limit, () => new RunawayLoopError(limit, observed, max, state.id), { observed, max });
    if (what === 'tool' && repeats > loop.maxRepeatedToolCalls) trip('repeated_tool_call', repeats, loop.maxRepeatedToolCalls);
    const failures = Math.max(guard.consecutiveCallFailures, guard.consecutiveToolFailures);
    if (failures >= loop.maxConsecutiveFailures) trip('consecutive_failures', failures, loop.maxConsecutiveFailures);
    if (what === 'call') {
      const attributes = (state.span as unknown as { attributes?: Attributes } | undefined)?.attributes;
      const ideal = (attributes && declaredIdealSteps(attributes)) ?? this.tree.learner.ideal(state.agentName);
      const steps = state.steps + state.guard.reserved.steps + 1;
      if (ideal !== undefined && steps > loop.maxStepInflation * ideal) trip('step_inflation', steps, loop.maxStepInflation * ideal);
    }
  }

  /** Records a breach on the run (a tenant breach outside every run only counts), and stops the call in enforce mode. */
  private breach(state: RunState | undefined, limit: string, error: () => Error, details: Attributes, modeOverride?: GuardMode): void {
    const mode = modeOverride ?? (state && this.budgets.get(state)?.mode) ?? this.config.mode;
    if (state) {
      state.guard.breaches += 1;
      state.guard.firstBreach ??= limit;
    }
    try {
      const event = limit.includes('max_') ? EVENT_TOKENLEDGER_BUDGET_EXCEEDED : EVENT_TOKENLEDGER_LOOP_DETECTED;
      state?.span?.addEvent(event, { [ATTR_TOKENLEDGER_GUARD_LIMIT]: limit, [ATTR_TOKENLEDGER_GUARD_MODE]: mode, ...details });
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
    this.breachCounter ??= tokenledgerMeter(this.meterProvider).createCounter(METRIC_TOKENLEDGER_GUARD_BREACHES, { unit: '{breach}', description: 'Guardrail breaches' });
    return this.breachCounter;
  }
}

/** A run and every run it is nested in, innermost first. */
function* runsFrom(innermost: RunState | undefined): Generator<RunState> {
  for (let state = innermost; state !== undefined; state = state.parent) yield state;
}

function attributesOf(span: Span | undefined): Attributes | undefined {
  return (span as unknown as { attributes?: Attributes } | undefined)?.attributes;
}

function stringValue(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
