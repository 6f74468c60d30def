// The OpenAI Agents SDK's tracing, turned into tokenledger's runs and tools: a TracingProcessor (the SDK's own
// extension point) that makes an `invoke_agent {name}` span for each agent span and an `execute_tool {name}` span
// for each function (tool) span, parented as the SDK's spans are, the outermost under the OpenTelemetry span
// active when the agent started. The model calls themselves are the openai SDK's, which tokenledger's openai
// patch records; they start under the OpenTelemetry span made for the agents SDK's current span
// (`frameworkContext`), so steps, tools and cost roll up into the agent's run. Generation and response spans make
// no span here: the call's span is the patch's. Every callback swallows its failures.
import { context, diag, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_TOKENLEDGER_TOOL_ARGS_HASH,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
} from '../../conventions/attributes.ts';
import { isRecord } from '../../ledger/usage.ts';
import { toolArgsHash } from '../agent/canonical.ts';

/** The agents SDK's span, as its processors see it (agents-core `Span`). */
interface AgentsSpan {
  spanId: string;
  parentId: string | null;
  spanData: Record<string, unknown>;
  error: { message?: string } | null;
}

/** Agents SDK spans mapped at once: past this the oldest is let go (a span the SDK never ends). */
const MAX_SPANS = 10_000;
const ALS = Symbol.for('openai.agents.core.asyncLocalStorage');

export class AgentsTraceProcessor {
  /** Every agents SDK span in flight → the OpenTelemetry context its children start in. */
  private readonly contexts = new Map<string, Context>();
  /** The agents SDK spans an OpenTelemetry span was made for (agents and function calls) → that span. */
  private readonly spans = new Map<string, Span>();
  /** The OpenTelemetry spans made here, by span id → the id of the span they started under. */
  private readonly parents = new Map<string, string | undefined>();
  private readonly tracer: () => Tracer;
  private readonly isEnabled: () => boolean;

  constructor(tracer: () => Tracer, isEnabled: () => boolean) {
    this.tracer = tracer;
    this.isEnabled = isEnabled;
  }

  async onTraceStart(): Promise<void> {}
  async onTraceEnd(): Promise<void> {}
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}

  async onSpanStart(span: AgentsSpan): Promise<void> {
    try {
      if (!this.isEnabled()) return;
      const data = span.spanData;
      const parent = (span.parentId ? this.contexts.get(span.parentId) : undefined) ?? context.active();
      let started: Span | undefined;
      if (data.type === 'agent') {
        const name = typeof data.name === 'string' && data.name ? data.name : 'agent';
        started = this.tracer().startSpan(
          `invoke_agent ${name}`,
          { kind: SpanKind.INTERNAL, attributes: { [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT, [ATTR_GEN_AI_AGENT_NAME]: name } },
          parent,
        );
      } else if (data.type === 'function') {
        const name = typeof data.name === 'string' && data.name ? data.name : 'tool';
        const attributes: Record<string, string> = { [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL, [ATTR_GEN_AI_TOOL_NAME]: name };
        try {
          attributes[ATTR_TOKENLEDGER_TOOL_ARGS_HASH] = toolArgsHash(name, [data.input]);
        } catch {
          // Arguments that cannot be serialised canonically get no hash.
        }
        started = this.tracer().startSpan(`execute_tool ${name}`, { kind: SpanKind.INTERNAL, attributes }, parent);
      }
      // Other spans (task, turn, generation, handoff, guardrail…) make none: their children start where they do.
      if (this.contexts.size >= MAX_SPANS) this.forget(this.contexts.keys().next().value!);
      if (!started) {
        this.contexts.set(span.spanId, parent);
        return;
      }
      this.contexts.set(span.spanId, trace.setSpan(parent, started));
      this.spans.set(span.spanId, started);
      this.parents.set(started.spanContext().spanId, trace.getSpan(parent)?.spanContext().spanId);
    } catch (error) {
      diag.error('tokenledger: could not record an agents SDK span', error);
    }
  }

  async onSpanEnd(span: AgentsSpan): Promise<void> {
    try {
      const mapped = this.spans.get(span.spanId);
      this.forget(span.spanId);
      if (!mapped) return;
      const failed = span.error ?? (span.spanData.type === 'function' && isRecord(span.spanData.error) ? span.spanData.error : null);
      if (failed) {
        mapped.setAttribute(ATTR_ERROR_TYPE, '_OTHER');
        mapped.setStatus({ code: SpanStatusCode.ERROR, message: typeof failed.message === 'string' ? failed.message : undefined });
      }
      mapped.end();
    } catch (error) {
      diag.error('tokenledger: could not end an agents SDK span', error);
    }
  }

  /**
   * The context of the OpenTelemetry span made for the agents SDK's current span, for an LLM call starting now:
   * only when that span was started under the active one (or is it), so a span the app started inside the agent
   * keeps its place.
   */
  readonly frameworkContext = (active: Context): Context | undefined => {
    const store = (globalThis as { [ALS]?: { getStore(): unknown } })[ALS]?.getStore();
    const current = isRecord(store) && store.active === true && isRecord(store.span) ? store.span : undefined;
    const found = typeof current?.spanId === 'string' ? this.contexts.get(current.spanId) : undefined;
    const span = found && trace.getSpan(found);
    if (!found || !span || !this.parents.has(span.spanContext().spanId)) return undefined;
    const activeSpan = trace.getSpan(active);
    if (activeSpan === undefined || activeSpan === span) return found;
    return this.isUnder(span, activeSpan) ? found : undefined;
  };

  /** Whether `span` (one of ours) was started under `ancestor`, through spans made here. */
  private isUnder(span: Span, ancestor: Span): boolean {
    const wanted = ancestor.spanContext().spanId;
    let parent = this.parents.get(span.spanContext().spanId);
    for (let depth = 0; parent !== undefined && depth < 64; depth += 1) {
      if (parent === wanted) return true;
      parent = this.parents.get(parent);
    }
    return false;
  }

  private forget(agentsSpanId: string): void {
    const mapped = this.spans.get(agentsSpanId);
    this.contexts.delete(agentsSpanId);
    this.spans.delete(agentsSpanId);
    if (mapped) this.parents.delete(mapped.spanContext().spanId);
  }
}
