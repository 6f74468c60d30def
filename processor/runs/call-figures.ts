// What one ended span contributes to the runs above it, read from the attributes the instrumentation and the
// pricing wrote. Pure: attributes in, figures out.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_COST_CACHE_READ_USD,
  ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_1H_USD,
  ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_5M_USD,
  ATTR_TOKENLEDGER_COST_OUTPUT_USD,
  ATTR_TOKENLEDGER_COST_REASONING_USD,
  ATTR_TOKENLEDGER_COST_REQUEST_FEES_USD,
  ATTR_TOKENLEDGER_COST_TOOL_RESULT_USD,
  ATTR_TOKENLEDGER_COST_UNCACHED_INPUT_USD,
  ATTR_TOKENLEDGER_COST_USD,
  ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS,
} from '../../conventions/attributes.ts';
import { amountAttribute, stringAttribute } from '../attribute-values.ts';

export interface TokenTotals {
  input: number;
  output: number;
  uncached: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h: number;
  reasoning: number;
  toolResult: number;
}

export interface CostTotals {
  total: number;
  uncachedInput: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
  toolResult: number;
  requestFees: number;
}

export interface CallFigures {
  model: string;
  failed: boolean;
  /** Undefined when the call's usage is unknown. */
  tokens?: TokenTotals;
  /** Undefined when the call's cost is unknown. */
  cost?: CostTotals;
}

export function emptyTokens(): TokenTotals {
  return { input: 0, output: 0, uncached: 0, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, reasoning: 0, toolResult: 0 };
}

export function emptyCost(): CostTotals {
  return { total: 0, uncachedInput: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, toolResult: 0, requestFees: 0 };
}

export function callFigures(attributes: Attributes, failed: boolean): CallFigures {
  const amount = (key: string) => amountAttribute(attributes[key]);
  const model = stringAttribute(attributes[ATTR_GEN_AI_REQUEST_MODEL]) ?? '';
  const input = amount(ATTR_GEN_AI_USAGE_INPUT_TOKENS);
  const output = amount(ATTR_GEN_AI_USAGE_OUTPUT_TOKENS);
  const figures: CallFigures = { model, failed };
  if (input !== undefined && output !== undefined) {
    figures.tokens = {
      input,
      output,
      uncached: amount(ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS) ?? 0,
      cacheRead: amount(ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS) ?? 0,
      cacheWrite: amount(ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS) ?? 0,
      cacheWrite1h: amount(ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS) ?? 0,
      reasoning: amount(ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS) ?? 0,
      toolResult: amount(ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS) ?? 0,
    };
  }
  const total = amount(ATTR_TOKENLEDGER_COST_USD);
  if (total !== undefined) {
    figures.cost = {
      total,
      uncachedInput: amount(ATTR_TOKENLEDGER_COST_UNCACHED_INPUT_USD) ?? 0,
      cacheRead: amount(ATTR_TOKENLEDGER_COST_CACHE_READ_USD) ?? 0,
      cacheWrite: (amount(ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_5M_USD) ?? 0) + (amount(ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_1H_USD) ?? 0),
      output: amount(ATTR_TOKENLEDGER_COST_OUTPUT_USD) ?? 0,
      reasoning: amount(ATTR_TOKENLEDGER_COST_REASONING_USD) ?? 0,
      toolResult: amount(ATTR_TOKENLEDGER_COST_TOOL_RESULT_USD) ?? 0,
      requestFees: amount(ATTR_TOKENLEDGER_COST_REQUEST_FEES_USD) ?? 0,
    };
  }
  return figures;
}
