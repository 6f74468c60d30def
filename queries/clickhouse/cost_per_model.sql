-- Cost per model, from the LLM call spans: calls, the calls with no cost (unknown model or usage: their spend is not
-- in cost_usd), tokens and spend. Calls a guardrail refused were never sent and are left out.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    SpanAttributes['gen_ai.request.model'] AS model,
    count() AS calls,
    countIf(mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason')) AS unpriced_calls,
    sum(toUInt64OrZero(SpanAttributes['gen_ai.usage.input_tokens'])) AS input_tokens,
    sum(toUInt64OrZero(SpanAttributes['gen_ai.usage.output_tokens'])) AS output_tokens,
    round(sum(toFloat64OrZero(SpanAttributes['tokenledger.cost.usd'])), 10) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND SpanAttributes['gen_ai.operation.name'] IN ('chat', 'generate_content', 'text_completion', 'embeddings')
  AND SpanAttributes['error.type'] NOT IN ('BudgetExceededError', 'RunawayLoopError')
GROUP BY model
ORDER BY cost_usd DESC, model
