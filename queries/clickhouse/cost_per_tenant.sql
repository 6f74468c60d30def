-- Cost per tenant, from the counted LLM calls (the spans that state a cost or why they have none): the `tenant.id` attribute that TOKENLEDGER_BAGGAGE_KEYS=tenant.id copies
-- from the baggage ('' for calls made without one). Use any attribution key the same way (`user.id`, `feature`).
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    SpanAttributes['tenant.id'] AS tenant,
    count() AS calls,
    countIf(mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason')) AS unpriced_calls,
    round(sum(toFloat64OrZero(SpanAttributes['tokenledger.cost.usd'])), 10) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND (mapContains(SpanAttributes, 'tokenledger.cost.usd') OR mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason'))
GROUP BY tenant
ORDER BY cost_usd DESC, tenant
