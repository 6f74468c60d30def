-- Calls with no cost, and why (`unknown_model`: add it to a price overrides file; `usage_unknown`: the provider's
-- usage was missing or malformed): the spend a dashboard cannot see.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    Timestamp,
    TraceId,
    SpanAttributes['gen_ai.provider.name'] AS provider,
    SpanAttributes['gen_ai.request.model'] AS model,
    SpanAttributes['tokenledger.cost.unknown_reason'] AS reason,
    toUInt64OrNull(SpanAttributes['gen_ai.usage.input_tokens']) AS input_tokens,
    toUInt64OrNull(SpanAttributes['gen_ai.usage.output_tokens']) AS output_tokens
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason')
ORDER BY Timestamp
