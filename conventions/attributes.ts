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
/** How the tool-result figure was estimated: `char_share` (the tool results' share of the prompt's characters). (tokenledger, string) */
export const ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION = 'tokenledger.usage.tool_result.estimation';
/** Why some or all usage figures are absent: `usage_missing` (no usage in the response), `usage_malformed` (a count negative, fractional or not a number, or inconsistent with the count it is a part of, such as cache reads above all input; that figure is left off and the call gets no cost), `stream_usage_not_requested`, `stream_incomplete` (the stream ended before usage arrived), `raw_response` (the app read the raw body). (tokenledger, string) */
export const ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON = 'tokenledger.usage.unknown_reason';
/** Anthropic server-side compaction input (`usage.iterations` of type `compaction`), billed but reported apart from the top-level usage; included in `gen_ai.usage.input_tokens` and the uncached figure. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_COMPACTION_INPUT_TOKENS = 'tokenledger.usage.compaction.input_tokens';
/** Anthropic server-side compaction output; included in `gen_ai.usage.output_tokens`. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_COMPACTION_OUTPUT_TOKENS = 'tokenledger.usage.compaction.output_tokens';
/** Server-side web searches the provider ran for the call and bills per request (Anthropic `usage.server_tool_use.web_search_requests`); priced as a request fee. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS = 'tokenledger.usage.web_search.requests';
/** On an LLM span another instrumentation made, the convention its usage was read from and normalised: `genai` (current GenAI names), `genai_legacy` (`gen_ai.system`, `prompt_tokens`/`completion_tokens`, `cache_creation`), `anthropic_sdk`, `openinference`, or `anthropic_excluding_cache` (OpenLLMetry-JS and OpenLIT, whose Anthropic input leaves the cache out; tokenledger adds it back), or `ai_sdk` (the Vercel AI SDK's own `ai.*` spans: `ai.usage.*`, the TTL split and tier from `ai.response.providerMetadata`). (tokenledger, string) */
export const ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION = 'tokenledger.usage.source_convention';
/** On an LLM span that describes a provider call another LLM span already counts (a framework's span and the vendor-SDK patch's, two instrumentations of one SDK): the span id of the counted span. Such a span is not priced, not added to a run and not recorded in the metrics; a backend that sums `gen_ai.usage.*` over spans leaves out the spans that have this attribute. (tokenledger, string) */
export const ATTR_TOKENLEDGER_CALL_DUPLICATE_OF = 'tokenledger.call.duplicate_of';
/** Why the span is a duplicate: `same_response_id` (a call with its `gen_ai.response.id` is already counted in the trace) or `nested_llm_span` (an LLM span inside or around it, not across an agent or tool span, is counted). (tokenledger, string) */
export const ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON = 'tokenledger.call.duplicate_reason';
/** A 16-hex-digit fingerprint of the stable prompt prefix (system prompt + tool definitions). When it changes between calls of one agent, the provider's prompt cache was busted. (tokenledger, string) */
export const ATTR_TOKENLEDGER_REQUEST_PREFIX_HASH = 'tokenledger.request.prefix_hash';
/** True when the call was served through a provider batch API and is billed at the batch rate. (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_REQUEST_BATCH = 'tokenledger.request.batch';
/** The service tier that priced the call, for every provider (`standard`, `flex`, `priority`, `batch`): the response's tier where the provider reports one, else the requested one. Not written beside `openai.response.service_tier`, which says the same: readers map that one (`auto`/`default` → standard). (tokenledger, string) */
export const ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER = 'tokenledger.request.service_tier';
/** The Azure OpenAI / AI Foundry deployment a call went to (the client's `deployment`, else the request's `model`, which Azure takes as the deployment's name). The call is priced by `gen_ai.response.model`, the model the deployment runs. (tokenledger, string) */
export const ATTR_TOKENLEDGER_REQUEST_DEPLOYMENT = 'tokenledger.request.deployment';
/** The call's total cost in USD. Absent when the cost is unknown (see `tokenledger.cost.unknown_reason`). (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_USD = 'tokenledger.cost.usd';
/** Where the call's cost came from: price data (`bundled`, `override` or `refreshed`), or `provider`: the provider reported the call's cost itself (OpenRouter's `usage.cost`), and `tokenledger.cost.usd` is that figure. The parts are then the provider's total split in the proportions of the local price, absent when there is no local price; `tokenledger.cost.local_difference.usd` says how far the local price is from it. (tokenledger, string) */
export const ATTR_TOKENLEDGER_COST_SOURCE = 'tokenledger.cost.source';
/** When the provider reported the call's cost (`tokenledger.cost.source = provider`): the local price of the same usage minus the provider's figure (positive: the price data would have charged more). Absent when the local price is unknown: unknown is never zero. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_LOCAL_DIFFERENCE_USD = 'tokenledger.cost.local_difference.usd';
/** The price entry used, `{provider id}/{model id}` as the price data names them. (tokenledger, string) */
export const ATTR_TOKENLEDGER_COST_PRICE_ENTRY = 'tokenledger.cost.price_entry';
/** Version of the price data (the pricing package version, or the override file's). (tokenledger, string) */
export const ATTR_TOKENLEDGER_COST_DATA_VERSION = 'tokenledger.cost.data_version';
/** The rates of the call's price entry that tokenledger set over the price data, as the price data names them (`input_mtok`, `cache_write_1h_mtok`, …): where an entry is known to be stale or incomplete, each correction naming the provider page it follows. Claude on Bedrock and Vertex: `[cache_write_1h_mtok]`, derived from Anthropic's rule (1-hour cache writes at 2× the base input rate). Absent when every rate came from the price data (or an override). (tokenledger, string[]) */
export const ATTR_TOKENLEDGER_COST_CORRECTED_RATES = 'tokenledger.cost.corrected_rates';
/** The factor applied to the token charges for the call's batch or service tier (batch 0.5, flex 0.5, priority per provider, or an override's modifier). Left off at standard rates: absent on a priced span, it is 1. Request fees are not scaled. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_MULTIPLIER = 'tokenledger.cost.multiplier';
/** The proposed GenAI cost attribute (semantic-conventions-genai#443, not yet adopted): the same value as `tokenledger.cost.usd`, written only when TOKENLEDGER_GENAI_COST_ATTRIBUTES=true. (genai, double) */
export const ATTR_GEN_AI_USAGE_COST_AMOUNT = 'gen_ai.usage.cost.amount';
/** `USD`, with `gen_ai.usage.cost.amount`. (genai, string) */
export const ATTR_GEN_AI_USAGE_COST_CURRENCY = 'gen_ai.usage.cost.currency';
/** `local` (computed in-process from price data) or `provider` (the provider reported the cost itself), with `gen_ai.usage.cost.amount`. (genai, string) */
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
/** True for a run inside another reported run (a sub-agent); false for a task, the outermost run. Also a label of the run metrics: count `false` for one entry per task, since a task's figures already include its nested runs. (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_RUN_NESTED = 'tokenledger.run.nested';
/** On a nested run, the `tokenledger.run.id` of the run it is nested in. (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_PARENT_ID = 'tokenledger.run.parent_id';
/** False when some of the run's spans were lost, evicted or unpriced, so totals are lower bounds. (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_RUN_COMPLETE = 'tokenledger.run.complete';
/** With `tokenledger.run.complete = false`, the first reason that applies: `spans_lost` (spans of the run were evicted or ended after it), `calls_open_at_end` (its root ended with LLM calls or tools still open under it, and they were still open when the run stopped waiting for them: `TOKENLEDGER_RUN_WAIT_MS` past the root's end, or the shutdown flush; their cost still reaches the cost metrics), `unpriced_calls` (a call's usage or cost is unknown), `uncovered_requests` (the run made provider API requests that no LLM span covered: a client or framework tokenledger does not instrument; see `tokenledger.run.uncovered_requests`). (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_INCOMPLETE_REASON = 'tokenledger.run.incomplete_reason';
/** Requests to an LLM provider's API made inside the run while no LLM span was active (seen by the request sensor on Node's undici and http client diagnostics channels). Their usage is not in the run's totals. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_UNCOVERED_REQUESTS = 'tokenledger.run.uncovered_requests';
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
/** The run's input tokens (all kinds); never written as `gen_ai.usage.*` on the run span. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_INPUT_TOKENS = 'tokenledger.run.usage.input_tokens';
/** The run's cache-write input tokens. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_INPUT_TOKENS = 'tokenledger.run.usage.cache_write.input_tokens';
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
/** The first limit the run broke or would have broken: `max_usd`, `max_steps`, `max_input_tokens`, `max_output_tokens` (the run's budget), `unknown_cost` (a call under a dollar budget could not be priced, with `unknownCost: 'stop'`), `tenant_max_*` (the budget of the run's tenant over its window, keyed by an attribution value), `repeated_tool_call`, `consecutive_failures`, `step_inflation`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_EXCEEDED = 'tokenledger.run.budget.exceeded';
/** How many times a guardrail fired in the run (each is also a span event on the run span). (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_BREACHES = 'tokenledger.run.budget.breaches';
/** Under a dollar budget: the calls (planned or made) whose cost could not be known (an unknown model, a local server, usage missing), which the budget therefore could not count. Its spend is then a lower bound. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_UNPRICED_CALLS = 'tokenledger.run.budget.unpriced_calls';
/** With `tokenledger.run.budget.unpriced_calls`: what the guardrail did with calls it could not price under the dollar budget: `allow` (they ran; the default, with one warning per run) or `stop` (with enforce mode, the call was not sent: `guardrails.unknownCost: 'stop'`, TOKENLEDGER_RUN_UNKNOWN_COST=stop). (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_BUDGET_UNKNOWN_COST = 'tokenledger.run.budget.unknown_cost';
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
/** The customer or tenant the work is done for, as the app puts it in the baggage. (baggage, string) */
export const ATTR_TENANT_ID = 'tenant.id';
/** The end user (OpenTelemetry's `user.id`), as the app puts it in the baggage; list it in TOKENLEDGER_BAGGAGE_HASH_KEYS to record a keyed hash instead of the id. Langfuse shows it as the trace's user. (otel, string) */
export const ATTR_USER_ID = 'user.id';
/** The product feature the work is for, as the app puts it in the baggage. (baggage, string) */
export const ATTR_FEATURE = 'feature';
/** On `tokenledger.attribution.overflow`: the attribution key whose value was recorded as `_overflow`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_ATTRIBUTION_KEY = 'tokenledger.attribution.key';
/** On the token, cost and run counters in collector mode: `true` when the series sums sampled spans scaled by their adjusted count (1 / the sampling probability their trace state states as an OpenTelemetry threshold, `ot=th:…`): an estimate of the whole traffic. Absent on exact series. The histograms record each sampled call and run once, so on such series they describe the sample's distribution, not its count. (tokenledger, boolean) */
export const ATTR_TOKENLEDGER_ESTIMATED = 'tokenledger.estimated';
/** `LLM`: how Phoenix and Arize know the span is a model call. (openinference, string) */
export const ATTR_OPENINFERENCE_SPAN_KIND = 'openinference.span.kind';
/** The provider in OpenInference's values (`openai`, `anthropic`, `google`, `aws`, `azure`), for the backend's price lookup. (openinference, string) */
export const ATTR_LLM_PROVIDER = 'llm.provider';
/** The model (the response's, else the request's), for the backend's price lookup. (openinference, string) */
export const ATTR_LLM_MODEL_NAME = 'llm.model_name';
/** All input tokens, as `gen_ai.usage.input_tokens`. (openinference, int) */
export const ATTR_LLM_TOKEN_COUNT_PROMPT = 'llm.token_count.prompt';
/** All output tokens, reasoning included, as `gen_ai.usage.output_tokens`. (openinference, int) */
export const ATTR_LLM_TOKEN_COUNT_COMPLETION = 'llm.token_count.completion';
/** All input + all output tokens. (openinference, int) */
export const ATTR_LLM_TOKEN_COUNT_TOTAL = 'llm.token_count.total';
/** Cache-read input tokens (a subset of the prompt). (openinference, int) */
export const ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ = 'llm.token_count.prompt_details.cache_read';
/** Cache-write input tokens, both TTLs (a subset of the prompt). (openinference, int) */
export const ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE = 'llm.token_count.prompt_details.cache_write';
/** Reasoning output tokens (a subset of the completion), where the call reports them. (openinference, int) */
export const ATTR_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING = 'llm.token_count.completion_details.reasoning';
/** USD of all input (uncached + cache read + cache writes). (openinference, double) */
export const ATTR_LLM_COST_PROMPT = 'llm.cost.prompt';
/** USD of all output. (openinference, double) */
export const ATTR_LLM_COST_COMPLETION = 'llm.cost.completion';
/** The call's total USD, as `tokenledger.cost.usd` (request fees included). (openinference, double) */
export const ATTR_LLM_COST_TOTAL = 'llm.cost.total';
/** USD of the uncached input. (openinference, double) */
export const ATTR_LLM_COST_PROMPT_DETAILS_INPUT = 'llm.cost.prompt_details.input';
/** USD of the cache-read input. (openinference, double) */
export const ATTR_LLM_COST_PROMPT_DETAILS_CACHE_READ = 'llm.cost.prompt_details.cache_read';
/** USD of the cache writes, both TTLs. (openinference, double) */
export const ATTR_LLM_COST_PROMPT_DETAILS_CACHE_WRITE = 'llm.cost.prompt_details.cache_write';
/** USD of the output that is not reasoning (output − reasoning), where reasoning is reported; else all output. (openinference, double) */
export const ATTR_LLM_COST_COMPLETION_DETAILS_OUTPUT = 'llm.cost.completion_details.output';
/** USD of the reasoning output, where the call reports it. (openinference, double) */
export const ATTR_LLM_COST_COMPLETION_DETAILS_REASONING = 'llm.cost.completion_details.reasoning';
/** JSON of the token parts with their total, in Langfuse's usage types: `input` (uncached), `input_cache_read`, `input_cache_creation` (5-minute writes), `input_cache_creation_1h`, `output`, `total`. Langfuse reads it before any `gen_ai.usage.*` key and, the total being given, adds nothing up itself. (langfuse, string) */
export const ATTR_LANGFUSE_OBSERVATION_USAGE_DETAILS = 'langfuse.observation.usage_details';
/** JSON of the USD of the same parts, `request_fees` and `total`; Langfuse then shows these amounts instead of inferring a cost from its own model prices. (langfuse, string) */
export const ATTR_LANGFUSE_OBSERVATION_COST_DETAILS = 'langfuse.observation.cost_details';
/** On `gen_ai.client.token.usage`: `input` or `output`. (genai, string) */
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
/** On our token and cost counters, a row of `token_types`: on `tokenledger.tokens` and `tokenledger.cost` the parts, which add up to the total (`uncached_input`, `cache_read`, `cache_write_5m`, `cache_write_1h`, `output`, and `request_fees` for cost); on `tokenledger.tokens.subset` and `tokenledger.cost.subset` the subsets (`reasoning` ⊂ output, `tool_result` ⊂ input). (tokenledger, string) */
export const ATTR_TOKENLEDGER_TOKEN_TYPE = 'tokenledger.token.type';
/** On the `gen_ai.client.inference.usage.*` counters: the tokens' modality. Always `unknown`: tokenledger does not split usage by modality, which the conventions say is reported as `unknown`. (genai, string) */
export const ATTR_GEN_AI_TOKEN_MODALITY = 'gen_ai.token.modality';
/** On `tokenledger.processor.runs.evicted`: `max_runs` (too many runs in flight), `max_age` (its root did not end in time) or `max_depth` (nested deeper than `maxRunDepth`; its calls count toward the runs above it). (tokenledger, string) */
export const ATTR_TOKENLEDGER_PROCESSOR_EVICTION_REASON = 'tokenledger.processor.eviction_reason';
/** On `tokenledger.collector.spans.dropped`: `invalid` (refused on arrival because it cannot be forwarded as valid OTLP - a bad trace, span or link id; the client was told in an OTLP partial success), `upstream_refused` (the upstream refused it with a status that is not retried, even in a request of its own), `upstream_rejected` (the upstream rejected it in an OTLP partial success), `retries_exhausted` (the upstream kept failing for longer than `--upstream-max-elapsed-ms`) or `shutdown` (still undelivered when the drain deadline passed at shutdown). (tokenledger, string) */
export const ATTR_TOKENLEDGER_COLLECTOR_DROP_REASON = 'tokenledger.collector.drop_reason';
/** On `tokenledger.collector.requests.refused`: `memory_limit` (503 with Retry-After: the memory limit is reached, the client retries), `shutting_down` (503 during the drain), `body_too_large` (413), `malformed` (400), `unauthorized` (401) or `unsupported` (404, 405 or 415: path, method, content type or encoding). (tokenledger, string) */
export const ATTR_TOKENLEDGER_COLLECTOR_REFUSAL_REASON = 'tokenledger.collector.refusal_reason';
/** On `tokenledger.collector.memory.used`: `intake` (request bodies being read and inflated), `held` (spans held until their trace is rolled up) or `queued` (requests waiting for or in flight to the upstream). (tokenledger, string) */
export const ATTR_TOKENLEDGER_COLLECTOR_MEMORY_PART = 'tokenledger.collector.memory.part';
/** On run metrics: `success` or `failure`. (tokenledger, string) */
export const ATTR_TOKENLEDGER_RUN_OUTCOME = 'tokenledger.run.outcome';
/** Tokens of input billed at the full input rate (all input − cache read − cache write); a part of the partition. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS = 'tokenledger.usage.uncached.input_tokens';
/** USD for input billed at the full input rate (all input − cache read − cache write); a part of the partition. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_UNCACHED_INPUT_USD = 'tokenledger.cost.uncached_input.usd';
/** The run's `uncached_input` tokens, over its subtree; absent when a call left it unknown. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_UNCACHED_INPUT_TOKENS = 'tokenledger.run.usage.uncached.input_tokens';
/** The run's USD for `uncached_input`, over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_UNCACHED_INPUT_USD = 'tokenledger.run.cost.uncached_input.usd';
/** USD for input served from the provider's prompt cache; a part of the partition. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_CACHE_READ_USD = 'tokenledger.cost.cache_read.usd';
/** The run's `cache_read` tokens, over its subtree; absent when a call left it unknown. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_CACHE_READ_INPUT_TOKENS = 'tokenledger.run.usage.cache_read.input_tokens';
/** The run's USD for `cache_read`, over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_CACHE_READ_USD = 'tokenledger.run.cost.cache_read.usd';
/** Tokens of input written to the prompt cache at the standard write rate: Anthropic's 5-minute writes, and every write of a provider whose write price does not depend on a TTL; a part of the partition. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_5M_INPUT_TOKENS = 'tokenledger.usage.cache_write.ttl_5m.input_tokens';
/** USD for input written to the prompt cache at the standard write rate: Anthropic's 5-minute writes, and every write of a provider whose write price does not depend on a TTL; a part of the partition. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_5M_USD = 'tokenledger.cost.cache_write.ttl_5m.usd';
/** The run's `cache_write_5m` tokens, over its subtree; absent when a call left it unknown. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_TTL_5M_INPUT_TOKENS = 'tokenledger.run.usage.cache_write.ttl_5m.input_tokens';
/** The run's USD for `cache_write_5m`, over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_CACHE_WRITE_TTL_5M_USD = 'tokenledger.run.cost.cache_write.ttl_5m.usd';
/** Tokens of input written to the prompt cache with a 1-hour TTL (Anthropic, 2× input); a part of the partition. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS = 'tokenledger.usage.cache_write.ttl_1h.input_tokens';
/** USD for input written to the prompt cache with a 1-hour TTL (Anthropic, 2× input); a part of the partition. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_1H_USD = 'tokenledger.cost.cache_write.ttl_1h.usd';
/** The run's `cache_write_1h` tokens, over its subtree; absent when a call left it unknown. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS = 'tokenledger.run.usage.cache_write.ttl_1h.input_tokens';
/** The run's USD for `cache_write_1h`, over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_CACHE_WRITE_TTL_1H_USD = 'tokenledger.run.cost.cache_write.ttl_1h.usd';
/** USD for all output, reasoning included; a part of the partition. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_OUTPUT_USD = 'tokenledger.cost.output.usd';
/** The run's `output` tokens, over its subtree; absent when a call left it unknown. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_OUTPUT_TOKENS = 'tokenledger.run.usage.output_tokens';
/** The run's USD for `output`, over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_OUTPUT_USD = 'tokenledger.run.cost.output.usd';
/** USD for fees billed per request beside tokens (per call, per server-side web search); a part of the partition. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_REQUEST_FEES_USD = 'tokenledger.cost.request_fees.usd';
/** The run's USD for `request_fees`, over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_REQUEST_FEES_USD = 'tokenledger.run.cost.request_fees.usd';
/** USD for reasoning / thinking output; a SUBSET of output, never added on top. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_REASONING_USD = 'tokenledger.cost.reasoning.usd';
/** The run's `reasoning` tokens ⊂ output, over its subtree; absent when a call left it unknown. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_REASONING_OUTPUT_TOKENS = 'tokenledger.run.usage.reasoning.output_tokens';
/** The run's USD for `reasoning` ⊂ output, over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_REASONING_USD = 'tokenledger.run.cost.reasoning.usd';
/** Tokens of input made up by tool results sent back in the request (OpenAI `tool` messages and `function_call_output` items, Anthropic `tool_result` blocks, Gemini `functionResponse` parts), ESTIMATED: the provider-reported input apportioned by the tool results' share of the prompt's characters; a SUBSET of input, never added on top. (tokenledger, int) */
export const ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS = 'tokenledger.usage.tool_result.input_tokens';
/** USD for input made up by tool results sent back in the request (OpenAI `tool` messages and `function_call_output` items, Anthropic `tool_result` blocks, Gemini `functionResponse` parts), ESTIMATED: the provider-reported input apportioned by the tool results' share of the prompt's characters; a SUBSET of input, never added on top. (tokenledger, double) */
export const ATTR_TOKENLEDGER_COST_TOOL_RESULT_USD = 'tokenledger.cost.tool_result.usd';
/** The run's `tool_result` tokens ⊂ input, over its subtree; absent when a call left it unknown. (tokenledger, int) */
export const ATTR_TOKENLEDGER_RUN_USAGE_TOOL_RESULT_INPUT_TOKENS = 'tokenledger.run.usage.tool_result.input_tokens';
/** The run's USD for `tool_result` ⊂ input, over its subtree. (tokenledger, double) */
export const ATTR_TOKENLEDGER_RUN_COST_TOOL_RESULT_USD = 'tokenledger.run.cost.tool_result.usd';

// The values of attributes with a closed set of values, and their union types.
/** `gen_ai.operation.name` = `chat`. */
export const GEN_AI_OPERATION_NAME_VALUE_CHAT = 'chat';
/** `gen_ai.operation.name` = `generate_content`. */
export const GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT = 'generate_content';
/** `gen_ai.operation.name` = `text_completion`. */
export const GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION = 'text_completion';
/** `gen_ai.operation.name` = `embeddings`. */
export const GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS = 'embeddings';
/** `gen_ai.operation.name` = `invoke_agent`. */
export const GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT = 'invoke_agent';
/** `gen_ai.operation.name` = `execute_tool`. */
export const GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL = 'execute_tool';
/** Every value of `gen_ai.operation.name`. */
export const GEN_AI_OPERATION_NAME_VALUES = ['chat', 'generate_content', 'text_completion', 'embeddings', 'invoke_agent', 'execute_tool'] as const;
/** A value of `gen_ai.operation.name`. */
export type GenAiOperationName = (typeof GEN_AI_OPERATION_NAME_VALUES)[number];
/** `openai.api.type` = `chat_completions`. */
export const OPENAI_API_TYPE_VALUE_CHAT_COMPLETIONS = 'chat_completions';
/** `openai.api.type` = `responses`. */
export const OPENAI_API_TYPE_VALUE_RESPONSES = 'responses';
/** `openai.api.type` = `embeddings`. */
export const OPENAI_API_TYPE_VALUE_EMBEDDINGS = 'embeddings';
/** Every value of `openai.api.type`. */
export const OPENAI_API_TYPE_VALUES = ['chat_completions', 'responses', 'embeddings'] as const;
/** A value of `openai.api.type`. */
export type OpenaiApiType = (typeof OPENAI_API_TYPE_VALUES)[number];
/** `tokenledger.usage.tool_result.estimation` = `char_share`. */
export const TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION_VALUE_CHAR_SHARE = 'char_share';
/** Every value of `tokenledger.usage.tool_result.estimation`. */
export const TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION_VALUES = ['char_share'] as const;
/** A value of `tokenledger.usage.tool_result.estimation`. */
export type TokenledgerUsageToolResultEstimation = (typeof TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION_VALUES)[number];
/** `tokenledger.usage.unknown_reason` = `usage_missing`. */
export const TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUE_USAGE_MISSING = 'usage_missing';
/** `tokenledger.usage.unknown_reason` = `usage_malformed`. */
export const TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUE_USAGE_MALFORMED = 'usage_malformed';
/** `tokenledger.usage.unknown_reason` = `stream_usage_not_requested`. */
export const TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUE_STREAM_USAGE_NOT_REQUESTED = 'stream_usage_not_requested';
/** `tokenledger.usage.unknown_reason` = `stream_incomplete`. */
export const TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUE_STREAM_INCOMPLETE = 'stream_incomplete';
/** `tokenledger.usage.unknown_reason` = `raw_response`. */
export const TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUE_RAW_RESPONSE = 'raw_response';
/** Every value of `tokenledger.usage.unknown_reason`. */
export const TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUES = ['usage_missing', 'usage_malformed', 'stream_usage_not_requested', 'stream_incomplete', 'raw_response'] as const;
/** A value of `tokenledger.usage.unknown_reason`. */
export type TokenledgerUsageUnknownReason = (typeof TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUES)[number];
/** `tokenledger.usage.source_convention` = `genai`. */
export const TOKENLEDGER_USAGE_SOURCE_CONVENTION_VALUE_GENAI = 'genai';
/** `tokenledger.usage.source_convention` = `genai_legacy`. */
export const TOKENLEDGER_USAGE_SOURCE_CONVENTION_VALUE_GENAI_LEGACY = 'genai_legacy';
/** `tokenledger.usage.source_convention` = `anthropic_sdk`. */
export const TOKENLEDGER_USAGE_SOURCE_CONVENTION_VALUE_ANTHROPIC_SDK = 'anthropic_sdk';
/** `tokenledger.usage.source_convention` = `openinference`. */
export const TOKENLEDGER_USAGE_SOURCE_CONVENTION_VALUE_OPENINFERENCE = 'openinference';
/** `tokenledger.usage.source_convention` = `anthropic_excluding_cache`. */
export const TOKENLEDGER_USAGE_SOURCE_CONVENTION_VALUE_ANTHROPIC_EXCLUDING_CACHE = 'anthropic_excluding_cache';
/** `tokenledger.usage.source_convention` = `ai_sdk`. */
export const TOKENLEDGER_USAGE_SOURCE_CONVENTION_VALUE_AI_SDK = 'ai_sdk';
/** Every value of `tokenledger.usage.source_convention`. */
export const TOKENLEDGER_USAGE_SOURCE_CONVENTION_VALUES = ['genai', 'genai_legacy', 'anthropic_sdk', 'openinference', 'anthropic_excluding_cache', 'ai_sdk'] as const;
/** A value of `tokenledger.usage.source_convention`. */
export type TokenledgerUsageSourceConvention = (typeof TOKENLEDGER_USAGE_SOURCE_CONVENTION_VALUES)[number];
/** `tokenledger.call.duplicate_reason` = `same_response_id`. */
export const TOKENLEDGER_CALL_DUPLICATE_REASON_VALUE_SAME_RESPONSE_ID = 'same_response_id';
/** `tokenledger.call.duplicate_reason` = `nested_llm_span`. */
export const TOKENLEDGER_CALL_DUPLICATE_REASON_VALUE_NESTED_LLM_SPAN = 'nested_llm_span';
/** Every value of `tokenledger.call.duplicate_reason`. */
export const TOKENLEDGER_CALL_DUPLICATE_REASON_VALUES = ['same_response_id', 'nested_llm_span'] as const;
/** A value of `tokenledger.call.duplicate_reason`. */
export type TokenledgerCallDuplicateReason = (typeof TOKENLEDGER_CALL_DUPLICATE_REASON_VALUES)[number];
/** `tokenledger.request.service_tier` = `standard`. */
export const TOKENLEDGER_REQUEST_SERVICE_TIER_VALUE_STANDARD = 'standard';
/** `tokenledger.request.service_tier` = `flex`. */
export const TOKENLEDGER_REQUEST_SERVICE_TIER_VALUE_FLEX = 'flex';
/** `tokenledger.request.service_tier` = `priority`. */
export const TOKENLEDGER_REQUEST_SERVICE_TIER_VALUE_PRIORITY = 'priority';
/** `tokenledger.request.service_tier` = `batch`. */
export const TOKENLEDGER_REQUEST_SERVICE_TIER_VALUE_BATCH = 'batch';
/** `tokenledger.request.service_tier` = `scale`. */
export const TOKENLEDGER_REQUEST_SERVICE_TIER_VALUE_SCALE = 'scale';
/** Every value of `tokenledger.request.service_tier`. */
export const TOKENLEDGER_REQUEST_SERVICE_TIER_VALUES = ['standard', 'flex', 'priority', 'batch', 'scale'] as const;
/** A value of `tokenledger.request.service_tier`. */
export type TokenledgerRequestServiceTier = (typeof TOKENLEDGER_REQUEST_SERVICE_TIER_VALUES)[number];
/** `tokenledger.cost.source` = `bundled`. */
export const TOKENLEDGER_COST_SOURCE_VALUE_BUNDLED = 'bundled';
/** `tokenledger.cost.source` = `refreshed`. */
export const TOKENLEDGER_COST_SOURCE_VALUE_REFRESHED = 'refreshed';
/** `tokenledger.cost.source` = `override`. */
export const TOKENLEDGER_COST_SOURCE_VALUE_OVERRIDE = 'override';
/** `tokenledger.cost.source` = `provider`. */
export const TOKENLEDGER_COST_SOURCE_VALUE_PROVIDER = 'provider';
/** Every value of `tokenledger.cost.source`. */
export const TOKENLEDGER_COST_SOURCE_VALUES = ['bundled', 'refreshed', 'override', 'provider'] as const;
/** A value of `tokenledger.cost.source`. */
export type TokenledgerCostSource = (typeof TOKENLEDGER_COST_SOURCE_VALUES)[number];
/** `gen_ai.usage.cost.currency` = `USD`. */
export const GEN_AI_USAGE_COST_CURRENCY_VALUE_USD = 'USD';
/** Every value of `gen_ai.usage.cost.currency`. */
export const GEN_AI_USAGE_COST_CURRENCY_VALUES = ['USD'] as const;
/** A value of `gen_ai.usage.cost.currency`. */
export type GenAiUsageCostCurrency = (typeof GEN_AI_USAGE_COST_CURRENCY_VALUES)[number];
/** `gen_ai.usage.cost.source` = `local`. */
export const GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL = 'local';
/** `gen_ai.usage.cost.source` = `provider`. */
export const GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER = 'provider';
/** Every value of `gen_ai.usage.cost.source`. */
export const GEN_AI_USAGE_COST_SOURCE_VALUES = ['local', 'provider'] as const;
/** A value of `gen_ai.usage.cost.source`. */
export type GenAiUsageCostSource = (typeof GEN_AI_USAGE_COST_SOURCE_VALUES)[number];
/** `tokenledger.cost.unknown_reason` = `unknown_model`. */
export const TOKENLEDGER_COST_UNKNOWN_REASON_VALUE_UNKNOWN_MODEL = 'unknown_model';
/** `tokenledger.cost.unknown_reason` = `usage_unknown`. */
export const TOKENLEDGER_COST_UNKNOWN_REASON_VALUE_USAGE_UNKNOWN = 'usage_unknown';
/** `tokenledger.cost.unknown_reason` = `pricing_error`. */
export const TOKENLEDGER_COST_UNKNOWN_REASON_VALUE_PRICING_ERROR = 'pricing_error';
/** Every value of `tokenledger.cost.unknown_reason`. */
export const TOKENLEDGER_COST_UNKNOWN_REASON_VALUES = ['unknown_model', 'usage_unknown', 'pricing_error'] as const;
/** A value of `tokenledger.cost.unknown_reason`. */
export type TokenledgerCostUnknownReason = (typeof TOKENLEDGER_COST_UNKNOWN_REASON_VALUES)[number];
/** `tokenledger.run.scope` = `subtree`. */
export const TOKENLEDGER_RUN_SCOPE_VALUE_SUBTREE = 'subtree';
/** Every value of `tokenledger.run.scope`. */
export const TOKENLEDGER_RUN_SCOPE_VALUES = ['subtree'] as const;
/** A value of `tokenledger.run.scope`. */
export type TokenledgerRunScope = (typeof TOKENLEDGER_RUN_SCOPE_VALUES)[number];
/** `tokenledger.run.incomplete_reason` = `spans_lost`. */
export const TOKENLEDGER_RUN_INCOMPLETE_REASON_VALUE_SPANS_LOST = 'spans_lost';
/** `tokenledger.run.incomplete_reason` = `calls_open_at_end`. */
export const TOKENLEDGER_RUN_INCOMPLETE_REASON_VALUE_CALLS_OPEN_AT_END = 'calls_open_at_end';
/** `tokenledger.run.incomplete_reason` = `unpriced_calls`. */
export const TOKENLEDGER_RUN_INCOMPLETE_REASON_VALUE_UNPRICED_CALLS = 'unpriced_calls';
/** `tokenledger.run.incomplete_reason` = `uncovered_requests`. */
export const TOKENLEDGER_RUN_INCOMPLETE_REASON_VALUE_UNCOVERED_REQUESTS = 'uncovered_requests';
/** Every value of `tokenledger.run.incomplete_reason`. */
export const TOKENLEDGER_RUN_INCOMPLETE_REASON_VALUES = ['spans_lost', 'calls_open_at_end', 'unpriced_calls', 'uncovered_requests'] as const;
/** A value of `tokenledger.run.incomplete_reason`. */
export type TokenledgerRunIncompleteReason = (typeof TOKENLEDGER_RUN_INCOMPLETE_REASON_VALUES)[number];
/** `tokenledger.run.ideal_steps.source` = `configured`. */
export const TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE_VALUE_CONFIGURED = 'configured';
/** `tokenledger.run.ideal_steps.source` = `learned`. */
export const TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE_VALUE_LEARNED = 'learned';
/** Every value of `tokenledger.run.ideal_steps.source`. */
export const TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE_VALUES = ['configured', 'learned'] as const;
/** A value of `tokenledger.run.ideal_steps.source`. */
export type TokenledgerRunIdealStepsSource = (typeof TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE_VALUES)[number];
/** `tokenledger.run.budget.mode` = `enforce`. */
export const TOKENLEDGER_RUN_BUDGET_MODE_VALUE_ENFORCE = 'enforce';
/** `tokenledger.run.budget.mode` = `warn`. */
export const TOKENLEDGER_RUN_BUDGET_MODE_VALUE_WARN = 'warn';
/** Every value of `tokenledger.run.budget.mode`. */
export const TOKENLEDGER_RUN_BUDGET_MODE_VALUES = ['enforce', 'warn'] as const;
/** A value of `tokenledger.run.budget.mode`. */
export type TokenledgerRunBudgetMode = (typeof TOKENLEDGER_RUN_BUDGET_MODE_VALUES)[number];
/** `tokenledger.run.budget.exceeded` = `max_usd`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_MAX_USD = 'max_usd';
/** `tokenledger.run.budget.exceeded` = `max_steps`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_MAX_STEPS = 'max_steps';
/** `tokenledger.run.budget.exceeded` = `max_input_tokens`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_MAX_INPUT_TOKENS = 'max_input_tokens';
/** `tokenledger.run.budget.exceeded` = `max_output_tokens`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_MAX_OUTPUT_TOKENS = 'max_output_tokens';
/** `tokenledger.run.budget.exceeded` = `unknown_cost`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_UNKNOWN_COST = 'unknown_cost';
/** `tokenledger.run.budget.exceeded` = `tenant_max_usd`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_TENANT_MAX_USD = 'tenant_max_usd';
/** `tokenledger.run.budget.exceeded` = `tenant_max_steps`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_TENANT_MAX_STEPS = 'tenant_max_steps';
/** `tokenledger.run.budget.exceeded` = `tenant_max_input_tokens`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_TENANT_MAX_INPUT_TOKENS = 'tenant_max_input_tokens';
/** `tokenledger.run.budget.exceeded` = `tenant_max_output_tokens`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_TENANT_MAX_OUTPUT_TOKENS = 'tenant_max_output_tokens';
/** `tokenledger.run.budget.exceeded` = `repeated_tool_call`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_REPEATED_TOOL_CALL = 'repeated_tool_call';
/** `tokenledger.run.budget.exceeded` = `consecutive_failures`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_CONSECUTIVE_FAILURES = 'consecutive_failures';
/** `tokenledger.run.budget.exceeded` = `step_inflation`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUE_STEP_INFLATION = 'step_inflation';
/** Every value of `tokenledger.run.budget.exceeded`. */
export const TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUES = ['max_usd', 'max_steps', 'max_input_tokens', 'max_output_tokens', 'unknown_cost', 'tenant_max_usd', 'tenant_max_steps', 'tenant_max_input_tokens', 'tenant_max_output_tokens', 'repeated_tool_call', 'consecutive_failures', 'step_inflation'] as const;
/** A value of `tokenledger.run.budget.exceeded`. */
export type TokenledgerRunBudgetExceeded = (typeof TOKENLEDGER_RUN_BUDGET_EXCEEDED_VALUES)[number];
/** `tokenledger.run.budget.unknown_cost` = `allow`. */
export const TOKENLEDGER_RUN_BUDGET_UNKNOWN_COST_VALUE_ALLOW = 'allow';
/** `tokenledger.run.budget.unknown_cost` = `stop`. */
export const TOKENLEDGER_RUN_BUDGET_UNKNOWN_COST_VALUE_STOP = 'stop';
/** Every value of `tokenledger.run.budget.unknown_cost`. */
export const TOKENLEDGER_RUN_BUDGET_UNKNOWN_COST_VALUES = ['allow', 'stop'] as const;
/** A value of `tokenledger.run.budget.unknown_cost`. */
export type TokenledgerRunBudgetUnknownCost = (typeof TOKENLEDGER_RUN_BUDGET_UNKNOWN_COST_VALUES)[number];
/** `tokenledger.guard.limit` = `max_usd`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_MAX_USD = 'max_usd';
/** `tokenledger.guard.limit` = `max_steps`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_MAX_STEPS = 'max_steps';
/** `tokenledger.guard.limit` = `max_input_tokens`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_MAX_INPUT_TOKENS = 'max_input_tokens';
/** `tokenledger.guard.limit` = `max_output_tokens`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_MAX_OUTPUT_TOKENS = 'max_output_tokens';
/** `tokenledger.guard.limit` = `tenant_max_usd`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_TENANT_MAX_USD = 'tenant_max_usd';
/** `tokenledger.guard.limit` = `tenant_max_steps`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_TENANT_MAX_STEPS = 'tenant_max_steps';
/** `tokenledger.guard.limit` = `tenant_max_input_tokens`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_TENANT_MAX_INPUT_TOKENS = 'tenant_max_input_tokens';
/** `tokenledger.guard.limit` = `tenant_max_output_tokens`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_TENANT_MAX_OUTPUT_TOKENS = 'tenant_max_output_tokens';
/** `tokenledger.guard.limit` = `repeated_tool_call`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_REPEATED_TOOL_CALL = 'repeated_tool_call';
/** `tokenledger.guard.limit` = `consecutive_failures`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_CONSECUTIVE_FAILURES = 'consecutive_failures';
/** `tokenledger.guard.limit` = `step_inflation`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUE_STEP_INFLATION = 'step_inflation';
/** Every value of `tokenledger.guard.limit`. */
export const TOKENLEDGER_GUARD_LIMIT_VALUES = ['max_usd', 'max_steps', 'max_input_tokens', 'max_output_tokens', 'tenant_max_usd', 'tenant_max_steps', 'tenant_max_input_tokens', 'tenant_max_output_tokens', 'repeated_tool_call', 'consecutive_failures', 'step_inflation'] as const;
/** A value of `tokenledger.guard.limit`. */
export type TokenledgerGuardLimit = (typeof TOKENLEDGER_GUARD_LIMIT_VALUES)[number];
/** `tokenledger.guard.mode` = `enforce`. */
export const TOKENLEDGER_GUARD_MODE_VALUE_ENFORCE = 'enforce';
/** `tokenledger.guard.mode` = `warn`. */
export const TOKENLEDGER_GUARD_MODE_VALUE_WARN = 'warn';
/** Every value of `tokenledger.guard.mode`. */
export const TOKENLEDGER_GUARD_MODE_VALUES = ['enforce', 'warn'] as const;
/** A value of `tokenledger.guard.mode`. */
export type TokenledgerGuardMode = (typeof TOKENLEDGER_GUARD_MODE_VALUES)[number];
/** `tokenledger.tool.cache.result` = `hit`. */
export const TOKENLEDGER_TOOL_CACHE_RESULT_VALUE_HIT = 'hit';
/** `tokenledger.tool.cache.result` = `miss`. */
export const TOKENLEDGER_TOOL_CACHE_RESULT_VALUE_MISS = 'miss';
/** Every value of `tokenledger.tool.cache.result`. */
export const TOKENLEDGER_TOOL_CACHE_RESULT_VALUES = ['hit', 'miss'] as const;
/** A value of `tokenledger.tool.cache.result`. */
export type TokenledgerToolCacheResult = (typeof TOKENLEDGER_TOOL_CACHE_RESULT_VALUES)[number];
/** `openinference.span.kind` = `LLM`. */
export const OPENINFERENCE_SPAN_KIND_VALUE_LLM = 'LLM';
/** Every value of `openinference.span.kind`. */
export const OPENINFERENCE_SPAN_KIND_VALUES = ['LLM'] as const;
/** A value of `openinference.span.kind`. */
export type OpeninferenceSpanKind = (typeof OPENINFERENCE_SPAN_KIND_VALUES)[number];
/** `gen_ai.token.type` = `input`. */
export const GEN_AI_TOKEN_TYPE_VALUE_INPUT = 'input';
/** `gen_ai.token.type` = `output`. */
export const GEN_AI_TOKEN_TYPE_VALUE_OUTPUT = 'output';
/** Every value of `gen_ai.token.type`. */
export const GEN_AI_TOKEN_TYPE_VALUES = ['input', 'output'] as const;
/** A value of `gen_ai.token.type`. */
export type GenAiTokenType = (typeof GEN_AI_TOKEN_TYPE_VALUES)[number];
/** `tokenledger.token.type` = `uncached_input`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUE_UNCACHED_INPUT = 'uncached_input';
/** `tokenledger.token.type` = `cache_read`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUE_CACHE_READ = 'cache_read';
/** `tokenledger.token.type` = `cache_write_5m`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUE_CACHE_WRITE_5M = 'cache_write_5m';
/** `tokenledger.token.type` = `cache_write_1h`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUE_CACHE_WRITE_1H = 'cache_write_1h';
/** `tokenledger.token.type` = `output`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUE_OUTPUT = 'output';
/** `tokenledger.token.type` = `request_fees`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUE_REQUEST_FEES = 'request_fees';
/** `tokenledger.token.type` = `reasoning`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUE_REASONING = 'reasoning';
/** `tokenledger.token.type` = `tool_result`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUE_TOOL_RESULT = 'tool_result';
/** Every value of `tokenledger.token.type`. */
export const TOKENLEDGER_TOKEN_TYPE_VALUES = ['uncached_input', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output', 'request_fees', 'reasoning', 'tool_result'] as const;
/** A value of `tokenledger.token.type`. */
export type TokenledgerTokenType = (typeof TOKENLEDGER_TOKEN_TYPE_VALUES)[number];
/** `gen_ai.token.modality` = `text`. */
export const GEN_AI_TOKEN_MODALITY_VALUE_TEXT = 'text';
/** `gen_ai.token.modality` = `image`. */
export const GEN_AI_TOKEN_MODALITY_VALUE_IMAGE = 'image';
/** `gen_ai.token.modality` = `audio`. */
export const GEN_AI_TOKEN_MODALITY_VALUE_AUDIO = 'audio';
/** `gen_ai.token.modality` = `unknown`. */
export const GEN_AI_TOKEN_MODALITY_VALUE_UNKNOWN = 'unknown';
/** Every value of `gen_ai.token.modality`. */
export const GEN_AI_TOKEN_MODALITY_VALUES = ['text', 'image', 'audio', 'unknown'] as const;
/** A value of `gen_ai.token.modality`. */
export type GenAiTokenModality = (typeof GEN_AI_TOKEN_MODALITY_VALUES)[number];
/** `tokenledger.processor.eviction_reason` = `max_runs`. */
export const TOKENLEDGER_PROCESSOR_EVICTION_REASON_VALUE_MAX_RUNS = 'max_runs';
/** `tokenledger.processor.eviction_reason` = `max_age`. */
export const TOKENLEDGER_PROCESSOR_EVICTION_REASON_VALUE_MAX_AGE = 'max_age';
/** `tokenledger.processor.eviction_reason` = `max_depth`. */
export const TOKENLEDGER_PROCESSOR_EVICTION_REASON_VALUE_MAX_DEPTH = 'max_depth';
/** Every value of `tokenledger.processor.eviction_reason`. */
export const TOKENLEDGER_PROCESSOR_EVICTION_REASON_VALUES = ['max_runs', 'max_age', 'max_depth'] as const;
/** A value of `tokenledger.processor.eviction_reason`. */
export type TokenledgerProcessorEvictionReason = (typeof TOKENLEDGER_PROCESSOR_EVICTION_REASON_VALUES)[number];
/** `tokenledger.collector.drop_reason` = `invalid`. */
export const TOKENLEDGER_COLLECTOR_DROP_REASON_VALUE_INVALID = 'invalid';
/** `tokenledger.collector.drop_reason` = `upstream_refused`. */
export const TOKENLEDGER_COLLECTOR_DROP_REASON_VALUE_UPSTREAM_REFUSED = 'upstream_refused';
/** `tokenledger.collector.drop_reason` = `upstream_rejected`. */
export const TOKENLEDGER_COLLECTOR_DROP_REASON_VALUE_UPSTREAM_REJECTED = 'upstream_rejected';
/** `tokenledger.collector.drop_reason` = `retries_exhausted`. */
export const TOKENLEDGER_COLLECTOR_DROP_REASON_VALUE_RETRIES_EXHAUSTED = 'retries_exhausted';
/** `tokenledger.collector.drop_reason` = `shutdown`. */
export const TOKENLEDGER_COLLECTOR_DROP_REASON_VALUE_SHUTDOWN = 'shutdown';
/** Every value of `tokenledger.collector.drop_reason`. */
export const TOKENLEDGER_COLLECTOR_DROP_REASON_VALUES = ['invalid', 'upstream_refused', 'upstream_rejected', 'retries_exhausted', 'shutdown'] as const;
/** A value of `tokenledger.collector.drop_reason`. */
export type TokenledgerCollectorDropReason = (typeof TOKENLEDGER_COLLECTOR_DROP_REASON_VALUES)[number];
/** `tokenledger.collector.refusal_reason` = `memory_limit`. */
export const TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUE_MEMORY_LIMIT = 'memory_limit';
/** `tokenledger.collector.refusal_reason` = `shutting_down`. */
export const TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUE_SHUTTING_DOWN = 'shutting_down';
/** `tokenledger.collector.refusal_reason` = `body_too_large`. */
export const TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUE_BODY_TOO_LARGE = 'body_too_large';
/** `tokenledger.collector.refusal_reason` = `malformed`. */
export const TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUE_MALFORMED = 'malformed';
/** `tokenledger.collector.refusal_reason` = `unauthorized`. */
export const TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUE_UNAUTHORIZED = 'unauthorized';
/** `tokenledger.collector.refusal_reason` = `unsupported`. */
export const TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUE_UNSUPPORTED = 'unsupported';
/** Every value of `tokenledger.collector.refusal_reason`. */
export const TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUES = ['memory_limit', 'shutting_down', 'body_too_large', 'malformed', 'unauthorized', 'unsupported'] as const;
/** A value of `tokenledger.collector.refusal_reason`. */
export type TokenledgerCollectorRefusalReason = (typeof TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUES)[number];
/** `tokenledger.collector.memory.part` = `intake`. */
export const TOKENLEDGER_COLLECTOR_MEMORY_PART_VALUE_INTAKE = 'intake';
/** `tokenledger.collector.memory.part` = `held`. */
export const TOKENLEDGER_COLLECTOR_MEMORY_PART_VALUE_HELD = 'held';
/** `tokenledger.collector.memory.part` = `queued`. */
export const TOKENLEDGER_COLLECTOR_MEMORY_PART_VALUE_QUEUED = 'queued';
/** Every value of `tokenledger.collector.memory.part`. */
export const TOKENLEDGER_COLLECTOR_MEMORY_PART_VALUES = ['intake', 'held', 'queued'] as const;
/** A value of `tokenledger.collector.memory.part`. */
export type TokenledgerCollectorMemoryPart = (typeof TOKENLEDGER_COLLECTOR_MEMORY_PART_VALUES)[number];
/** `tokenledger.run.outcome` = `success`. */
export const TOKENLEDGER_RUN_OUTCOME_VALUE_SUCCESS = 'success';
/** `tokenledger.run.outcome` = `failure`. */
export const TOKENLEDGER_RUN_OUTCOME_VALUE_FAILURE = 'failure';
/** Every value of `tokenledger.run.outcome`. */
export const TOKENLEDGER_RUN_OUTCOME_VALUES = ['success', 'failure'] as const;
/** A value of `tokenledger.run.outcome`. */
export type TokenledgerRunOutcome = (typeof TOKENLEDGER_RUN_OUTCOME_VALUES)[number];

// Span event names.
/** On the run span: a call would break (enforce) or broke (warn) the run's budget, or its tenant's. Attributes: `tokenledger.guard.limit`, `tokenledger.guard.mode`, and `spent`, `estimate`, `max` (and, for a tenant budget, the attribution key with the tenant's value). */
export const EVENT_TOKENLEDGER_BUDGET_EXCEEDED = 'tokenledger.budget.exceeded';
/** On the run span: the runaway-loop breaker fired. Attributes: `tokenledger.guard.limit`, `tokenledger.guard.mode`, and `observed`, `max`. */
export const EVENT_TOKENLEDGER_LOOP_DETECTED = 'tokenledger.loop.detected';

// Metric names.
/** All input tokens of LLM calls, cache reads and writes included, as the GenAI conventions define it. (counter, {token}) */
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS = 'gen_ai.client.inference.usage.input_tokens';
/** All output tokens of LLM calls, reasoning included. (counter, {token}) */
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS = 'gen_ai.client.inference.usage.output_tokens';
/** Input tokens served from the prompt cache; a subset of `gen_ai.client.inference.usage.input_tokens`. (counter, {token}) */
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.client.inference.usage.cache_read.input_tokens';
/** Input tokens written to the prompt cache (all TTLs); a subset of `gen_ai.client.inference.usage.input_tokens`. (counter, {token}) */
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.client.inference.usage.cache_write.input_tokens';
/** Reasoning output tokens, where the call reports them; a subset of `gen_ai.client.inference.usage.output_tokens`. (counter, {token}) */
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.client.inference.usage.reasoning.output_tokens';
/** Input tokens per LLM call, for percentiles (not for totals or cost, which the counters give). (histogram, {token}) */
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS = 'gen_ai.client.inference.operation.input_tokens';
/** Output tokens per LLM call, for percentiles. (histogram, {token}) */
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS = 'gen_ai.client.inference.operation.output_tokens';
/** Duration of each LLM call, as the GenAI conventions define it. (histogram, s) */
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
/** The GenAI conventions' previous token histogram (input and output per call), which the `gen_ai.client.inference.*` metrics replaced; recorded only when TOKENLEDGER_LEGACY_METRICS=true. (histogram, {token}) */
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
/** Tokens by part of the partition (`uncached_input`, `cache_read`, `cache_write_5m`, `cache_write_1h`, `output`): `sum()` over the type is all tokens billed. (counter, {token}) */
export const METRIC_TOKENLEDGER_TOKENS = 'tokenledger.tokens';
/** Tokens of the subsets (`reasoning` ⊂ output, `tool_result` ⊂ input), where calls report them; never add to `tokenledger.tokens`. (counter, {token}) */
export const METRIC_TOKENLEDGER_TOKENS_SUBSET = 'tokenledger.tokens.subset';
/** USD by part of the partition (the token parts and `request_fees`): `sum()` over the type is all spend of the calls that could be priced. (counter, USD) */
export const METRIC_TOKENLEDGER_COST = 'tokenledger.cost';
/** USD of the subsets (`reasoning`, `tool_result`); never add to `tokenledger.cost`. (counter, USD) */
export const METRIC_TOKENLEDGER_COST_SUBSET = 'tokenledger.cost.subset';
/** LLM calls whose cost is unknown, so a dashboard can show how much spend it cannot see. (counter, {call}) */
export const METRIC_TOKENLEDGER_CALLS_UNPRICED = 'tokenledger.calls.unpriced';
/** Finished runs by outcome; `tokenledger.run.nested = false` counts each task once. (counter, {run}) */
export const METRIC_TOKENLEDGER_RUNS = 'tokenledger.runs';
/** Cost per run (over its subtree, so a task's includes its nested runs'). (histogram, USD) */
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
/** Runs dropped from memory before their root span ended (too many in flight, too old, or nested too deep); their spans are marked incomplete. (counter, {run}) */
export const METRIC_TOKENLEDGER_PROCESSOR_RUNS_EVICTED = 'tokenledger.processor.runs.evicted';
/** In-flight spans forgotten because more than `maxSpans` were held; the runs they belong to are marked incomplete. (counter, {span}) */
export const METRIC_TOKENLEDGER_PROCESSOR_SPANS_EVICTED = 'tokenledger.processor.spans.evicted';
/** Spans that ended after their run had been rolled up or evicted; their figures are not in any run. (counter, {span}) */
export const METRIC_TOKENLEDGER_PROCESSOR_SPANS_LATE = 'tokenledger.processor.spans.late';
/** Guardrail breaches, enforced (the call or tool was stopped) or warned. (counter, {breach}) */
export const METRIC_TOKENLEDGER_GUARD_BREACHES = 'tokenledger.guard.breaches';
/** Memoised tool executions by cache result. (counter, {request}) */
export const METRIC_TOKENLEDGER_TOOL_CACHE_REQUESTS = 'tokenledger.tool.cache.requests';
/** Records (a call's or a run's metrics) whose value of an attribution key was replaced by `_overflow`, because the key already had TOKENLEDGER_BAGGAGE_MAX_VALUES distinct values. (counter, {record}) */
export const METRIC_TOKENLEDGER_ATTRIBUTION_OVERFLOW = 'tokenledger.attribution.overflow';
/** Collector mode - traces forwarded early, un-rolled, because the trace, span or memory limit was reached. (counter, {trace}) */
export const METRIC_TOKENLEDGER_COLLECTOR_TRACES_EVICTED = 'tokenledger.collector.traces.evicted';
/** Collector mode - spans that arrived after their trace was forwarded (forwarded as they are). (counter, {span}) */
export const METRIC_TOKENLEDGER_COLLECTOR_SPANS_LATE = 'tokenledger.collector.spans.late';
/** Collector mode - spans the upstream accepted. (counter, {span}) */
export const METRIC_TOKENLEDGER_COLLECTOR_SPANS_FORWARDED = 'tokenledger.collector.spans.forwarded';
/** Collector mode - spans that were accepted or offered and will never reach the upstream, by reason. (counter, {span}) */
export const METRIC_TOKENLEDGER_COLLECTOR_SPANS_DROPPED = 'tokenledger.collector.spans.dropped';
/** Collector mode - client requests answered with an error status, by reason (nothing of them was accepted). (counter, {request}) */
export const METRIC_TOKENLEDGER_COLLECTOR_REQUESTS_REFUSED = 'tokenledger.collector.requests.refused';
/** Collector mode - upstream requests sent again after a retryable failure (429, 502, 503, 504, a timeout or a network error). (counter, {request}) */
export const METRIC_TOKENLEDGER_COLLECTOR_UPSTREAM_RETRIES = 'tokenledger.collector.upstream.retries';
/** Collector mode - bytes counted against `--max-memory-bytes`, by part. (updowncounter, By) */
export const METRIC_TOKENLEDGER_COLLECTOR_MEMORY_USED = 'tokenledger.collector.memory.used';
