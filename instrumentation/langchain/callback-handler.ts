// LangChain.js and LangGraph runs, turned into tokenledger's runs and tools through LangChain's own callbacks: a
// top-level chain run (a graph's invoke, an agent executor, a runnable sequence) becomes an
// `invoke_agent {run name}` span and each tool run an `execute_tool {name}` span, parented as LangChain's runs
// are. The model calls are the provider SDKs' (ChatOpenAI on `openai`, ChatAnthropic on `@anthropic-ai/sdk`),
// which tokenledger's patches record; they start under the span of the LangChain run they belong to, so a run has
// its steps, tools and cost. That run is found two ways: a chat model's or LLM's `generate` / `_streamIterator`
// runs in the context of the run its callbacks name as parent (`modelContext`, instrumentation.ts), which needs
// nothing else; and a provider call made elsewhere (in a tool's own code) finds LangChain's current run in
// LangChain's async context (`frameworkContext`), which LangGraph's main entry or `@langchain/core/context` turns on
// (an app that imports only `@langchain/langgraph/prebuilt` has none: such calls then keep the active context).
// Model runs make no span here: the call's span is the patch's. The handler is awaited by LangChain
// (`awaitHandlers`), so a run's span exists before its calls start; its methods are synchronous and swallow their
// failures.
import { context, diag, type Context, type Tracer } from '@opentelemetry/api';
import { isRecord } from '../../ledger/usage.ts';
import { endSpanFailed, FrameworkSpans, startAgentSpan, startToolSpan } from '../common/framework-spans.ts';

/** LangChain runs held at once (a run LangChain never ends holds one): past this the oldest is let go. */
const MAX_RUNS = 10_000;
/** LangChain's shared AsyncLocalStorage, whose store is the current runnable config. */
const LANGCHAIN_ALS = Symbol.for('ls:tracing_async_local_storage');
/** Where LangChain keeps the current runnable config in that store's run tree (`extra`). */
const LC_CHILD_CONFIG = Symbol.for('lc:child_config');
export const HANDLER_NAME = 'tokenledger';

type Serialized = { id?: unknown; name?: unknown } | undefined;

export class LangChainRuns {
  private readonly runs = new FrameworkSpans(MAX_RUNS);
  private readonly tracer: () => Tracer;
  private readonly isEnabled: () => boolean;

  constructor(tracer: () => Tracer, isEnabled: () => boolean) {
    this.tracer = tracer;
    this.isEnabled = isEnabled;
  }

  /** The callback handler LangChain's CallbackManager is given (duck-typed as its BaseCallbackHandler). */
  handler(): Record<string, unknown> {
    const handler: Record<string, unknown> = {
      name: HANDLER_NAME,
      awaitHandlers: true,
      raiseError: false,
      copy: () => handler,
      // The order CallbackManager calls it with (its declared type lists runType before parentRunId).
      handleChainStart: (
        chain: Serialized,
        _inputs: unknown,
        runId: string,
        parentRunId?: string,
        _tags?: unknown,
        _metadata?: unknown,
        _runType?: string,
        runName?: string,
      ) => this.guard(() => this.startChain(chain, runId, runName, parentRunId)),
      handleChainEnd: (_outputs: unknown, runId: string) => this.guard(() => this.end(runId, undefined)),
      handleChainError: (error: unknown, runId: string) => this.guard(() => this.end(runId, error)),
      handleToolStart: (
        tool: Serialized,
        input: unknown,
        runId: string,
        parentRunId?: string,
        _tags?: unknown,
        _metadata?: unknown,
        runName?: string,
        toolCallId?: string,
      ) => this.guard(() => this.startTool(tool, input, runId, parentRunId, runName, toolCallId)),
      handleToolEnd: (_output: unknown, runId: string) => this.guard(() => this.end(runId, undefined)),
      handleToolError: (error: unknown, runId: string) => this.guard(() => this.end(runId, error)),
      handleChatModelStart: (_llm: unknown, _messages: unknown, runId: string, parentRunId?: string) => this.guard(() => this.inherit(runId, parentRunId)),
      handleLLMStart: (_llm: unknown, _prompts: unknown, runId: string, parentRunId?: string) => this.guard(() => this.inherit(runId, parentRunId)),
      handleLLMEnd: (_output: unknown, runId: string) => this.guard(() => this.end(runId, undefined)),
      handleLLMError: (_error: unknown, runId: string) => this.guard(() => this.end(runId, undefined)),
    };
    return handler;
  }

  /** The context of LangChain's current run, for an LLM call starting now (see common/framework-context.ts). */
  readonly frameworkContext = (active: Context): Context | undefined => {
    const store = langChainStorage()?.getStore();
    // The store is a run tree whose `extra` holds the current runnable config; its callbacks' parent run is the
    // run being executed.
    const extra = isRecord(store) && isRecord(store.extra) ? store.extra : undefined;
    const config = (extra as Record<symbol, unknown> | undefined)?.[LC_CHILD_CONFIG];
    return this.runs.callContext(parentRunId(isRecord(config) ? config.callbacks : undefined), active);
  };

  /**
   * The context a model invocation runs in: that of the run its callbacks (a CallbackManager, as LangChain passes a
   * child run's config) name as parent, when a span made here is that run's or above it; else undefined.
   */
  modelContext(callbacks: unknown, active: Context): Context | undefined {
    return this.runs.callContext(parentRunId(callbacks), active);
  }

  private startChain(chain: Serialized, runId: string, runName: string | undefined, parentRunId: string | undefined): void {
    if (parentRunId !== undefined) {
      this.inherit(runId, parentRunId);
      return;
    }
    if (!this.isEnabled()) return;
    const name = runName || lastId(chain) || 'chain';
    const parent = context.active();
    this.runs.remember(runId, parent, startAgentSpan(this.tracer(), name, parent));
  }

  private startTool(
    tool: Serialized,
    input: unknown,
    runId: string,
    parentRunId: string | undefined,
    runName: string | undefined,
    toolCallId: string | undefined,
  ): void {
    if (!this.isEnabled()) return;
    const name = runName || (typeof tool?.name === 'string' ? tool.name : lastId(tool)) || 'tool';
    const parent = this.runs.contextOf(parentRunId) ?? context.active();
    this.runs.remember(runId, parent, startToolSpan(this.tracer(), name, input, parent, toolCallId));
  }

  /** A run that makes no span of its own: its children start where it does. */
  private inherit(runId: string, parentRunId: string | undefined): void {
    const parent = this.runs.contextOf(parentRunId);
    if (parent) this.runs.remember(runId, parent);
  }

  private end(runId: string, error: unknown): void {
    const span = this.runs.take(runId);
    if (!span) return;
    if (error !== undefined) endSpanFailed(span, error);
    else span.end();
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      diag.error('tokenledger: LangChain callback failed', error);
    }
  }
}

/**
 * LangChain's shared AsyncLocalStorage: set up by LangGraph's main entry or an import of `@langchain/core/context`
 * (LangChain's way to turn its async context on in Node); undefined before.
 */
function langChainStorage(): { getStore(): unknown } | undefined {
  return (globalThis as { [LANGCHAIN_ALS]?: { getStore(): unknown } })[LANGCHAIN_ALS];
}

/** The run a CallbackManager's handlers report under (`_parentRunId`, set on a child run's manager). */
function parentRunId(callbacks: unknown): string | undefined {
  return isRecord(callbacks) && typeof callbacks._parentRunId === 'string' ? callbacks._parentRunId : undefined;
}

function lastId(serialized: Serialized): string | undefined {
  const id = serialized?.id;
  if (Array.isArray(id) && typeof id.at(-1) === 'string') return id.at(-1) as string;
  return typeof serialized?.name === 'string' ? serialized.name : undefined;
}
