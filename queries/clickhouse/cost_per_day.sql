-- Cost per day (UTC) and service, from the LLM call spans.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    toDate(Timestamp, 'UTC') AS day,
    ServiceName AS service,
    count() AS calls,
    countIf(mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason')) AS unpriced_calls,
    round(sum(toFloat64OrZero(SpanAttributes['tokenledger.cost.usd'])), 10) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND SpanAttributes['gen_ai.operation.name'] IN ('chat', 'generate_content', 'text_completion', 'embeddings')
  AND SpanAttributes['error.type'] NOT IN ('BudgetExceededError', 'RunawayLoopError')
GROUP BY day, service
ORDER BY day, service
