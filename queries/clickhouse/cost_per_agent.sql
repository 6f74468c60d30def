-- Cost per agent: its tasks (outermost runs, each counted once; a task's cost includes its sub-agents'), how many
-- succeeded, and their spend. Sub-agents show in cost_per_run.sql.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    SpanAttributes['gen_ai.agent.name'] AS agent,
    count() AS tasks,
    countIf(SpanAttributes['tokenledger.run.success'] = 'true') AS successful,
    round(sum(toFloat64OrZero(SpanAttributes['tokenledger.run.cost.usd'])), 10) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND mapContains(SpanAttributes, 'tokenledger.run.steps')
  AND SpanAttributes['tokenledger.run.nested'] = 'false'
GROUP BY agent
ORDER BY cost_usd DESC, agent
