// The OpenAI Agents SDK's tracing, turned into tokenledger's runs and tools: a TracingProcessor (the SDK's own
// extension point) that makes an `invoke_agent {name}` span for each agent span and an `execute_tool {name}` span
// for each function (tool) span, parented as the SDK's spans are, the outermost under the OpenTelemetry span
// active when the agent started. The model calls themselves are the openai SDK's, which tokenledger's openai
// patch records; they start under the OpenTelemetry span made for the agents SDK's current span
// (`frameworkContext`), so steps, tools and cost roll up into the agent's run. Generation and response spans make
// no span here: the call's span is the patch's. Every callback swallows its failures.
import { context, diag, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '../../conventions/attributes.ts';
import { isRecord } from '../../ledger/usage.ts';
import { FrameworkSpans, startAgentSpan, startToolSpan } from '../common/framework-spans.ts';

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
  /** The agents SDK's spans in flight, and the spans made for its agents and function calls. */
  private readonly runs = new FrameworkSpans(MAX_SPANS);
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
      const parent = this.runs.contextOf(span.parentId ?? undefined) ?? context.active();
      const name = typeof data.name === 'string' && data.name ? data.name : undefined;
      let started: Span | undefined;
      if (data.type === 'agent') started = startAgentSpan(this.tracer(), name ?? 'agent', parent);
      else if (data.type === 'function') started = startToolSpan(this.tracer(), name ?? 'tool', data.input, parent);
      // Other spans (task, turn, generation, handoff, guardrail…) make none: their children start where they do.
      this.runs.remember(span.spanId, parent, started);
    } catch (error) {
      diag.error('tokenledger: could not record an agents SDK span', error);
    }
  }

  async onSpanEnd(span: AgentsSpan): Promise<void> {
    try {
      const mapped = this.runs.take(span.spanId);
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
    return this.runs.callContext(typeof current?.spanId === 'string' ? current.spanId : undefined, active);
  };
}
