// Generated from conventions/registry.yaml by `npm run conventions` — do not edit.

// Span and metric attribute names.
/** The operation: `chat`, `generate_content` (Gemini), `embeddings`, `invoke_agent`, `execute_tool`. (genai, string) */
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** The provider: `openai`, `anthropic`, `gcp.gemini` (Gemini API), `gcp.vertex_ai` (Vertex AI). (genai, string) */
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** The model name the request asked for, as the app sent it. (genai, string) */
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
/** The model name the provider reports having used (often a dated snapshot). (genai, string) */
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
/** The provider's id of the completion or response. (genai, string) */
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
/** Why generation stopped, one entry per choice or candidate, as the provider names it. (genai, string[]) */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
/** The output token limit the request set. (genai, int) */
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
/** The sampling temperature the request set. (genai, double) */
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
/** The nucleus sampling parameter the request set. (genai, double) */
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
/** The top-k sampling parameter the request set. (genai, double) */
export const ATTR_GEN_AI_REQUEST_TOP_K = 'gen_ai.request.top_k';
/** The stop sequences the request set. (genai, string[]) */
export const ATTR_GEN_AI_REQUEST_STOP_SEQUENCES = 'gen_ai.request.stop_sequences';
/** The seed the request set. (genai, int) */
export const ATTR_GEN_AI_REQUEST_SEED = 'gen_ai.request.seed';
/** The frequency penalty the request set. (genai, double) */
export const ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY = 'gen_ai.request.frequency_penalty';
/** The presence penalty the request set. (genai, double) */
export const ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY = 'gen_ai.request.presence_penalty';
/** Whether the response was requested as a stream. (genai, boolean) */
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
/** Seconds from the start of the call to the first streamed chunk reaching the app (streams only). (genai, double) */
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
/** The app's own conversation id, only when the app has one; never invented. (genai, string) */
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
/** `chat_completions`, `responses` or `embeddings`. (genai, string) */
export const ATTR_OPENAI_API_TYPE = 'openai.api.type';
/** The service tier the request asked for (`auto`, `default`, `flex`, `priority`). (genai, string) */
export const ATTR_OPENAI_REQUEST_SERVICE_TIER = 'openai.request.service_tier';
/** The service tier OpenAI reports having used; it decides the price. (genai, string) */
export const ATTR_OPENAI_RESPONSE_SERVICE_TIER = 'openai.response.service_tier';
/** Host name of the provider endpoint the SDK client talks to. (otel, string) */
export const ATTR_SERVER_ADDRESS = 'server.address';
/** Port of the provider endpoint the SDK client talks to. (otel, int) */
export const ATTR_SERVER_PORT = 'server.port';
/** The error's class name (low cardinality), else `_OTHER`; set when the operation failed. (otel, string) */
export const ATTR_ERROR_TYPE = 'error.type';
/** ALL input tokens: uncached + cache read + cache write. For Anthropic this is `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`. (genai, int) */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
/** ALL output tokens, reasoning/thinking included. For Gemini this is `candidatesTokenCount + thoughtsTokenCount`. (genai, int) */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
/** Input tokens served from the provider's prompt cache; a subset of `gen_ai.usage.input_tokens`. (genai, int) */
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
/** Input tokens written to the provider's prompt cache (all TTLs); a subset of `gen_ai.usage.input_tokens`. (genai, int) */
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.usage.cache_write.input_tokens';
/** Reasoning/thinking tokens; a subset of `gen_ai.usage.output_tokens`, billed at the output rate. (genai, int) */
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
/** Legacy name of `gen_ai.usage.cache_write.input_tokens`, same value; written only when TOKENLEDGER_LEGACY_ATTRIBUTES=true for consumers that still read it. (genai, int) */
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';
/** Input tokens billed at the full input rate: input − cache read − cache write. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS = 'tokenledger.usage.uncached.input_tokens';
/** Cache-write tokens with a 5-minute TTL (Anthropic 1.25× input). With the 1-hour figure it adds up to `gen_ai.usage.cache_write.input_tokens`; writes whose TTL the provider does not report count here. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_5M_INPUT_TOKENS = 'tokenledger.usage.cache_write.ttl_5m.input_tokens';
/** Cache-write tokens with a 1-hour TTL (Anthropic 2× input); a subset of `gen_ai.usage.cache_write.input_tokens`. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS = 'tokenledger.usage.cache_write.ttl_1h.input_tokens';
/** ESTIMATED input tokens made up by tool results sent back in the request (OpenAI `tool` messages and `function_call_output` items, Anthropic `tool_result` blocks, Gemini `functionResponse` parts): the provider-reported input apportioned by the tool results' share of the prompt text, measured with an offline tokenizer. A subset of `gen_ai.usage.input_tokens`; never added on top. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS = 'tokenledger.usage.tool_result.input_tokens';
/** How the tool-result figure was estimated: `o200k_share` (tokenizer ratio) or `char_share` (character ratio). (tokenledger, string) */
export const ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION = 'tokenledger.usage.tool_result.estimation';
/** Why some or all usage figures are absent: `usage_missing` (no usage in the response), `usage_malformed` (a field missing, null, negative or not a number), `stream_usage_not_requested`, `stream_incomplete` (the stream ended before usage arrived), `raw_response` (the app read the raw body). (tokenledger, string) */
export const ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON = 'tokenledger.usage.unknown_reason';
/** Anthropic server-side compaction input (`usage.iterations` of type `compaction`), billed but reported apart from the top-level usage; included in `gen_ai.usage.input_tokens` and the uncached figure. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_COMPACTION_INPUT_TOKENS = 'tokenledger.usage.compaction.input_tokens';
/** Anthropic server-side compaction output; included in `gen_ai.usage.output_tokens`. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_COMPACTION_OUTPUT_TOKENS = 'tokenledger.usage.compaction.output_tokens';
/** Server-side web searches the provider ran for the call and bills per request (Anthropic `usage.server_tool_use.web_search_requests`); priced as a request fee. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS = 'tokenledger.usage.web_search.requests';
/** On an LLM span another instrumentation made, the convention its usage was read from and normalised: `genai` (current GenAI names), `genai_legacy` (`gen_ai.system`, `prompt_tokens`/`completion_tokens`, `cache_creation`), `anthropic_sdk`, `openinference`, or `anthropic_excluding_cache` (OpenLLMetry-JS and OpenLIT, whose Anthropic input leaves the cache out; tokenledger adds it back). (tokenledger, string) */
export const ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION = 'tokenledger.usage.source_convention';
/** A 16-hex-digit fingerprint of the stable prompt prefix (system prompt + tool definitions). When it changes between calls of one agent, the provider's prompt cache was busted. (tokenledger, string) */
export const ATTR_TOKENLEDGER_REQUEST_PREFIX_HASH = 'tokenledger.request.prefix_hash';
/** True when the call was served through a provider batch API and is billed at the batch rate. (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_REQUEST_BATCH = 'tokenledger.request.batch';
/** The service tier that priced the call, for every provider (`standard`, `flex`, `priority`, `batch`): the response's tier where the provider reports one, else the requested one. (tokenledger, string) */
export const ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER = 'tokenledger.request.service_tier';
/** The call's total cost in USD. Absent when the cost is unknown (see `tokenledger.cost.unknown_reason`). (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_USD = 'tokenledger.cost.usd';
/** USD for uncached input tokens; a part of the total. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_UNCACHED_INPUT_USD = 'tokenledger.cost.uncached_input.usd';
/** USD for cache-read tokens; a part of the total. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_CACHE_READ_USD = 'tokenledger.cost.cache_read.usd';
/** USD for 5-minute cache writes; a part of the total. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_5M_USD = 'tokenledger.cost.cache_write.ttl_5m.usd';
/** USD for 1-hour cache writes; a part of the total. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_1H_USD = 'tokenledger.cost.cache_write.ttl_1h.usd';
/** USD for all output tokens, reasoning included; a part of the total. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_OUTPUT_USD = 'tokenledger.cost.output.usd';
/** USD for reasoning tokens; a SUBSET of `tokenledger.cost.output.usd`, not a part of the total. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_REASONING_USD = 'tokenledger.cost.reasoning.usd';
/** Estimated USD for tool-result input; a SUBSET of the input costs, not a part of the total. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_TOOL_RESULT_USD = 'tokenledger.cost.tool_result.usd';
/** USD billed per request beside tokens (e.g. server-side web searches); a part of the total. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_REQUEST_FEES_USD = 'tokenledger.cost.request_fees.usd';
/** Which price data priced the call: `bundled`, `override` or `refreshed`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_COST_SOURCE = 'tokenledger.cost.source';
/** The price entry used, `{provider id}/{model id}` as the price data names them. (tokenledger, string) */
export const ATTR_TOKENLEDGER_COST_PRICE_ENTRY = 'tokenledger.cost.price_entry';
/** Version of the price data (the pricing package version, or the override file's). (tokenledger, string) */
export const ATTR_TOKENLEDGER_COST_DATA_VERSION = 'tokenledger.cost.data_version';
/** The factor applied to the token charges for the call's batch or service tier (batch 0.5, flex 0.5, priority per provider, or an override's modifier); 1 at standard rates. Request fees are not scaled. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_MULTIPLIER = 'tokenledger.cost.multiplier';
/** The proposed GenAI cost attribute (semantic-conventions-genai#443, not yet adopted): the same value as `tokenledger.cost.usd`, written only when TOKENLEDGER_GENAI_COST_ATTRIBUTES=true. (genai, double) */
export const ATTR_GEN_AI_USAGE_COST_AMOUNT = 'gen_ai.usage.cost.amount';
/** `USD`, with `gen_ai.usage.cost.amount`. (genai, string) */
export const ATTR_GEN_AI_USAGE_COST_CURRENCY = 'gen_ai.usage.cost.currency';
/** `local` (computed in-process from price data), with `gen_ai.usage.cost.amount`. (genai, string) */
export const ATTR_GEN_AI_USAGE_COST_SOURCE = 'gen_ai.usage.cost.source';
/** Why the cost is absent: `unknown_model`, `usage_unknown`, `pricing_error`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_COST_UNKNOWN_REASON = 'tokenledger.cost.unknown_reason';
/** The agent's name, on its run span. (genai, string) */
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
/** The agent's id, when the app has one. (genai, string) */
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
/** The tool's name. (genai, string) */
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** The model's id of the tool call this execution answers. (genai, string) */
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
/** The run's id (its span id), also on budget errors. (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_ID = 'tokenledger.run.id';
/** What the run figures cover: `subtree` (this run and every nested run under it). (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_SCOPE = 'tokenledger.run.scope';
/** False when some of the run's spans were lost, evicted or unpriced, so totals are lower bounds. (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_RUN_COMPLETE = 'tokenledger.run.complete';
/** The run's outcome. A user may set it on their own root span; the processor honours it. (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_RUN_SUCCESS = 'tokenledger.run.success';
/** Why the run failed, as given by `run.fail(reason)` or the thrown error's class name. (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_FAILURE_REASON = 'tokenledger.run.failure_reason';
/** Number of LLM calls in the run. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_STEPS = 'tokenledger.run.steps';
/** Number of tool executions in the run. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_TOOL_CALLS = 'tokenledger.run.tool_calls';
/** Number of LLM calls that failed and were repeated. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_RETRIES = 'tokenledger.run.retries';
/** The steps the task should take; from the run's configuration, else learned per agent name, else absent. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_IDEAL_STEPS = 'tokenledger.run.ideal_steps';
/** steps / ideal steps. Absent when ideal steps are unknown. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_STEP_INFLATION = 'tokenledger.run.step_inflation';
/** cache-read input tokens / all input tokens of the run. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_CACHE_HIT_RATE = 'tokenledger.run.cache_hit_rate';
/** useful output tokens / (input + output tokens); useful output is the output of steps not failed and not retried. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_TOKEN_EFFICIENCY = 'tokenledger.run.token_efficiency';
/** Where the ideal steps came from: `configured` (the run API or the attribute on the run span) or `learned` (the 10th percentile of the agent's last successful runs, once it has 5). (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE = 'tokenledger.run.ideal_steps.source';
/** Tool executions in the run that failed. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_TOOL_ERRORS = 'tokenledger.run.tool_errors';
/** LLM calls in the run that ended in an error. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_FAILED_CALLS = 'tokenledger.run.failed_calls';
/** LLM calls in the run whose usage or cost is unknown; when above 0 the run's cost is a lower bound. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_UNPRICED_CALLS = 'tokenledger.run.unpriced_calls';
/** Input tokens of each LLM call in order (the first 64), to see the context grow. (tokenledger, int[]) */
export const ATTR_TOKENLEDGER_RUN_INPUT_TOKENS_PER_STEP = 'tokenledger.run.input_tokens_per_step';
/** The least-squares slope of input tokens over the steps of the run's own calls. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_CONTEXT_GROWTH_TOKENS_PER_STEP = 'tokenledger.run.context_growth.tokens_per_step';
/** True when each step resends a steadily growing context (at least 4 steps, slope above 0, input per step fits a line with R² ≥ 0.8 and the last step has at least twice the first's input), so the run's total input grows quadratically with its steps. (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_RUN_CONTEXT_GROWTH_QUADRATIC = 'tokenledger.run.context_growth.quadratic';
/** The run's total cost in USD over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_USD = 'tokenledger.run.cost.usd';
/** The run's USD for uncached input. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_UNCACHED_INPUT_USD = 'tokenledger.run.cost.uncached_input.usd';
/** The run's USD for cache reads. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_CACHE_READ_USD = 'tokenledger.run.cost.cache_read.usd';
/** The run's USD for cache writes (both TTLs). (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_CACHE_WRITE_USD = 'tokenledger.run.cost.cache_write.usd';
/** The run's USD for output, reasoning included. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_OUTPUT_USD = 'tokenledger.run.cost.output.usd';
/** The run's USD for reasoning; a subset of the output cost. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_REASONING_USD = 'tokenledger.run.cost.reasoning.usd';
/** The run's estimated USD for tool-result input; a subset of the input costs. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_TOOL_RESULT_USD = 'tokenledger.run.cost.tool_result.usd';
/** The run's USD for per-request fees. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_REQUEST_FEES_USD = 'tokenledger.run.cost.request_fees.usd';
/** The run's input tokens (all kinds); never written as `gen_ai.usage.*` on the run span. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_INPUT_TOKENS = 'tokenledger.run.usage.input_tokens';
/** The run's output tokens, reasoning included. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_OUTPUT_TOKENS = 'tokenledger.run.usage.output_tokens';
/** The run's uncached input tokens. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_UNCACHED_INPUT_TOKENS = 'tokenledger.run.usage.uncached.input_tokens';
/** The run's cache-read input tokens. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_CACHE_READ_INPUT_TOKENS = 'tokenledger.run.usage.cache_read.input_tokens';
/** The run's cache-write input tokens. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_INPUT_TOKENS = 'tokenledger.run.usage.cache_write.input_tokens';
/** The run's 1-hour cache-write input tokens (a subset of its cache writes). (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS = 'tokenledger.run.usage.cache_write.ttl_1h.input_tokens';
/** The run's reasoning output tokens. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_REASONING_OUTPUT_TOKENS = 'tokenledger.run.usage.reasoning.output_tokens';
/** The run's estimated tool-result input tokens. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_TOOL_RESULT_INPUT_TOKENS = 'tokenledger.run.usage.tool_result.input_tokens';
/** The run's budget in USD (from the run API, the agent's configuration or TOKENLEDGER_RUN_MAX_USD). (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_MAX_USD = 'tokenledger.run.budget.max_usd';
/** The run's budget in LLM calls (TOKENLEDGER_RUN_MAX_STEPS for every run). (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_MAX_STEPS = 'tokenledger.run.budget.max_steps';
/** The run's budget in input tokens. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_MAX_INPUT_TOKENS = 'tokenledger.run.budget.max_input_tokens';
/** The run's budget in output tokens. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_MAX_OUTPUT_TOKENS = 'tokenledger.run.budget.max_output_tokens';
/** `enforce` (a call that would break a limit is not sent) or `warn` (it is sent and the breach recorded). (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_MODE = 'tokenledger.run.budget.mode';
/** The first limit the run broke or would have broken: `max_usd`, `max_steps`, `max_input_tokens`, `max_output_tokens`, `repeated_tool_call`, `consecutive_failures`, `step_inflation`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_EXCEEDED = 'tokenledger.run.budget.exceeded';
/** How many times a guardrail fired in the run (each is also a span event on the run span). (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_BREACHES = 'tokenledger.run.budget.breaches';
/** The output token cap tokenledger applied to the request because the app sent no limit or a higher one (token caps are off unless configured); `gen_ai.request.max_tokens` is then the capped value. (tokenledger, int) */
export const ATTR_TOKENLEDGER_REQUEST_MAX_TOKENS_CAP = 'tokenledger.request.max_tokens_cap';
/** SHA-256 (hex) of the tool name and its canonically serialised arguments (key order, whitespace and number formatting do not change it): the memoisation key, and how repeated calls are recognised. (tokenledger, string) */
export const ATTR_TOKENLEDGER_TOOL_ARGS_HASH = 'tokenledger.tool.args_hash';
/** For a memoised tool, whether the result came from the cache (the function did not run). (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_TOOL_CACHE_HIT = 'tokenledger.tool.cache.hit';
/** On `tokenledger.guard.breaches`: the limit, as in `tokenledger.run.budget.exceeded`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_GUARD_LIMIT = 'tokenledger.guard.limit';
/** On `tokenledger.guard.breaches`: `enforce` or `warn`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_GUARD_MODE = 'tokenledger.guard.mode';
/** On `tokenledger.tool.cache.requests`: `hit` or `miss`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_TOOL_CACHE_RESULT = 'tokenledger.tool.cache.result';
/** The request's messages as JSON; only with content capture on. (genai, string) */
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
/** The response's messages as JSON; only with content capture on. (genai, string) */
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
/** The system prompt as JSON; only with content capture on. (genai, string) */
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
/** On `gen_ai.client.token.usage`: `input` or `output`. (genai, string) */
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
/** On our token and cost counters: `uncached_input`, `cache_read`, `cache_write_5m`, `cache_write_1h`, `output`, `reasoning` (subset of output), `tool_result` (subset of input), `request_fees` (cost only). (tokenledger, string) */
export const ATTR_TOKENLEDGER_TOKEN_TYPE = 'tokenledger.token.type';
/** On `tokenledger.processor.runs.evicted`: `max_runs` or `max_age`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_PROCESSOR_EVICTION_REASON = 'tokenledger.processor.eviction_reason';
/** On run metrics: `success` or `failure`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_OUTCOME = 'tokenledger.run.outcome';

// Span event names.
/** On the run span: a call would break (enforce) or broke (warn) the run's budget. Attributes: `tokenledger.guard.limit`, `tokenledger.guard.mode`, and `spent`, `estimate`, `max`. */
export const EVENT_TOKENLEDGER_BUDGET_EXCEEDED = 'tokenledger.budget.exceeded';
/** On the run span: the runaway-loop breaker fired. Attributes: `tokenledger.guard.limit`, `tokenledger.guard.mode`, and `observed`, `max`. */
export const EVENT_TOKENLEDGER_LOOP_DETECTED = 'tokenledger.loop.detected';

// Metric names.
/** Billable input and output tokens per call, as the GenAI conventions define it. (histogram, {token}) */
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
/** Duration of each LLM call, as the GenAI conventions define it. (histogram, s) */
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
/** Tokens by type. `reasoning` and `tool_result` are subsets; sum the other four types for the total. (counter, {token}) */
export const METRIC_TOKENLEDGER_TOKENS = 'tokenledger.tokens';
/** USD by token type, same subset rules as `tokenledger.tokens`. (counter, USD) */
export const METRIC_TOKENLEDGER_COST = 'tokenledger.cost';
/** LLM calls whose cost is unknown, so a dashboard can show how much spend it cannot see. (counter, {call}) */
export const METRIC_TOKENLEDGER_CALLS_UNPRICED = 'tokenledger.calls.unpriced';
/** Finished runs by outcome. (counter, {run}) */
export const METRIC_TOKENLEDGER_RUNS = 'tokenledger.runs';
/** Cost per run. (histogram, USD) */
export const METRIC_TOKENLEDGER_RUN_COST = 'tokenledger.run.cost';
/** LLM calls per run. (histogram, {step}) */
export const METRIC_TOKENLEDGER_RUN_STEPS = 'tokenledger.run.steps';
/** Steps / ideal steps per run, for runs whose ideal is known. (histogram, 1) */
export const METRIC_TOKENLEDGER_RUN_STEP_INFLATION = 'tokenledger.run.step_inflation';
/** Cache hit rate per run. (histogram, 1) */
export const METRIC_TOKENLEDGER_RUN_CACHE_HIT_RATE = 'tokenledger.run.cache_hit_rate';
/** Token efficiency index per run. (histogram, 1) */
export const METRIC_TOKENLEDGER_RUN_TOKEN_EFFICIENCY = 'tokenledger.run.token_efficiency';
/** Runs the span processor holds in memory (started, not yet ended or evicted). (updowncounter, {run}) */
export const METRIC_TOKENLEDGER_PROCESSOR_RUNS_ACTIVE = 'tokenledger.processor.runs.active';
/** Runs dropped from memory before their root span ended (too many in flight, or too old); their spans are marked incomplete. (counter, {run}) */
export const METRIC_TOKENLEDGER_PROCESSOR_RUNS_EVICTED = 'tokenledger.processor.runs.evicted';
/** Spans that ended after their run had been rolled up or evicted; their figures are not in any run. (counter, {span}) */
export const METRIC_TOKENLEDGER_PROCESSOR_SPANS_LATE = 'tokenledger.processor.spans.late';
/** Guardrail breaches, enforced (the call or tool was stopped) or warned. (counter, {breach}) */
export const METRIC_TOKENLEDGER_GUARD_BREACHES = 'tokenledger.guard.breaches';
/** Memoised tool executions by cache result. (counter, {request}) */
export const METRIC_TOKENLEDGER_TOOL_CACHE_REQUESTS = 'tokenledger.tool.cache.requests';
/** Collector mode - traces forwarded early, un-rolled, because the trace or span limit was reached. (counter, {trace}) */
export const METRIC_TOKENLEDGER_COLLECTOR_TRACES_EVICTED = 'tokenledger.collector.traces.evicted';
/** Collector mode - spans that arrived after their trace was forwarded (forwarded as they are). (counter, {span}) */
export const METRIC_TOKENLEDGER_COLLECTOR_SPANS_LATE = 'tokenledger.collector.spans.late';
/** Collector mode - requests for the upstream dropped because its queue was full or it refused them. (counter, {request}) */
export const METRIC_TOKENLEDGER_COLLECTOR_REQUESTS_DROPPED = 'tokenledger.collector.requests.dropped';
/** Collector mode - spans the upstream rejected in an OTLP partial success. (counter, {span}) */
export const METRIC_TOKENLEDGER_COLLECTOR_SPANS_REJECTED = 'tokenledger.collector.spans.rejected';
