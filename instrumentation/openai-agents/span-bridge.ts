// The OpenAI Agents SDK's own spans, turned into tokenledger's runs and tools: each span the SDK creates through
// its global trace provider (`createSpan`, which it calls whether its tracing is on or off — off, it returns a
// NoopSpan that no processor ever sees) is seen here at once. An agent span becomes an `invoke_agent {name}` span
// and a function (tool) span an `execute_tool {name}` span, parented as the SDK's spans are, the outermost under the
// OpenTelemetry span active when it was created; each ends when the SDK ends its span. The model calls themselves
// are the openai SDK's, which tokenledger's openai patch records; they start under the OpenTelemetry span made for
// the SDK's current span (`frameworkContext`), so steps, tools and cost roll up into the agent's run. Generation,
// response, task and turn spans make no span here: their children start where they do.
//
// Why not a TracingProcessor: the SDK calls its processors one after another, each awaited, so a processor behind
// another (the default exporter, the app's own) hears of a span only after the model call under it has started;
// and with tracing disabled it hears of none. Spans are keyed by their `spanData` object, which is theirs alone and
// shared by the copies the SDK makes of its current span (span ids are all "no-op" when tracing is off).
// Limits: the SDK runs a tool's function in no OpenTelemetry context of ours (nothing here wraps it), so a span the
// app starts inside a tool is a root of its own (an LLM call made in the tool itself is placed under the tool's
// span); a Runner made with `tracingDisabled: true` creates no function spans, so its tools are not counted.
import { context, diag, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_TOKENLEDGER_TOOL_ARGS_HASH } from '../../conventions/attributes.ts';
import { isRecord } from '../../ledger/usage.ts';
import { toolArgsHash } from '../agent/canonical.ts';
import { FrameworkSpans, startAgentSpan, startToolSpan } from '../common/framework-spans.ts';

/** The agents SDK's span as created by its trace provider (agents-core `Span` or `NoopSpan`). */
export interface AgentsSpan {
  readonly spanData: Record<string, unknown>;
  end(): void;
  setError(error: unknown): void;
}

/** Agents SDK spans held at once: past this the oldest is let go (a span the SDK never ends). */
const MAX_SPANS = 10_000;
/** The agents SDK's AsyncLocalStorage (agents-core tracing/context), whose store holds its current span. */
const ALS = Symbol.for('openai.agents.core.asyncLocalStorage');

export class AgentsSpanBridge {
  /** The agents SDK's spans in flight (by the id given here to their spanData), and the spans made for them. */
  private readonly runs = new FrameworkSpans(MAX_SPANS);
  private readonly ids = new WeakMap<object, string>();
  /** The error an SDK span was given (a NoopSpan keeps none). */
  private readonly errors = new WeakMap<object, unknown>();
  private lastId = 0;
  private readonly tracer: () => Tracer;
  private readonly isEnabled: () => boolean;

  constructor(tracer: () => Tracer, isEnabled: () => boolean) {
    this.tracer = tracer;
    this.isEnabled = isEnabled;
  }

  /** The SDK created `span` under `parent` (a span, a trace, or undefined for its current span). */
  created(span: AgentsSpan, parent: unknown): void {
    try {
      if (!this.isEnabled() || !isRecord(span.spanData)) return;
      const data = span.spanData;
      // The same spanData again is a span the SDK re-created (a resumed run's chain, rebased): it is the same span.
      if (!this.ids.has(data)) this.start(data, parent);
      this.observeEnd(span, data);
    } catch (error) {
      diag.error('tokenledger: could not record an agents SDK span', error);
    }
  }

  /**
   * The context of the OpenTelemetry span made for the agents SDK's current span, for an LLM call starting now:
   * only when that span was started under the active one (or is it), so a span the app started inside the agent
   * keeps its place.
   */
  readonly frameworkContext = (active: Context): Context | undefined => {
    const current = currentSpanData();
    return this.runs.callContext(current && this.ids.get(current), active);
  };

  private start(data: Record<string, unknown>, parent: unknown): void {
    const id = String(++this.lastId);
    this.ids.set(data, id);
    const parentData = parent === undefined ? currentSpanData() : isRecord(parent) && isRecord(parent.spanData) ? parent.spanData : undefined;
    const parentContext = (parentData && this.runs.contextOf(this.ids.get(parentData))) || context.active();
    const name = typeof data.name === 'string' && data.name ? data.name : undefined;
    let started: Span | undefined;
    if (data.type === 'agent') started = startAgentSpan(this.tracer(), name ?? 'agent', parentContext);
    // A function span's input is filled in after it starts (and only when the SDK keeps tool data): hashed at its end.
    else if (data.type === 'function') started = startToolSpan(this.tracer(), name ?? 'tool', undefined, parentContext);
    this.runs.remember(id, parentContext, started);
  }

  /** Wraps this span object's `end` and `setError` (each copy the SDK ends is wrapped by its own creation). */
  private observeEnd(span: AgentsSpan, data: Record<string, unknown>): void {
    const end = span.end;
    const setError = span.setError;
    span.setError = (error: unknown) => {
      this.errors.set(data, error);
      return setError.call(span, error);
    };
    span.end = () => {
      this.ended(data);
      return end.call(span);
    };
  }

  private ended(data: Record<string, unknown>): void {
    try {
      const id = this.ids.get(data);
      const mapped = id === undefined ? undefined : this.runs.take(id);
      if (!mapped) return;
      if (data.type === 'function' && typeof data.input === 'string' && data.input && typeof data.name === 'string') {
        mapped.setAttribute(ATTR_TOKENLEDGER_TOOL_ARGS_HASH, toolArgsHash(data.name, [parsedArguments(data.input)]));
      }
      const failed = this.errors.get(data);
      if (failed !== undefined) {
        mapped.setAttribute(ATTR_ERROR_TYPE, '_OTHER');
        mapped.setStatus({ code: SpanStatusCode.ERROR, message: isRecord(failed) && typeof failed.message === 'string' ? failed.message : undefined });
      }
      mapped.end();
    } catch (error) {
      diag.error('tokenledger: could not end an agents SDK span', error);
    }
  }
}

/** The spanData of the agents SDK's current span (the parent of a span created without one), if any. */
function currentSpanData(): object | undefined {
  const store = (globalThis as { [ALS]?: { getStore(): unknown } })[ALS]?.getStore();
  return isRecord(store) && store.active === true && isRecord(store.span) && isRecord(store.span.spanData) ? store.span.spanData : undefined;
}

/** A tool call's arguments as the model sent them (a JSON string), parsed so they hash as other tools' do. */
function parsedArguments(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
