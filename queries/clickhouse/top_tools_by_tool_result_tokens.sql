-- Top tools by tool-result tokens: the input that tools' results made up when they were sent back to the model. A
-- call's `tokenledger.usage.tool_result.input_tokens` (estimated by tokenledger) is shared evenly among the tool
-- executions that ended, in the same run, after the previous call and before it started. Counted calls only: the
-- spans that state a cost or why they have none (a duplicate span of a call states neither).
-- Parameters: {from:DateTime64(9)}, {to:DateTime64(9)}.
WITH
    tools AS (
        SELECT
            TraceId,
            ParentSpanId,
            SpanId AS tool_span,
            SpanAttributes['gen_ai.tool.name'] AS tool,
            Timestamp + toIntervalNanosecond(Duration) AS ended
        FROM otel.otel_traces
        WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
          AND SpanAttributes['gen_ai.operation.name'] = 'execute_tool'
    ),
    calls AS (
        SELECT
            TraceId,
            ParentSpanId,
            SpanId AS call_span,
            Timestamp AS started,
            toUInt64OrZero(SpanAttributes['tokenledger.usage.tool_result.input_tokens']) AS tool_result_tokens,
            toFloat64OrZero(SpanAttributes['tokenledger.cost.tool_result.usd']) AS tool_result_usd
        FROM otel.otel_traces
        WHERE Timestamp >= {from:DateTime64(9)} AND Timestamp < {to:DateTime64(9)}
          AND (mapContains(SpanAttributes, 'tokenledger.cost.usd') OR mapContains(SpanAttributes, 'tokenledger.cost.unknown_reason'))
    ),
    fed AS (
        -- Each tool execution and the first call after it in the same run: the call its result was sent back in.
        SELECT tools.tool AS tool, calls.call_span AS call_span, calls.tool_result_tokens AS tokens, calls.tool_result_usd AS usd
        FROM tools
        ASOF INNER JOIN calls ON tools.TraceId = calls.TraceId AND tools.ParentSpanId = calls.ParentSpanId AND tools.ended <= calls.started
    ),
    shared AS (
        SELECT tool, tokens / count() OVER (PARTITION BY call_span) AS tokens, usd / count() OVER (PARTITION BY call_span) AS usd
        FROM fed
    )
SELECT
    tool,
    count() AS executions,
    round(sum(tokens)) AS tool_result_tokens,
    round(sum(usd), 10) AS tool_result_usd
FROM shared
GROUP BY tool
ORDER BY tool_result_tokens DESC, tool
