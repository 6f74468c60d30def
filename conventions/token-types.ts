// Generated from conventions/registry.yaml by `npm run conventions` — do not edit.
//
// The token types a call is billed for (see the `token_types` table of the registry).

/** One row of the token-type table: a thing a call is billed for, and the names it goes by. */
export interface TokenTypeRow {
  /** The id, also the `tokenledger.token.type` value of its metric series. */
  readonly id: string;
  /** `part`: the parts add up to the bill; `subset`: inside a part, never added on top. */
  readonly role: 'part' | 'subset';
  /** Whether it is billed as input, as output, or as a fee per request. */
  readonly side: 'input' | 'output' | 'fees';
  /** For a subset: the part or total it is inside. */
  readonly of: string | undefined;
  /** The call span attribute of its token count (none for fees). */
  readonly usageAttribute: string | undefined;
  /** The call span attribute of its cost, in USD. */
  readonly costAttribute: string;
  /** The run span attribute of its token count over the run (none for fees). */
  readonly runUsageAttribute: string | undefined;
  /** The run span attribute of its cost over the run, in USD. */
  readonly runCostAttribute: string;
  /** A genai-prices price key, `input_share` or `fees`. */
  readonly price: string;
  /** The part whose rate applies when the price entry has no rate for `price`. */
  readonly pricedAs: string | undefined;
  /** The GenAI conventions' metric of its tokens, where there is one. */
  readonly genaiMetric: string | undefined;
}

/** The token-type table, the registry's `token_types`: the parts of a bill, then the subsets inside them. */
export const TOKEN_TYPES = [
  { id: 'uncached_input', role: 'part', side: 'input', of: undefined, usageAttribute: 'tokenledger.usage.uncached.input_tokens', costAttribute: 'tokenledger.cost.uncached_input.usd', runUsageAttribute: 'tokenledger.run.usage.uncached.input_tokens', runCostAttribute: 'tokenledger.run.cost.uncached_input.usd', price: 'input_mtok', pricedAs: undefined, genaiMetric: undefined },
  { id: 'cache_read', role: 'part', side: 'input', of: undefined, usageAttribute: 'gen_ai.usage.cache_read.input_tokens', costAttribute: 'tokenledger.cost.cache_read.usd', runUsageAttribute: 'tokenledger.run.usage.cache_read.input_tokens', runCostAttribute: 'tokenledger.run.cost.cache_read.usd', price: 'cache_read_mtok', pricedAs: 'uncached_input', genaiMetric: 'gen_ai.client.inference.usage.cache_read.input_tokens' },
  { id: 'cache_write_5m', role: 'part', side: 'input', of: undefined, usageAttribute: 'tokenledger.usage.cache_write.ttl_5m.input_tokens', costAttribute: 'tokenledger.cost.cache_write.ttl_5m.usd', runUsageAttribute: 'tokenledger.run.usage.cache_write.ttl_5m.input_tokens', runCostAttribute: 'tokenledger.run.cost.cache_write.ttl_5m.usd', price: 'cache_write_mtok', pricedAs: 'uncached_input', genaiMetric: undefined },
  { id: 'cache_write_1h', role: 'part', side: 'input', of: undefined, usageAttribute: 'tokenledger.usage.cache_write.ttl_1h.input_tokens', costAttribute: 'tokenledger.cost.cache_write.ttl_1h.usd', runUsageAttribute: 'tokenledger.run.usage.cache_write.ttl_1h.input_tokens', runCostAttribute: 'tokenledger.run.cost.cache_write.ttl_1h.usd', price: 'cache_write_1h_mtok', pricedAs: 'cache_write_5m', genaiMetric: undefined },
  { id: 'output', role: 'part', side: 'output', of: undefined, usageAttribute: 'gen_ai.usage.output_tokens', costAttribute: 'tokenledger.cost.output.usd', runUsageAttribute: 'tokenledger.run.usage.output_tokens', runCostAttribute: 'tokenledger.run.cost.output.usd', price: 'output_mtok', pricedAs: undefined, genaiMetric: 'gen_ai.client.inference.usage.output_tokens' },
  { id: 'request_fees', role: 'part', side: 'fees', of: undefined, usageAttribute: undefined, costAttribute: 'tokenledger.cost.request_fees.usd', runUsageAttribute: undefined, runCostAttribute: 'tokenledger.run.cost.request_fees.usd', price: 'fees', pricedAs: undefined, genaiMetric: undefined },
  { id: 'reasoning', role: 'subset', side: 'output', of: 'output', usageAttribute: 'gen_ai.usage.reasoning.output_tokens', costAttribute: 'tokenledger.cost.reasoning.usd', runUsageAttribute: 'tokenledger.run.usage.reasoning.output_tokens', runCostAttribute: 'tokenledger.run.cost.reasoning.usd', price: 'output_reasoning_mtok', pricedAs: 'output', genaiMetric: 'gen_ai.client.inference.usage.reasoning.output_tokens' },
  { id: 'tool_result', role: 'subset', side: 'input', of: 'input', usageAttribute: 'tokenledger.usage.tool_result.input_tokens', costAttribute: 'tokenledger.cost.tool_result.usd', runUsageAttribute: 'tokenledger.run.usage.tool_result.input_tokens', runCostAttribute: 'tokenledger.run.cost.tool_result.usd', price: 'input_share', pricedAs: undefined, genaiMetric: undefined },
] as const satisfies readonly TokenTypeRow[];

/** The id of a token type. */
export type TokenTypeId = (typeof TOKEN_TYPES)[number]['id'];

/** A sum of parts that spans carry beside the parts themselves (the registry's `token_totals`). */
export interface TokenTotalRow {
  /** The id of the total. */
  readonly id: string;
  /** The token types it adds up. */
  readonly parts: readonly string[];
  /** The call span attribute of its token count. */
  readonly usageAttribute: string | undefined;
  /** The same figure under a name older consumers read (written on request). */
  readonly legacyUsageAttribute: string | undefined;
  /** The run span attribute of its token count over the run. */
  readonly runUsageAttribute: string | undefined;
  /** The call span attribute of its cost, in USD. */
  readonly costAttribute: string | undefined;
  /** The run span attribute of its cost over the run, in USD. */
  readonly runCostAttribute: string | undefined;
  /** The GenAI conventions' metric of its tokens, where there is one. */
  readonly genaiMetric: string | undefined;
}

/** The totals, the registry's `token_totals`: each the sum of its parts. */
export const TOKEN_TOTALS = [
  { id: 'input', parts: ['uncached_input', 'cache_read', 'cache_write_5m', 'cache_write_1h'], usageAttribute: 'gen_ai.usage.input_tokens', legacyUsageAttribute: undefined, runUsageAttribute: 'tokenledger.run.usage.input_tokens', costAttribute: undefined, runCostAttribute: undefined, genaiMetric: 'gen_ai.client.inference.usage.input_tokens' },
  { id: 'cache_write', parts: ['cache_write_5m', 'cache_write_1h'], usageAttribute: 'gen_ai.usage.cache_write.input_tokens', legacyUsageAttribute: 'gen_ai.usage.cache_creation.input_tokens', runUsageAttribute: 'tokenledger.run.usage.cache_write.input_tokens', costAttribute: undefined, runCostAttribute: undefined, genaiMetric: 'gen_ai.client.inference.usage.cache_write.input_tokens' },
  { id: 'cost', parts: ['uncached_input', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output', 'request_fees'], usageAttribute: undefined, legacyUsageAttribute: undefined, runUsageAttribute: undefined, costAttribute: 'tokenledger.cost.usd', runCostAttribute: 'tokenledger.run.cost.usd', genaiMetric: undefined },
] as const satisfies readonly TokenTotalRow[];
