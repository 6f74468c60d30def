// `tool(name, fn)`: wraps a tool function so each execution is an `execute_tool {name}` span under the current
// run. The wrapped function returns, resolves, throws or rejects exactly as `fn` does.
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
} from '../../conventions/attributes.ts';
import { errorType } from '../common/error-type.ts';
import { VERSION } from '../version.ts';

export interface ToolOptions {
  /** Reads the model's tool-call id from the arguments, for `gen_ai.tool.call.id`. */
  callId?: (args: readonly unknown[]) => string | undefined;
}

export function tool<Args extends unknown[], Result>(
  name: string,
  fn: (...args: Args) => Result,
  options: ToolOptions = {},
): (...args: Args) => Result {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('tool: `name` must be a non-empty string');
  if (typeof fn !== 'function') throw new TypeError('tool: `fn` must be a function');
  return function traced(this: unknown, ...args: Args): Result {
    const span = trace.getTracer('tokenledger', VERSION).startSpan(`execute_tool ${name}`, {
      kind: SpanKind.INTERNAL,
      attributes: { [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool', [ATTR_GEN_AI_TOOL_NAME]: name },
    });
    const callId = options.callId?.(args);
    if (callId) span.setAttribute(ATTR_GEN_AI_TOOL_CALL_ID, callId);
    let result: Result;
    try {
      result = context.with(trace.setSpan(context.active(), span), () => fn.apply(this, args));
    } catch (error) {
      endFailed(span, error);
      throw error;
    }
    if (result instanceof Promise) {
      // Observe without changing: the caller still gets `fn`'s own promise.
      result.then(
        () => span.end(),
        (error: unknown) => endFailed(span, error),
      );
      return result;
    }
    span.end();
    return result;
  };
}

function endFailed(span: Span, error: unknown): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
  span.end();
}
