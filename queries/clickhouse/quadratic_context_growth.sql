-- Runs whose context grew quadratically: each step resent a steadily growing history (tokenledger's test: at least 4
-- steps, a line with R² ≥ 0.8 and the last step at least twice the first), with the input tokens of each step.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    SpanAttributes['tokenledger.run.id'] AS run_id,
    SpanAttributes['gen_ai.agent.name'] AS agent,
    toUInt32(SpanAttributes['tokenledger.run.steps']) AS steps,
    JSONExtract(SpanAttributes['tokenledger.run.input_tokens_per_step'], 'Array(UInt64)') AS input_tokens_per_step,
    toFloat64(SpanAttributes['tokenledger.run.context_growth.tokens_per_step']) AS tokens_per_step_slope,
    round(toFloat64OrZero(SpanAttributes['tokenledger.run.cost.usd']), 10) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND SpanAttributes['tokenledger.run.context_growth.quadratic'] = 'true'
ORDER BY Timestamp
