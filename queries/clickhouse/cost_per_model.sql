-- Cost per model, from the counted LLM calls: each provider call's one span that states its cost or why it has none
-- (a duplicate span of a call and a call a guardrail refused state neither). Calls, the calls with no cost (unknown
-- model or usage: their spend is not in cost_usd), tokens and spend.
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
  AND (mapContains(SpanAttributes, 'tokenledger.cost.usd') OR mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason'))
GROUP BY model
ORDER BY cost_usd DESC, model
