-- Cost per run: every run tokenledger rolled up (agent runs, nested sub-agents, and plain root spans with LLM calls
-- or tools under them), with its agent, tenant, outcome and totals over its subtree. `complete = false`: some of its
-- calls have no cost or spans were lost, so the cost is a lower bound.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)} (clickhouse-client --param_from=… --param_to=…).
SELECT
    SpanAttributes['tokenledger.run.id'] AS run_id,
    SpanAttributes['gen_ai.agent.name'] AS agent,
    SpanAttributes['tenant.id'] AS tenant,
    SpanAttributes['tokenledger.run.nested'] = 'true' AS nested,
    SpanAttributes['tokenledger.run.success'] = 'true' AS success,
    SpanAttributes['tokenledger.run.complete'] = 'true' AS complete,
    toUInt32(SpanAttributes['tokenledger.run.steps']) AS steps,
    round(toFloat64OrNull(SpanAttributes['tokenledger.run.cost.usd']), 10) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND mapContains(SpanAttributes, 'tokenledger.run.steps')
ORDER BY Timestamp, run_id
