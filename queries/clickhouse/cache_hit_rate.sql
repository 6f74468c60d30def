-- Cache hit rate per service and model: cache-read input tokens over all input tokens of the counted calls whose
-- usage is known (a duplicate span of a call keeps its usage but states no cost, so it is left out), and the share
-- of input written to the cache.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    ServiceName AS service,
    SpanAttributes['gen_ai.request.model'] AS model,
    sum(toUInt64OrZero(SpanAttributes['gen_ai.usage.input_tokens'])) AS input_tokens,
    sum(toUInt64OrZero(SpanAttributes['gen_ai.usage.cache_read.input_tokens'])) AS cache_read_tokens,
    round(cache_read_tokens / nullIf(input_tokens, 0), 6) AS cache_hit_rate,
    round(sum(toUInt64OrZero(SpanAttributes['gen_ai.usage.cache_write.input_tokens'])) / nullIf(input_tokens, 0), 6) AS cache_write_share
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND (mapContains(SpanAttributes, 'tokenledger.cost.usd') OR mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason'))
  AND mapContains(SpanAttributes, 'gen_ai.usage.input_tokens')
GROUP BY service, model
ORDER BY service, model
