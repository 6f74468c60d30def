-- Cost per day (UTC) and service, from the counted LLM calls (the spans that state a cost or why they have none).
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    toDate(Timestamp, 'UTC') AS day,
    ServiceName AS service,
    count() AS calls,
    countIf(mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason')) AS unpriced_calls,
    round(sum(toFloat64OrZero(SpanAttributes['tokenledger.cost.usd'])), 10) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND (mapContains(SpanAttributes, 'tokenledger.cost.usd') OR mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason'))
GROUP BY day, service
ORDER BY day, service
