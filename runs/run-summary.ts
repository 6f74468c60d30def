// A run's rollup: its totals and the four KPIs, as tokenledger.run.* attributes. Pure: state in, summary out.
//   cache hit rate     = cache-read input tokens / all input tokens
//   token efficiency   = useful output tokens / (input + output tokens), where useful output is the output
//                        of calls that did not end in an error (a failed call's output is discarded; retried
//                        calls are exactly those)
//   step inflation     = steps / ideal steps, only when ideal steps are known
// Totals are written by the token-type table: a run figure per row, absent when a call left it unknown.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import {
  ATTR_TOKENLEDGER_RUN_CACHE_HIT_RATE,
  ATTR_TOKENLEDGER_RUN_COMPLETE,
  ATTR_TOKENLEDGER_RUN_CONTEXT_GROWTH_QUADRATIC,
  ATTR_TOKENLEDGER_RUN_CONTEXT_GROWTH_TOKENS_PER_STEP,
  ATTR_TOKENLEDGER_RUN_FAILED_CALLS,
  ATTR_TOKENLEDGER_RUN_ID,
  ATTR_TOKENLEDGER_RUN_INCOMPLETE_REASON,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE,
  ATTR_TOKENLEDGER_RUN_INPUT_TOKENS_PER_STEP,
  ATTR_TOKENLEDGER_RUN_NESTED,
  ATTR_TOKENLEDGER_RUN_PARENT_ID,
  ATTR_TOKENLEDGER_RUN_RETRIES,
  ATTR_TOKENLEDGER_RUN_SCOPE,
  ATTR_TOKENLEDGER_RUN_STEP_INFLATION,
  ATTR_TOKENLEDGER_RUN_STEPS,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
  ATTR_TOKENLEDGER_RUN_TOKEN_EFFICIENCY,
  ATTR_TOKENLEDGER_RUN_TOOL_CALLS,
  ATTR_TOKENLEDGER_RUN_TOOL_ERRORS,
  ATTR_TOKENLEDGER_RUN_UNCOVERED_REQUESTS,
  ATTR_TOKENLEDGER_RUN_UNPRICED_CALLS,
  TOKENLEDGER_RUN_SCOPE_VALUE_SUBTREE,
  type TokenledgerRunIdealStepsSource,
  type TokenledgerRunIncompleteReason,
} from '../conventions/attributes.ts';
import { usd } from '../ledger/pricing/call-pricer.ts';
import { TOKEN_TOTALS, TOKEN_TYPES } from '../ledger/token-types.ts';
import { contextGrowth, type ContextGrowth } from './context-growth.ts';
import type { RunCost, RunState, RunTokens } from './run-state.ts';

export interface RunOutcome {
  success: boolean;
  idealSteps?: number;
  idealStepsSource?: TokenledgerRunIdealStepsSource;
}

export interface RunSummary {
  id: string;
  agentName: string;
  /** Inside another reported run; false for a task. */
  nested: boolean;
  parentId?: string;
  success: boolean;
  complete: boolean;
  steps: number;
  toolCalls: number;
  toolErrors: number;
  failedCalls: number;
  retries: number;
  unpricedCalls: number;
  uncoveredRequests: number;
  /** Why the run is incomplete, when it is: the first reason that applies. */
  incompleteReason?: TokenledgerRunIncompleteReason;
  /** Totals by token type and total; NaN where a call left a figure unknown. */
  tokens: RunTokens;
  cost: RunCost;
  idealSteps?: number;
  idealStepsSource?: TokenledgerRunIdealStepsSource;
  stepInflation?: number;
  cacheHitRate?: number;
  tokenEfficiency?: number;
  growth?: ContextGrowth;
  inputPerStep: readonly number[];
}

export function summarizeRun(state: RunState, outcome: RunOutcome): RunSummary {
  const { tokens } = state;
  const enclosing = state.enclosing;
  const reason = incompleteReason(state);
  const summary: RunSummary = {
    id: state.id,
    agentName: state.agentName,
    nested: enclosing !== undefined,
    parentId: enclosing?.id,
    success: outcome.success,
    complete: reason === undefined,
    incompleteReason: reason,
    steps: state.steps,
    toolCalls: state.toolCalls,
    toolErrors: state.toolErrors,
    failedCalls: state.failedCalls,
    retries: state.retries,
    unpricedCalls: state.unpricedCalls,
    uncoveredRequests: state.uncoveredRequests,
    tokens: { ...tokens },
    cost: { ...state.cost },
    inputPerStep: state.inputPerStep,
    growth: contextGrowth(state.inputPerStep),
  };
  if (outcome.idealSteps !== undefined && outcome.idealSteps > 0) {
    summary.idealSteps = outcome.idealSteps;
    summary.idealStepsSource = outcome.idealStepsSource;
    summary.stepInflation = state.steps / outcome.idealSteps;
  }
  if (tokens.input > 0) summary.cacheHitRate = tokens.cache_read / tokens.input;
  if (tokens.input + tokens.output > 0) summary.tokenEfficiency = state.usefulOutput / (tokens.input + tokens.output);
  return summary;
}

function incompleteReason(state: RunState): TokenledgerRunIncompleteReason | undefined {
  if (state.incomplete) return 'spans_lost';
  if (state.callsOpenAtEnd) return 'calls_open_at_end';
  if (state.unpricedCalls > 0) return 'unpriced_calls';
  if (state.uncoveredRequests > 0) return 'uncovered_requests';
  return undefined;
}

const ratio = (value: number) => Math.round(value * 1e6) / 1e6;

/** Where run attributes go: a span (written one by one, with no object built per run) or an object. */
export interface AttributeSink {
  setAttribute(key: string, value: AttributeValue): unknown;
}

/** The run's attributes, as an object, with `extra` after them (the guardrails' budget attributes). */
export function runAttributes(summary: RunSummary, extra?: Attributes): Attributes {
  const attributes: Attributes = {};
  writeRunAttributes(summary, { setAttribute: (key, value) => (attributes[key] = value) });
  if (extra) Object.assign(attributes, extra);
  return attributes;
}

export function writeRunAttributes(summary: RunSummary, out: AttributeSink): void {
  out.setAttribute(ATTR_TOKENLEDGER_RUN_ID, summary.id);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_SCOPE, TOKENLEDGER_RUN_SCOPE_VALUE_SUBTREE);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_NESTED, summary.nested);
  if (summary.parentId !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_PARENT_ID, summary.parentId);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COMPLETE, summary.complete);
  if (summary.incompleteReason !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_INCOMPLETE_REASON, summary.incompleteReason);
  if (summary.uncoveredRequests > 0) out.setAttribute(ATTR_TOKENLEDGER_RUN_UNCOVERED_REQUESTS, summary.uncoveredRequests);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_SUCCESS, summary.success);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_STEPS, summary.steps);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_TOOL_CALLS, summary.toolCalls);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_TOOL_ERRORS, summary.toolErrors);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_FAILED_CALLS, summary.failedCalls);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_RETRIES, summary.retries);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_UNPRICED_CALLS, summary.unpricedCalls);
  const { tokens, cost } = summary;
  for (const row of TOKEN_TYPES) {
    if (row.runUsageAttribute !== undefined) setFinite(out, row.runUsageAttribute, tokens[row.id as keyof RunTokens]);
    setFinite(out, row.runCostAttribute, usd(cost[row.id]));
  }
  for (const total of TOKEN_TOTALS) {
    if (total.runUsageAttribute !== undefined) setFinite(out, total.runUsageAttribute, tokens[total.id as keyof RunTokens]);
    if (total.runCostAttribute !== undefined) setFinite(out, total.runCostAttribute, usd(cost.total));
  }
  out.setAttribute(ATTR_TOKENLEDGER_RUN_INPUT_TOKENS_PER_STEP, summary.inputPerStep.slice(0, 64));
  if (summary.idealSteps !== undefined) {
    out.setAttribute(ATTR_TOKENLEDGER_RUN_IDEAL_STEPS, summary.idealSteps);
    out.setAttribute(ATTR_TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE, summary.idealStepsSource ?? 'configured');
  }
  if (summary.stepInflation !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_STEP_INFLATION, ratio(summary.stepInflation));
  if (summary.cacheHitRate !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_CACHE_HIT_RATE, ratio(summary.cacheHitRate));
  if (summary.tokenEfficiency !== undefined) out.setAttribute(ATTR_TOKENLEDGER_RUN_TOKEN_EFFICIENCY, ratio(summary.tokenEfficiency));
  if (summary.growth) {
    out.setAttribute(ATTR_TOKENLEDGER_RUN_CONTEXT_GROWTH_TOKENS_PER_STEP, ratio(summary.growth.tokensPerStep));
    out.setAttribute(ATTR_TOKENLEDGER_RUN_CONTEXT_GROWTH_QUADRATIC, summary.growth.quadratic);
  }
}

/** A figure some call left unknown (NaN) is left off: unknown is not zero. */
function setFinite(out: AttributeSink, key: string, value: number): void {
  if (Number.isFinite(value)) out.setAttribute(key, value);
}
