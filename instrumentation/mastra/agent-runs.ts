// A Mastra agent's run and its tool executions. `Agent.generate` / `Agent.stream` become an `invoke_agent {name}`
// span, active while Mastra's loop runs, so the model calls (model-calls.ts) and tools land inside it; a streamed
// run ends when Mastra's output has finished or failed (the output's own wait, which does not start consuming the
// stream: an app that never reads its stream leaves the run open, as with every stream). Each tool the agent
// assembled for the run gets its `execute` run inside an `execute_tool {name}` span, so a sub-agent or an AI SDK
// call made inside the tool nests under it. With Mastra's OpenTelemetry bridge on, the bridge's own tool spans are
// the tools (their `gen_ai.operation.name` is `execute_tool`), and tokenledger makes none, so each counts once; the
// bridge's aggregate `chat` span per run carries the last call's response id and is marked a duplicate.
import { context, diag, trace, type Span } from '@opentelemetry/api';
import { isRecord } from '../../ledger/usage.ts';
import { endSpanFailed, runInToolSpan, startAgentSpan, startToolSpan } from '../common/framework-spans.ts';
import type { TracedMethodHost } from '../common/traced-method.ts';

/** The instrumentation scope of the spans `@mastra/otel-bridge` makes. */
const MASTRA_BRIDGE_SCOPE = '@mastra/otel-bridge';

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Output = { _waitUntilFinished?: () => Promise<void>; error?: unknown; status?: unknown };

/** `generate`: the run span is active while the promise runs and ends when it settles. */
export function tracedGenerate(host: TracedMethodHost, original: Method): Method {
  return function generate(this: unknown, ...args: unknown[]) {
    const run = host.isEnabled() ? startRun(host, this) : undefined;
    if (!run) return original.apply(this, args);
    const result = runIn(run, () => original.apply(this, args));
    Promise.resolve(result).then(
      () => run.end(),
      (error: unknown) => endSpanFailed(run, error),
    );
    return result;
  };
}

/** `stream`: the run span is active while the loop starts and ends when Mastra's output has finished. */
export function tracedStream(host: TracedMethodHost, original: Method): Method {
  return function stream(this: unknown, ...args: unknown[]) {
    const run = host.isEnabled() ? startRun(host, this) : undefined;
    if (!run) return original.apply(this, args);
    const result = runIn(run, () => original.apply(this, args));
    Promise.resolve(result).then(
      (output) => endWhenFinished(run, output as Output),
      (error: unknown) => endSpanFailed(run, error),
    );
    return result;
  };
}

/** `convertTools`: the tools assembled for a run, each executing inside its tool span. */
export function tracedConvertTools(host: TracedMethodHost, original: Method): Method {
  return function convertTools(this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (!host.isEnabled() || !(result instanceof Promise)) return result;
    return result.then((tools: unknown) => {
      try {
        return isRecord(tools) ? withToolSpans(host, tools) : tools;
      } catch (error) {
        diag.error('tokenledger: could not trace Mastra tools', error);
        return tools;
      }
    });
  };
}

function withToolSpans(host: TracedMethodHost, tools: Record<string, unknown>): Record<string, unknown> {
  const traced: Record<string, unknown> = {};
  for (const [name, tool] of Object.entries(tools)) {
    // A copy, as Mastra's own tool hooks make: the app's tool objects are never changed.
    traced[name] = isRecord(tool) && typeof tool.execute === 'function' ? { ...tool, execute: tracedExecute(host, name, tool.execute as Method) } : tool;
  }
  return traced;
}

function tracedExecute(host: TracedMethodHost, name: string, execute: Method): Method {
  return async function (this: unknown, input: unknown, options: unknown, ...rest: unknown[]) {
    let span: Span | undefined;
    try {
      if (host.isEnabled() && !insideMastraBridge())
        span = startToolSpan(host.tracer, name, input, context.active(), isRecord(options) ? options.toolCallId : undefined);
    } catch (error) {
      diag.error('tokenledger: could not start a Mastra tool span', error);
    }
    if (!span) return await execute.call(this, input, options, ...rest);
    return await runInToolSpan(span, () => execute.call(this, input, options, ...rest));
  };
}

/**
 * Whether the app turned on Mastra's OpenTelemetry bridge, which makes a tool span of its own for each execution:
 * the span active as a tool starts is then one of the bridge's (its scope is the package's name).
 */
function insideMastraBridge(): boolean {
  const span = trace.getSpan(context.active()) as { instrumentationScope?: { name?: unknown } } | undefined;
  return span?.instrumentationScope?.name === MASTRA_BRIDGE_SCOPE;
}

function startRun(host: TracedMethodHost, agent: unknown): Span | undefined {
  try {
    const name = isRecord(agent) && typeof agent.name === 'string' && agent.name ? agent.name : 'mastra.agent';
    return startAgentSpan(host.tracer, name, context.active());
  } catch (error) {
    diag.error('tokenledger: could not start a Mastra run span', error);
    return undefined;
  }
}

function runIn<T>(run: Span, fn: () => T): T {
  try {
    return context.with(trace.setSpan(context.active(), run), fn);
  } catch (error) {
    endSpanFailed(run, error);
    throw error;
  }
}

function endWhenFinished(run: Span, output: Output): void {
  if (!output || typeof output._waitUntilFinished !== 'function') {
    run.end();
    return;
  }
  output._waitUntilFinished().then(
    () => (output.status === 'failed' && output.error !== undefined ? endSpanFailed(run, output.error) : run.end()),
    (error: unknown) => endSpanFailed(run, error),
  );
}
