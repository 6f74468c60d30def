// A call's figures in the conventions other backends read, written on request (TOKENLEDGER_BACKEND_CONVENTIONS) so
// their UIs show tokenledger's numbers instead of their own guesses:
//
// | tokenledger figure        | OpenInference (Phoenix, Arize)                       | Langfuse usage / cost key    |
// |---------------------------|------------------------------------------------------|------------------------------|
// | uncached input            | prompt − its details; llm.cost.prompt_details.input  | input                        |
// | cache read                | llm.token_count/cost.prompt_details.cache_read       | input_cache_read             |
// | cache write 5 min + 1 h   | llm.token_count/cost.prompt_details.cache_write      | input_cache_creation (5 min), input_cache_creation_1h |
// | all input                 | llm.token_count.prompt, llm.cost.prompt              | (the sum of the input_* keys) |
// | output                    | llm.token_count.completion, llm.cost.completion      | output                       |
// | reasoning ⊂ output        | …completion_details.reasoning (cost: output − reasoning in …completion_details.output) | — (a subset: Langfuse would add it) |
// | request fees              | in llm.cost.total only                               | request_fees (cost)          |
// | total                     | llm.token_count.total, llm.cost.total                | total                        |
//
// Langfuse reads `langfuse.observation.usage_details` / `cost_details` before any `gen_ai.usage.*` key, sums usage
// types into its total only when no `total` is given, and counts every type whose name contains `input` as input: so
// the keys are the parts, with the total. OpenInference's details are subsets of the prompt and completion, which
// Phoenix prices with the remainder at the input and output rates. Pure: figures in, attributes out.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_LANGFUSE_OBSERVATION_COST_DETAILS,
  ATTR_LANGFUSE_OBSERVATION_USAGE_DETAILS,
  ATTR_LLM_COST_COMPLETION,
  ATTR_LLM_COST_COMPLETION_DETAILS_OUTPUT,
  ATTR_LLM_COST_COMPLETION_DETAILS_REASONING,
  ATTR_LLM_COST_PROMPT,
  ATTR_LLM_COST_PROMPT_DETAILS_CACHE_READ,
  ATTR_LLM_COST_PROMPT_DETAILS_CACHE_WRITE,
  ATTR_LLM_COST_PROMPT_DETAILS_INPUT,
  ATTR_LLM_COST_TOTAL,
  ATTR_LLM_MODEL_NAME,
  ATTR_LLM_PROVIDER,
  ATTR_LLM_TOKEN_COUNT_COMPLETION,
  ATTR_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING,
  ATTR_LLM_TOKEN_COUNT_PROMPT,
  ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ,
  ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE,
  ATTR_LLM_TOKEN_COUNT_TOTAL,
  ATTR_OPENINFERENCE_SPAN_KIND,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  OPENINFERENCE_SPAN_KIND_VALUE_LLM,
} from '../conventions/attributes.ts';
import { stringAttribute } from './attribute-values.ts';
import type { CallFigures } from './call-figures.ts';
import { usd } from './pricing/call-pricer.ts';
import type { CostAmounts, TokenCounts } from './token-types.ts';

export const BACKEND_CONVENTIONS = ['openinference', 'langfuse'] as const;
export type BackendConvention = (typeof BACKEND_CONVENTIONS)[number];

/** The cost attributes `backendAttributes` may write: what a span priced elsewhere and judged a duplicate here loses. */
export const BACKEND_COST_ATTRIBUTES: readonly string[] = [
  ATTR_LLM_COST_PROMPT,
  ATTR_LLM_COST_COMPLETION,
  ATTR_LLM_COST_TOTAL,
  ATTR_LLM_COST_PROMPT_DETAILS_INPUT,
  ATTR_LLM_COST_PROMPT_DETAILS_CACHE_READ,
  ATTR_LLM_COST_PROMPT_DETAILS_CACHE_WRITE,
  ATTR_LLM_COST_COMPLETION_DETAILS_OUTPUT,
  ATTR_LLM_COST_COMPLETION_DETAILS_REASONING,
  ATTR_LANGFUSE_OBSERVATION_COST_DETAILS,
];

/** `gen_ai.provider.name` → OpenInference's `llm.provider` values, for the backend's price lookup. */
const OPENINFERENCE_PROVIDERS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  'aws.bedrock': 'aws',
  'azure.ai.openai': 'azure',
};

/** Langfuse usage and cost types, one per part of the partition (tokenledger's token-type ids). */
const LANGFUSE_TYPES: ReadonlyArray<readonly [string, keyof CostAmounts & keyof TokenCounts]> = [
  ['input', 'uncached_input'],
  ['input_cache_read', 'cache_read'],
  ['input_cache_creation', 'cache_write_5m'],
  ['input_cache_creation_1h', 'cache_write_1h'],
  ['output', 'output'],
];

/** The attributes of `conventions` for one call; figures the call left unknown are not written. */
export function backendAttributes(conventions: readonly BackendConvention[], call: CallFigures, span: Attributes): Attributes {
  const out: Attributes = {};
  if (call.refused) return out;
  if (conventions.includes('openinference')) openInference(call, span, out);
  if (conventions.includes('langfuse')) langfuse(call, out);
  return out;
}

function openInference(call: CallFigures, span: Attributes, out: Attributes): void {
  if (span[ATTR_GEN_AI_OPERATION_NAME] !== GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS) out[ATTR_OPENINFERENCE_SPAN_KIND] = OPENINFERENCE_SPAN_KIND_VALUE_LLM;
  const provider = stringAttribute(span[ATTR_GEN_AI_PROVIDER_NAME]);
  if (provider) out[ATTR_LLM_PROVIDER] = OPENINFERENCE_PROVIDERS[provider] ?? provider;
  const model = stringAttribute(span[ATTR_GEN_AI_RESPONSE_MODEL]) ?? stringAttribute(span[ATTR_GEN_AI_REQUEST_MODEL]);
  if (model) out[ATTR_LLM_MODEL_NAME] = model;
  const { tokens, cost } = call;
  if (tokens) {
    out[ATTR_LLM_TOKEN_COUNT_PROMPT] = tokens.input!;
    out[ATTR_LLM_TOKEN_COUNT_COMPLETION] = tokens.output!;
    out[ATTR_LLM_TOKEN_COUNT_TOTAL] = tokens.input! + tokens.output!;
    out[ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ] = tokens.cache_read!;
    out[ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE] = tokens.cache_write!;
    if (tokens.reasoning !== undefined) out[ATTR_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING] = tokens.reasoning;
  }
  if (cost) {
    const cacheWrite = cost.cache_write_5m! + cost.cache_write_1h!;
    out[ATTR_LLM_COST_PROMPT] = usd(cost.uncached_input! + cost.cache_read! + cacheWrite);
    out[ATTR_LLM_COST_COMPLETION] = usd(cost.output!);
    out[ATTR_LLM_COST_TOTAL] = usd(cost.total!);
    out[ATTR_LLM_COST_PROMPT_DETAILS_INPUT] = usd(cost.uncached_input!);
    out[ATTR_LLM_COST_PROMPT_DETAILS_CACHE_READ] = usd(cost.cache_read!);
    out[ATTR_LLM_COST_PROMPT_DETAILS_CACHE_WRITE] = usd(cacheWrite);
    if (cost.reasoning !== undefined) {
      out[ATTR_LLM_COST_COMPLETION_DETAILS_REASONING] = usd(cost.reasoning);
      out[ATTR_LLM_COST_COMPLETION_DETAILS_OUTPUT] = usd(cost.output! - cost.reasoning);
    } else {
      out[ATTR_LLM_COST_COMPLETION_DETAILS_OUTPUT] = usd(cost.output!);
    }
  }
}

function langfuse(call: CallFigures, out: Attributes): void {
  const { tokens, cost } = call;
  if (tokens) {
    const usage: Record<string, number> = {};
    for (const [key, id] of LANGFUSE_TYPES) if (tokens[id]! > 0 || key === 'input' || key === 'output') usage[key] = tokens[id]!;
    usage.total = tokens.input! + tokens.output!;
    out[ATTR_LANGFUSE_OBSERVATION_USAGE_DETAILS] = JSON.stringify(usage);
  }
  if (cost) {
    const amounts: Record<string, number> = {};
    for (const [key, id] of LANGFUSE_TYPES) if (cost[id]! > 0 || key === 'input' || key === 'output') amounts[key] = usd(cost[id]!);
    if (cost.request_fees! > 0) amounts.request_fees = usd(cost.request_fees!);
    amounts.total = usd(cost.total!);
    out[ATTR_LANGFUSE_OBSERVATION_COST_DETAILS] = JSON.stringify(amounts);
  }
}
