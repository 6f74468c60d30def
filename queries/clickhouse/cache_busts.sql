-- Cache busts: an LLM call whose prompt prefix (system prompt + tool definitions, `tokenledger.request.prefix_hash`)
-- differs from the previous call of the same agent and model, and whose cache hit rate dropped below that call's:
-- the provider's cache was rebuilt at full price. Counted calls only: the spans that state a cost or why they have
-- none (a duplicate span of a call states neither). A call's agent is the run span it was made in directly.
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
WITH
    runs AS (
        SELECT TraceId, SpanId, SpanAttributes['gen_ai.agent.name'] AS agent
        FROM otel.otel_traces
        WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
          AND mapContains(SpanAttributes, 'tokenledger.run.id')
    ),
    calls AS (
        SELECT
            c.Timestamp AS ts,
            c.TraceId AS trace_id,
            runs.agent AS agent,
            c.SpanAttributes['gen_ai.request.model'] AS model,
            c.SpanAttributes['tokenledger.request.prefix_hash'] AS prefix,
            toUInt64OrZero(c.SpanAttributes['gen_ai.usage.cache_read.input_tokens'])
                / nullIf(toUInt64OrZero(c.SpanAttributes['gen_ai.usage.input_tokens']), 0) AS hit_rate
        FROM otel.otel_traces AS c
        INNER JOIN runs ON c.TraceId = runs.TraceId AND c.ParentSpanId = runs.SpanId
        WHERE c.Timestamp >= {from:DateTime64(9)} AND c.Timestamp < {to:DateTime64(9)}
          AND (mapContains(c.SpanAttributes, 'tokenledger.cost.usd') OR mapContains(c.SpanAttributes, 'tokenledger.cost.unknown_reason'))
          AND mapContains(c.SpanAttributes, 'tokenledger.request.prefix_hash')
          AND mapContains(c.SpanAttributes, 'gen_ai.usage.input_tokens')
    ),
    ordered AS (
        SELECT
            *,
            row_number() OVER w AS n,
            lagInFrame(prefix) OVER w AS previous_prefix,
            lagInFrame(hit_rate) OVER w AS previous_hit_rate
        FROM calls
        WINDOW w AS (PARTITION BY agent, model ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )
SELECT
    ts,
    trace_id,
    agent,
    model,
    previous_prefix,
    prefix,
    round(previous_hit_rate, 6) AS previous_hit_rate,
    round(hit_rate, 6) AS hit_rate
FROM ordered
WHERE n > 1 AND prefix != previous_prefix AND hit_rate < previous_hit_rate
ORDER BY ts
