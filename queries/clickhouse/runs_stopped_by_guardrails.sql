-- The runs a guardrail stopped (enforce mode): the first limit they hit, how many times one fired, and the budget
-- events on the run span (warn-mode runs are listed too, with stopped = 0).
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
SELECT
    SpanAttributes['tokenledger.run.id'] AS run_id,
    SpanAttributes['gen_ai.agent.name'] AS agent,
    SpanAttributes['tenant.id'] AS tenant,
    SpanAttributes['tokenledger.run.budget.exceeded'] AS first_limit,
    SpanAttributes['tokenledger.run.budget.mode'] = 'enforce' AS stopped,
    toUInt32(SpanAttributes['tokenledger.run.budget.breaches']) AS breaches,
    arrayFilter(name -> name IN ('tokenledger.budget.exceeded', 'tokenledger.loop.detected'), `Events.Name`) AS events,
    round(toFloat64OrZero(SpanAttributes['tokenledger.run.cost.usd']), 10) AS cost_usd
FROM otel.otel_traces
WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
  AND mapContains(SpanAttributes, 'tokenledger.run.budget.exceeded')
ORDER BY Timestamp
