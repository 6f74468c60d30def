// What a framework bridge (LangChain's callbacks, the OpenAI Agents SDK's trace processor) keeps about the
// framework's own runs: the OpenTelemetry context each one's children start in, the agent or tool span made for it,
// and which span each of those was started under. Bounded: a run the framework never ends is let go once `maxRuns`
// newer ones are held. Also the two spans a bridge makes, so that both name and describe them alike, and how a
// tool runs in its span and a failed span ends, the same for every bridge.
import { context, diag, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_TOKENLEDGER_TOOL_ARGS_HASH,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
} from '../../conventions/attributes.ts';
import { OldestFirstMap } from '../../base/oldest-first.ts';
import { toolArgsHash } from '../agent/canonical.ts';
import { currentCallGate } from './call-gate.ts';
import { errorType } from './error-type.ts';
import { isGuardError } from './gate-call.ts';

/** How far up the spans made here an LLM call's parent is looked for (deeper nesting is not an agent's). */
const MAX_DEPTH = 64;

export class FrameworkSpans {
  /** Every framework run in flight → the OpenTelemetry context its children start in. */
  private readonly contexts = new OldestFirstMap<string, Context>();
  /** The runs an OpenTelemetry span was made for → that span. */
  private readonly spans = new Map<string, Span>();
  /** The OpenTelemetry spans made here, by span id → the id of the span they started under. */
  private readonly parents = new Map<string, string | undefined>();
  private readonly maxRuns: number;

  constructor(maxRuns: number) {
    this.maxRuns = maxRuns;
  }

  /** The context the children of this framework run start in, if it is held. */
  contextOf(runId: string | undefined): Context | undefined {
    return runId === undefined ? undefined : this.contexts.get(runId);
  }

  /** A run starting in `parent`: under `span` when one was made for it, else its children start where it does. */
  remember(runId: string, parent: Context, span?: Span): void {
    if (this.contexts.size >= this.maxRuns) this.forget(this.contexts.oldest()!);
    if (!span) {
      this.contexts.set(runId, parent);
      return;
    }
    this.contexts.set(runId, trace.setSpan(parent, span));
    this.spans.set(runId, span);
    this.parents.set(span.spanContext().spanId, trace.getSpan(parent)?.spanContext().spanId);
  }

  /** The run ended: it is let go, and the span made for it, if any, is returned to be ended. */
  take(runId: string): Span | undefined {
    const span = this.spans.get(runId);
    this.forget(runId);
    return span;
  }

  /**
   * The context an LLM call starting in `active` takes from the framework's current run: the run's, when its span
   * is one made here and is the active span or was started under it (a span the app started inside the run since
   * keeps its place); else undefined.
   */
  callContext(runId: string | undefined, active: Context): Context | undefined {
    const found = this.contextOf(runId);
    const span = found && trace.getSpan(found);
    if (!found || !span || !this.parents.has(span.spanContext().spanId)) return undefined;
    const activeSpan = trace.getSpan(active);
    if (activeSpan === undefined || activeSpan === span) return found;
    const wanted = activeSpan.spanContext().spanId;
    let parent = this.parents.get(span.spanContext().spanId);
    for (let depth = 0; parent !== undefined && depth < MAX_DEPTH; depth += 1) {
      if (parent === wanted) return found;
      parent = this.parents.get(parent);
    }
    return undefined;
  }

  private forget(runId: string): void {
    const span = this.spans.get(runId);
    this.contexts.delete(runId);
    this.spans.delete(runId);
    if (span) this.parents.delete(span.spanContext().spanId);
  }
}

/** An agent run's span, `invoke_agent {name}`. */
export function startAgentSpan(tracer: Tracer, name: string, parent: Context): Span {
  const attributes = { [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT, [ATTR_GEN_AI_AGENT_NAME]: name };
  return tracer.startSpan(`invoke_agent ${name}`, { kind: SpanKind.INTERNAL, attributes }, parent);
}

/**
 * A tool execution's span, `execute_tool {name}`, with the hash of its arguments when they are known (undefined:
 * not yet) and serialise canonically.
 */
export function startToolSpan(tracer: Tracer, name: string, input: unknown, parent: Context, toolCallId?: unknown): Span {
  const attributes: Record<string, string> = { [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL, [ATTR_GEN_AI_TOOL_NAME]: name };
  if (typeof toolCallId === 'string' && toolCallId) attributes[ATTR_GEN_AI_TOOL_CALL_ID] = toolCallId;
  try {
    if (input !== undefined) attributes[ATTR_TOKENLEDGER_TOOL_ARGS_HASH] = toolArgsHash(name, [input]);
  } catch {
    // Arguments that cannot be serialised canonically get no hash.
  }
  return tracer.startSpan(`execute_tool ${name}`, { kind: SpanKind.INTERNAL, attributes }, parent);
}

/** Ends a span as failed with the error's type; the app still gets the very same error. */
export function endSpanFailed(span: Span, error: unknown): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
  span.end();
}

/**
 * Runs a tool inside its span: the guardrails are asked first (a guardrail's stop fails the span and reaches the
 * app; a guardrail that fails is reported and the tool runs), then the tool runs with its span active, which ends
 * when it returns, failed if it throws.
 */
export async function runInToolSpan<T>(span: Span, execute: () => T | PromiseLike<T>): Promise<T> {
  try {
    currentCallGate()?.beforeTool(span);
  } catch (error) {
    if (isGuardError(error)) {
      endSpanFailed(span, error);
      throw error;
    }
    diag.error('tokenledger: a guardrail failed; the tool runs', error);
  }
  try {
    const output = await context.with(trace.setSpan(context.active(), span), execute);
    span.end();
    return output;
  } catch (error) {
    endSpanFailed(span, error);
    throw error;
  }
}
