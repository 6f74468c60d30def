// The agent-run API: `agentRun({ name }, async (run) => …)` makes the unit of agent work a first-class span,
// `invoke_agent {name}`, that the span processor rolls every LLM call and tool execution under it up into.
// The outcome is the callback's: it resolves → success, it throws → failure (the same error is rethrown);
// `run.fail(reason)` marks a run that returned but missed its goal.
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS,
  ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD,
  ATTR_TOKENLEDGER_RUN_BUDGET_MODE,
  ATTR_TOKENLEDGER_RUN_FAILURE_REASON,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
} from '../../conventions/attributes.ts';
import { validateBudget, type Budget, type GuardMode } from '../common/budget.ts';
import { errorType } from '../common/error-type.ts';
import { VERSION } from '../../base/version.ts';

/** What `agentRun` needs to know of the run. */
export interface AgentRunOptions {
  /** The agent's name: `gen_ai.agent.name`, and the key its KPIs are grouped by. */
  name: string;
  /** The steps (LLM calls) the task should take; step inflation is measured against it. */
  idealSteps?: number;
  /** `gen_ai.agent.id`, when the app has one. */
  agentId?: string;
  /** `gen_ai.conversation.id`, only when the app really has one. */
  conversationId?: string;
  /** This run's budget (it wins over the agent's configured one and the environment's defaults). */
  budget?: Budget;
  /** `enforce`: a call that would break the budget is not sent (BudgetExceededError); `warn`: it is recorded. */
  guardMode?: GuardMode;
}

/** The run in progress, handed to the callback of `agentRun`. */
export interface AgentRun {
  /** The run's span (`invoke_agent {name}`). */
  readonly span: Span;
  /** The run's id: its span id. */
  readonly id: string;
  /** Marks the run failed although its callback returned (the answer missed its goal). */
  fail(reason: string): void;
}

const tracer = () => trace.getTracer('tokenledger', VERSION);

/** Runs `work` as one agent run and returns (or throws) exactly what it returns (or throws). */
export async function agentRun<T>(options: AgentRunOptions, work: (run: AgentRun) => Promise<T> | T): Promise<T> {
  const budget = validate(options);
  const span = tracer().startSpan(`invoke_agent ${options.name}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [ATTR_GEN_AI_AGENT_NAME]: options.name,
      ...(options.agentId ? { [ATTR_GEN_AI_AGENT_ID]: options.agentId } : {}),
      ...(options.conversationId ? { [ATTR_GEN_AI_CONVERSATION_ID]: options.conversationId } : {}),
      ...(options.idealSteps !== undefined ? { [ATTR_TOKENLEDGER_RUN_IDEAL_STEPS]: options.idealSteps } : {}),
      ...budgetAttributes(budget, options.guardMode),
    },
  });
  let failure: string | undefined;
  const run: AgentRun = {
    span,
    id: span.spanContext().spanId,
    fail(reason: string) {
      failure = reason;
    },
  };
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => work(run));
    span.setAttribute(ATTR_TOKENLEDGER_RUN_SUCCESS, failure === undefined);
    if (failure !== undefined) {
      span.setAttribute(ATTR_TOKENLEDGER_RUN_FAILURE_REASON, failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
    }
    return result;
  } catch (error) {
    span.setAttributes({
      [ATTR_TOKENLEDGER_RUN_SUCCESS]: false,
      [ATTR_TOKENLEDGER_RUN_FAILURE_REASON]: failure ?? errorType(error),
      [ATTR_ERROR_TYPE]: errorType(error),
    });
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
    throw error;
  } finally {
    span.end();
  }
}

function budgetAttributes(budget: Budget, mode: GuardMode | undefined) {
  const attributes: Record<string, number | string> = {};
  if (budget.maxUsd !== undefined) attributes[ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD] = budget.maxUsd;
  if (budget.maxSteps !== undefined) attributes[ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS] = budget.maxSteps;
  if (budget.maxInputTokens !== undefined) attributes[ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS] = budget.maxInputTokens;
  if (budget.maxOutputTokens !== undefined) attributes[ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS] = budget.maxOutputTokens;
  if (mode !== undefined) attributes[ATTR_TOKENLEDGER_RUN_BUDGET_MODE] = mode;
  return attributes;
}

function validate(options: AgentRunOptions): Budget {
  if (typeof options?.name !== 'string' || options.name.trim() === '') {
    throw new TypeError('agentRun: `name` must be a non-empty string');
  }
  const ideal = options.idealSteps;
  if (ideal !== undefined && (!Number.isInteger(ideal) || ideal <= 0)) {
    throw new TypeError(`agentRun: \`idealSteps\` must be a positive integer, got ${ideal}`);
  }
  if (options.guardMode !== undefined && options.guardMode !== 'enforce' && options.guardMode !== 'warn') {
    throw new TypeError(`agentRun: \`guardMode\` must be "enforce" or "warn", got ${String(options.guardMode)}`);
  }
  return validateBudget(options.budget ?? {}, 'agentRun budget');
}
