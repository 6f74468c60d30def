// A run's rollup: its totals and the four KPIs, as tokenledger.run.* attributes. Pure: state in, summary out.
//   cache hit rate     = cache-read input tokens / all input tokens
//   token efficiency   = useful output tokens / (input + output tokens), where useful output is the output
//                        of calls that did not end in an error (a failed call's output is discarded; retried
//                        calls are exactly those)
//   step inflation     = steps / ideal steps, only when ideal steps are known
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import {
  ATTR_TOKENLEDGER_RUN_CACHE_HIT_RATE,
  ATTR_TOKENLEDGER_RUN_COMPLETE,
  ATTR_TOKENLEDGER_RUN_CONTEXT_GROWTH_QUADRATIC,
  ATTR_TOKENLEDGER_RUN_CONTEXT_GROWTH_TOKENS_PER_STEP,
  ATTR_TOKENLEDGER_RUN_COST_CACHE_READ_USD,
  ATTR_TOKENLEDGER_RUN_COST_CACHE_WRITE_USD,
  ATTR_TOKENLEDGER_RUN_COST_OUTPUT_USD,
  ATTR_TOKENLEDGER_RUN_COST_REASONING_USD,
  ATTR_TOKENLEDGER_RUN_COST_REQUEST_FEES_USD,
  ATTR_TOKENLEDGER_RUN_COST_TOOL_RESULT_USD,
  ATTR_TOKENLEDGER_RUN_COST_UNCACHED_INPUT_USD,
  ATTR_TOKENLEDGER_RUN_COST_USD,
  ATTR_TOKENLEDGER_RUN_FAILED_CALLS,
  ATTR_TOKENLEDGER_RUN_ID,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE,
  ATTR_TOKENLEDGER_RUN_INPUT_TOKENS_PER_STEP,
  ATTR_TOKENLEDGER_RUN_RETRIES,
  ATTR_TOKENLEDGER_RUN_SCOPE,
  ATTR_TOKENLEDGER_RUN_STEP_INFLATION,
  ATTR_TOKENLEDGER_RUN_STEPS,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
  ATTR_TOKENLEDGER_RUN_TOKEN_EFFICIENCY,
  ATTR_TOKENLEDGER_RUN_TOOL_CALLS,
  ATTR_TOKENLEDGER_RUN_TOOL_ERRORS,
  ATTR_TOKENLEDGER_RUN_UNPRICED_CALLS,
  ATTR_TOKENLEDGER_RUN_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_TOOL_RESULT_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_UNCACHED_INPUT_TOKENS,
} from '../../conventions/attributes.ts';
import { usd } from '../pricing/call-pricer.ts';
import { contextGrowth, type ContextGrowth } from './context-growth.ts';
import type { CostTotals, TokenTotals } from './call-figures.ts';
import type { RunState } from './run-state.ts';

export interface RunOutcome {
  success: boolean;
  idealSteps?: number;
  idealStepsSource?: 'configured' | 'learned';
}

export interface RunSummary {
  id: string;
  success: boolean;
  complete: boolean;
  steps: number;
  toolCalls: number;
  toolErrors: number;
  failedCalls: number;
  retries: number;
  unpricedCalls: number;
  tokens: TokenTotals;
  cost: CostTotals;
  idealSteps?: number;
  idealStepsSource?: 'configured' | 'learned';
  stepInflation?: number;
  cacheHitRate?: number;
  tokenEfficiency?: number;
  growth?: ContextGrowth;
  inputPerStep: readonly number[];
}

export function summarizeRun(state: RunState, outcome: RunOutcome): RunSummary {
  const { tokens } = state;
  const summary: RunSummary = {
    id: state.id,
    success: outcome.success,
    complete: !state.incomplete && state.unpricedCalls === 0,
    steps: state.steps,
    toolCalls: state.toolCalls,
    toolErrors: state.toolErrors,
    failedCalls: state.failedCalls,
    retries: state.retries,
    unpricedCalls: state.unpricedCalls,
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
  if (tokens.input > 0) summary.cacheHitRate = tokens.cacheRead / tokens.input;
  if (tokens.input + tokens.output > 0) summary.tokenEfficiency = state.usefulOutput / (tokens.input + tokens.output);
  return summary;
}

const ratio = (value: number) => Math.round(value * 1e6) / 1e6;

/** Where run attributes go: a span (written one by one, with no object built per run) or an object. */
export interface AttributeSink {
  setAttribute(key: string, value: AttributeValue): unknown;
}

/** The run's attributes, as an object. */
export function runAttributes(summary: RunSummary): Attributes {
  const attributes: Attributes = {};
  writeRunAttributes(summary, { setAttribute: (key, value) => (attributes[key] = value) });
  return attributes;
}

export function writeRunAttributes(summary: RunSummary, out: AttributeSink): void {
  out.setAttribute(ATTR_TOKENLEDGER_RUN_ID, summary.id);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_SCOPE, 'subtree');
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COMPLETE, summary.complete);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_SUCCESS, summary.success);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_STEPS, summary.steps);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_TOOL_CALLS, summary.toolCalls);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_TOOL_ERRORS, summary.toolErrors);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_FAILED_CALLS, summary.failedCalls);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_RETRIES, summary.retries);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_UNPRICED_CALLS, summary.unpricedCalls);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_USAGE_INPUT_TOKENS, summary.tokens.input);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_USAGE_OUTPUT_TOKENS, summary.tokens.output);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_USAGE_UNCACHED_INPUT_TOKENS, summary.tokens.uncached);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_USAGE_CACHE_READ_INPUT_TOKENS, summary.tokens.cacheRead);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_INPUT_TOKENS, summary.tokens.cacheWrite);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS, summary.tokens.cacheWrite1h);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_USAGE_REASONING_OUTPUT_TOKENS, summary.tokens.reasoning);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_USAGE_TOOL_RESULT_INPUT_TOKENS, summary.tokens.toolResult);
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COST_USD, usd(summary.cost.total));
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COST_UNCACHED_INPUT_USD, usd(summary.cost.uncachedInput));
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COST_CACHE_READ_USD, usd(summary.cost.cacheRead));
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COST_CACHE_WRITE_USD, usd(summary.cost.cacheWrite));
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COST_OUTPUT_USD, usd(summary.cost.output));
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COST_REASONING_USD, usd(summary.cost.reasoning));
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COST_TOOL_RESULT_USD, usd(summary.cost.toolResult));
  out.setAttribute(ATTR_TOKENLEDGER_RUN_COST_REQUEST_FEES_USD, usd(summary.cost.requestFees));
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
