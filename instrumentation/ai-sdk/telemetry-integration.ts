// tokenledger as an AI SDK 7 telemetry integration: the AI SDK's own extension point, which it calls for every
// generateText / streamText (and the agent classes built on them) whatever the app's telemetry settings, with no
// module patched. Registered process-wide (ai-sdk/instrumentation.ts), it turns
//   onStart … onEnd / onError / onAbort          → one run span, `invoke_agent {functionId or operation}`
//   executeLanguageModelCall                      → one LLM span per provider call, active while the call runs (so
//                                                    the HTTP request is inside it); a retried call is a failed span
//   its result (generate) / onLanguageModelCallEnd (stream) → the call's usage, read from the provider's raw usage
//   executeTool                                   → one `execute_tool {name}` span, active while the tool runs
//   onObjectStepStart … onObjectStepEnd            → generateObject / streamObject: one LLM span per provider call
//   onEmbedStart … onEmbedEnd                      → embed / embedMany: one `embeddings` span per provider call
//   (these two have no per-call wrapper, so their spans are not active while the request is sent)
// When the app also registered the AI SDK's own OpenTelemetry integration (@ai-sdk/otel `OpenTelemetry` or
// `LegacyOpenTelemetry`), that one already makes the run and tool spans: tokenledger then makes only its call
// spans, inside the AI SDK's call spans, and the processor counts each call once (ledger/duplicate-calls.ts).
// Events are tied together by the AI SDK's `callId`. AI SDK 6 (and Mastra's copy of it) calls global integrations
// too, with events that have no `callId` and no per-call hook: those are ignored here (ai-sdk/v6-spans.ts).
// Every callback swallows its own failures: nothing here may throw into the app; the app's errors pass untouched.
import { context, diag, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
} from '../../conventions/attributes.ts';
import { aiSdkProviderName } from '../../ledger/sources/ai-sdk.ts';
import { isRecord } from '../../ledger/usage.ts';
import { endSpanFailed, runInToolSpan, startToolSpan } from '../common/framework-spans.ts';
import { estimatedTokens, gateCall } from '../common/gate-call.ts';
import type { LlmCall } from '../common/llm-call.ts';
import { prefixHash } from '../common/prompt-shape.ts';
import { requestAttributes, serverAttributes, spanName } from '../common/request-attributes.ts';
import { startCall, type TracedMethodHost } from '../common/traced-method.ts';
import { aiSdkToolResultShare } from './prompt-share.ts';
import { finishReasonOf, recordAiSdkResult } from './call-result.ts';
import { aiSdkEmbeddingUsage } from './usage.ts';
import { coverProviderRequest } from '../common/provider-requests.ts';
import { OldestFirstMap } from '../../base/oldest-first.ts';

/** The operations that are runs: a loop of model calls and tool executions. */
const RUN_OPERATIONS = new Set(['ai.generateText', 'ai.streamText']);
/** The AI SDK's own OpenTelemetry integrations (@ai-sdk/otel), which make run and tool spans of their own. */
const AI_SDK_OTEL_INTEGRATIONS = new Set(['OpenTelemetry', 'LegacyOpenTelemetry']);
/** Operations held at once (a stream the app never reads holds one): past this the oldest is let go. */
const MAX_OPERATIONS = 10_000;

interface Operation {
  /** The run span, when the operation is a run tokenledger makes the span of. */
  run?: Span;
  /** The AI SDK's own OpenTelemetry integration traces the operation: its spans are the run and the tools. */
  tracedByAiSdk: boolean;
  /** Where its calls and tools are parented: the run span's context, else the context it started in. */
  context: Context;
  /** The streamed call whose usage has not arrived yet (calls of one operation are sequential). */
  open?: LlmCall;
  /** generateObject / streamObject: the step's call, between its start and end events. */
  objectStep?: LlmCall;
  /** embed / embedMany: the provider calls in flight, by the AI SDK's `embedCallId`. */
  embeds?: Map<string, LlmCall>;
}

type Execute<T> = () => PromiseLike<T>;
type Event = Record<string, unknown>;

export class AiSdkTelemetryIntegration {
  private readonly operations = new OldestFirstMap<string, Operation>();
  private readonly host: TracedMethodHost;

  constructor(host: TracedMethodHost) {
    this.host = host;
  }

  onStart(event: Event): void {
    guard('onStart', () => {
      const callId = callIdOf(event);
      if (callId === undefined || !this.host.isEnabled()) return;
      const parent = context.active();
      const operation: Operation = { context: parent, tracedByAiSdk: aiSdkOtelRegistered(this) };
      if (RUN_OPERATIONS.has(String(event.operationId)) && !operation.tracedByAiSdk) {
        const name = typeof event.functionId === 'string' && event.functionId ? event.functionId : String(event.operationId);
        const model = typeof event.modelId === 'string' ? event.modelId : undefined;
        operation.run = this.host.tracer.startSpan(
          `invoke_agent ${name}`,
          {
            kind: SpanKind.INTERNAL,
            attributes: {
              [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
              [ATTR_GEN_AI_AGENT_NAME]: name,
              [ATTR_GEN_AI_PROVIDER_NAME]: aiSdkProviderName(event.provider),
              ...(model ? { [ATTR_GEN_AI_REQUEST_MODEL]: model } : {}),
            },
          },
          parent,
        );
        operation.context = trace.setSpan(parent, operation.run);
      }
      if (this.operations.size >= MAX_OPERATIONS) this.operations.delete(this.operations.oldest()!);
      this.operations.set(callId, operation);
    });
  }

  /** One provider call: its span is active while the AI SDK calls the provider, and ends with the call's usage. */
  async executeLanguageModelCall<T>(options: Event & { execute: Execute<T> }): Promise<T> {
    const { execute } = options;
    const call = this.host.isEnabled() ? guard('executeLanguageModelCall', () => this.startModelCall(options)) : undefined;
    if (!call) return await execute();
    let result: T;
    try {
      result = await context.with(trace.setSpan(context.active(), call.span), execute);
    } catch (error) {
      call.fail(error);
      throw error;
    }
    guard('executeLanguageModelCall', () => this.afterModelCall(options, call, result));
    return result;
  }

  onLanguageModelCallEnd(event: Event): void {
    guard('onLanguageModelCallEnd', () => {
      const operation = this.operations.get(callIdOf(event) ?? '');
      const call = operation?.open;
      if (!operation || !call) return;
      operation.open = undefined;
      recordAiSdkResult(call, event.provider, { id: event.responseId, modelId: event.modelId, finishReason: event.finishReason, usage: event.usage });
      const request = isRecord(event.request) ? event.request : {};
      call.setAttributes(serverAttributes(request.url));
      call.end();
    });
  }

  /** A tool execution: its span is active while the tool runs, so a sub-agent inside it nests under it. */
  async executeTool<T>(options: Event & { execute: Execute<T> }): Promise<T> {
    const { execute } = options;
    const traced = this.operations.get(callIdOf(options) ?? '')?.tracedByAiSdk === true;
    const span = this.host.isEnabled() && !traced ? guard('executeTool', () => this.startTool(options)) : undefined;
    if (!span) return await execute();
    return await runInToolSpan(span, execute);
  }

  /**
   * generateObject / streamObject (deprecated in AI SDK 7, still shipped) call the model with no per-call hook: the
   * span runs from the step's start event to its end event, which carries the usage. It is not active while the
   * request is sent, so the request sensor's note of that request is taken off the span it fell on.
   */
  onObjectStepStart(event: Event): void {
    guard('onObjectStepStart', () => {
      const operation = this.operations.get(callIdOf(event) ?? '');
      if (!operation || !this.host.isEnabled()) return;
      operation.objectStep?.end('usage_missing');
      operation.objectStep = this.startSideCall(operation, 'chat', event.provider, event.modelId, event.promptMessages);
    });
  }

  onObjectStepEnd(event: Event): void {
    guard('onObjectStepEnd', () => {
      const operation = this.operations.get(callIdOf(event) ?? '');
      const call = operation?.objectStep;
      if (!operation || !call) return;
      operation.objectStep = undefined;
      const response = isRecord(event.response) ? event.response : {};
      recordAiSdkResult(call, event.provider, {
        id: response.id,
        modelId: response.modelId,
        finishReason: event.finishReason,
        providerMetadata: event.providerMetadata,
        body: response.body,
        usage: event.usage,
      });
      coverActiveRequest();
      call.end();
    });
  }

  /** embed / embedMany: one `embeddings` span per provider call (embedMany makes one per chunk of values). */
  onEmbedStart(event: Event): void {
    guard('onEmbedStart', () => {
      const operation = this.operations.get(callIdOf(event) ?? '');
      const embedCallId = typeof event.embedCallId === 'string' ? event.embedCallId : undefined;
      if (!operation || !embedCallId || !this.host.isEnabled()) return;
      (operation.embeds ??= new Map()).set(embedCallId, this.startSideCall(operation, 'embeddings', event.provider, event.modelId, undefined));
    });
  }

  onEmbedEnd(event: Event): void {
    guard('onEmbedEnd', () => {
      const operation = this.operations.get(callIdOf(event) ?? '');
      const embedCallId = typeof event.embedCallId === 'string' ? event.embedCallId : '';
      const call = operation?.embeds?.get(embedCallId);
      if (!operation || !call) return;
      operation.embeds!.delete(embedCallId);
      call.setUsage(aiSdkEmbeddingUsage(event.usage));
      coverActiveRequest();
      call.end();
    });
  }

  onStepError(event: Event): void {
    guard('onStepError', () => this.closeOpenCall(callIdOf(event), event.error));
  }

  onAbort(event: Event): void {
    guard('onAbort', () => this.finish(callIdOf(event), new AbortedError()));
  }

  onError(event: unknown): void {
    guard('onError', () => {
      if (isRecord(event)) this.finish(callIdOf(event), event.error ?? new Error('AI SDK operation failed'));
    });
  }

  onEnd(event: Event): void {
    guard('onEnd', () => this.finish(callIdOf(event), undefined));
  }

  private startModelCall(options: Event): LlmCall | undefined {
    const callId = callIdOf(options);
    if (callId === undefined) return undefined;
    const operation = this.operations.get(callId);
    const provider = aiSdkProviderName(options.provider);
    const model = options.modelId;
    const share = aiSdkToolResultShare(options.instructions, options.messages, options.tools);
    const attributes = requestAttributes({
      operation: 'chat',
      provider,
      model,
      maxTokens: options.maxOutputTokens,
      temperature: options.temperature,
      topP: options.topP,
      topK: options.topK,
      stopSequences: options.stopSequences,
      seed: options.seed,
      frequencyPenalty: options.frequencyPenalty,
      presencePenalty: options.presencePenalty,
      prefixHash: options.tools !== undefined || options.instructions !== undefined ? prefixHash(options.instructions, options.tools) : undefined,
    });
    // Inside the AI SDK's own call span when it traces the operation (its wrapper runs around this one).
    const parent = operation && !operation.tracedByAiSdk ? operation.context : context.active();
    const call = context.with(parent, () =>
      startCall(this.host, { spanName: spanName('chat', model), attributes, toolResultShare: share.totalChars > 0 ? share : undefined }),
    );
    const maxOutputTokens = typeof options.maxOutputTokens === 'number' ? options.maxOutputTokens : undefined;
    const gated = gateCall(call, () => ({
      planned: { provider, model: String(model ?? ''), estimatedInputTokens: estimatedTokens(share.totalChars), maxOutputTokens },
    }));
    if ('stop' in gated) throw new GuardStop(gated.stop);
    return call;
  }

  /** A call span of an operation with no per-call hook (object generation, embeddings), under the operation's context. */
  private startSideCall(operation: Operation, kind: 'chat' | 'embeddings', providerId: unknown, model: unknown, messages: unknown): LlmCall {
    const share = kind === 'chat' ? aiSdkToolResultShare(undefined, messages, undefined) : undefined;
    const attributes = requestAttributes({ operation: kind, provider: aiSdkProviderName(providerId), model });
    return context.with(operation.context, () =>
      startCall(this.host, { spanName: spanName(kind, model), attributes, toolResultShare: share && share.totalChars > 0 ? share : undefined }),
    );
  }

  /** A generated call's result carries its usage; a streamed call's arrives with onLanguageModelCallEnd. */
  private afterModelCall(options: Event, call: LlmCall, result: unknown): void {
    if (isRecord(result) && result.usage !== undefined) {
      const response = isRecord(result.response) ? result.response : {};
      const finishReason = finishReasonOf(result.finishReason);
      recordAiSdkResult(call, options.provider, {
        id: response.id,
        modelId: response.modelId,
        finishReason,
        providerMetadata: result.providerMetadata,
        body: response.body,
        usage: result.usage,
      });
      const request = isRecord(result.request) ? result.request : {};
      call.setAttributes(serverAttributes(request.url));
      call.end();
      return;
    }
    const operation = this.operations.get(callIdOf(options) ?? '');
    if (!operation) {
      call.end('usage_missing');
      return;
    }
    operation.open?.end('stream_incomplete');
    operation.open = call;
  }

  private startTool(options: Event): Span | undefined {
    const operation = this.operations.get(callIdOf(options) ?? '');
    const toolCall = isRecord(options.toolCall) ? options.toolCall : {};
    const name = typeof toolCall.toolName === 'string' ? toolCall.toolName : 'tool';
    const callId = typeof options.toolCallId === 'string' ? options.toolCallId : toolCall.toolCallId;
    return startToolSpan(this.host.tracer, name, toolCall.input, operation?.context ?? context.active(), callId);
  }

  private closeOpenCall(callId: string | undefined, error: unknown): void {
    const operation = this.operations.get(callId ?? '');
    const call = operation?.open;
    if (!operation || !call) return;
    operation.open = undefined;
    if (error !== undefined) call.fail(error, 'stream_incomplete');
    else call.end('stream_incomplete');
  }

  /** The operation ended (error: failed or aborted): an unfinished call ends without usage, the run span ends. */
  private finish(callId: string | undefined, error: unknown): void {
    if (callId === undefined) return;
    const operation = this.operations.get(callId);
    if (!operation) return;
    this.closeOpenCall(callId, error);
    for (const call of [operation.objectStep, ...(operation.embeds?.values() ?? [])]) {
      if (!call) continue;
      if (error !== undefined) call.fail(error);
      else call.end('usage_missing');
    }
    this.operations.delete(callId);
    const run = operation.run;
    if (!run) return;
    if (error !== undefined) endSpanFailed(run, error);
    else run.end();
  }
}

/** Thrown out of the hook to stop a call a guardrail refused; unwrapped before it reaches the AI SDK. */
class GuardStop {
  readonly error: Error;
  constructor(error: Error) {
    this.error = error;
  }
}

class AbortedError extends Error {
  override name = 'AbortError';
  constructor() {
    super('AI SDK operation aborted');
  }
}

/** Whether the app registered the AI SDK's own OpenTelemetry integration beside tokenledger's. */
function aiSdkOtelRegistered(self: AiSdkTelemetryIntegration): boolean {
  const list = (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS ?? [];
  return list.some((entry) => entry !== self && isRecord(entry) && AI_SDK_OTEL_INTEGRATIONS.has(entry.constructor?.name ?? ''));
}

/**
 * A provider request made while no span of tokenledger's was active (object generation and embeddings have no
 * per-call hook) was noted by the request sensor on the span that was: the call span just recorded covers it.
 */
function coverActiveRequest(): void {
  const span = trace.getSpan(context.active());
  if (span) coverProviderRequest(span);
}

function callIdOf(event: Event): string | undefined {
  return typeof event.callId === 'string' ? event.callId : undefined;
}

/** Runs one step of tokenledger's own work; its failure is reported through diag, except a guardrail's stop. */
function guard<T>(where: string, step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    if (error instanceof GuardStop) throw error.error;
    diag.error(`tokenledger: AI SDK integration failed in ${where}`, error);
    return undefined;
  }
}
