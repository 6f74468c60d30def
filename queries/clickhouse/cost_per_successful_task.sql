-- $ per successful task, per agent: the spend of all its tasks (failed ones too) over the tasks that succeeded. NULL
-- when none succeeded. The same KPI as the README's PromQL, over spans.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    SpanAttributes['gen_ai.agent.name'] AS agent,
    round(sum(toFloat64OrZero(SpanAttributes['tokenledger.run.cost.usd'])), 10) AS spend_usd,
    countIf(SpanAttributes['tokenledger.run.success'] = 'true') AS successful_tasks,
    round(spend_usd / nullIf(successful_tasks, 0), 10) AS usd_per_successful_task
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND mapContains(SpanAttributes, 'tokenledger.run.steps')
  AND SpanAttributes['tokenledger.run.nested'] = 'false'
GROUP BY agent
ORDER BY agent
