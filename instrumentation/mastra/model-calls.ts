// One LLM span per provider call a Mastra agent makes. Mastra's loop calls the AI SDK provider model's own
// `doGenerate` / `doStream` (through its adapter classes, or its model router for `'openai/gpt-5.5'` strings), past
// the AI SDK's `generateText`: the model object the agent resolved gets its two methods wrapped, on that instance
// only (Mastra makes a fresh adapter per resolution). The provider's result carries the call's usage in the
// LanguageModelV2/V3/V4 shape with the provider's raw usage beside it, read by the AI SDK normaliser
// (ai-sdk/usage.ts); a stream's arrives in its `finish` part, read as the part passes through unchanged.
import type { Transformer } from 'node:stream/web';
import { diag } from '@opentelemetry/api';
import { aiSdkProviderName } from '../../ledger/sources/ai-sdk.ts';
import { isRecord } from '../../ledger/usage.ts';
import { aiSdkToolResultShare } from '../ai-sdk/prompt-share.ts';
import { estimatedTokens, gateCall } from '../common/gate-call.ts';
import type { LlmCall } from '../common/llm-call.ts';
import { prefixHash } from '../common/prompt-shape.ts';
import { requestAttributes, spanName } from '../common/request-attributes.ts';
import { callInSpan, startCall, type TracedMethodHost } from '../common/traced-method.ts';
import { finishReasonOf, recordAiSdkResult } from '../ai-sdk/call-result.ts';

const TRACED = Symbol.for('tokenledger.mastra-model');
type Method = (this: unknown, options: unknown) => Promise<unknown>;
type Model = Record<string | symbol, unknown> & { provider?: unknown; modelId?: unknown };

/** Wraps the model's `doGenerate` and `doStream` on this instance (once); anything else is left as it is. */
export function traceModel(host: TracedMethodHost, model: unknown): void {
  if (!isRecord(model) || (model as Model)[TRACED]) return;
  const target = model as Model;
  const generate = target.doGenerate;
  const stream = target.doStream;
  if (typeof generate !== 'function' || typeof stream !== 'function') return;
  Object.defineProperty(target, TRACED, { value: true });
  define(target, 'doGenerate', function (this: unknown, options: unknown) {
    return traced(host, target, options, () => (generate as Method).call(this, options), false);
  });
  define(target, 'doStream', function (this: unknown, options: unknown) {
    return traced(host, target, options, () => (stream as Method).call(this, options), true);
  });
}

function define(model: Model, name: string, value: Method): void {
  Object.defineProperty(model, name, { value, writable: true, configurable: true, enumerable: false });
}

async function traced(host: TracedMethodHost, model: Model, options: unknown, original: () => Promise<unknown>, streamed: boolean): Promise<unknown> {
  const call = host.isEnabled() ? start(host, model, options, streamed) : undefined;
  if (!call) return original();
  let result: unknown;
  try {
    result = await callInSpan(call, original);
  } catch (error) {
    call.fail(error);
    throw error;
  }
  try {
    if (streamed) return observeStream(call, model, result);
    finishGenerated(call, model, result);
  } catch (error) {
    diag.error('tokenledger: could not read a Mastra model call', error);
    call.end();
  }
  return result;
}

/** The call's span, under the active span (the agent's run or tool); a guardrail's stop fails it and throws. */
function start(host: TracedMethodHost, model: Model, options: unknown, streamed: boolean): LlmCall | undefined {
  let call: LlmCall;
  let stop: Error | undefined;
  const request = isRecord(options) ? options : {};
  const provider = aiSdkProviderName(model.provider);
  try {
    const prompt = Array.isArray(request.prompt) ? request.prompt : [];
    const system = prompt.filter((message) => isRecord(message) && message.role === 'system');
    const share = aiSdkToolResultShare(undefined, prompt, request.tools);
    const attributes = requestAttributes({
      operation: 'chat',
      provider,
      model: model.modelId,
      maxTokens: request.maxOutputTokens,
      temperature: request.temperature,
      topP: request.topP,
      topK: request.topK,
      stopSequences: request.stopSequences,
      seed: request.seed,
      frequencyPenalty: request.frequencyPenalty,
      presencePenalty: request.presencePenalty,
      stream: streamed,
      prefixHash: system.length > 0 || request.tools !== undefined ? prefixHash(system, request.tools) : undefined,
    });
    call = startCall(host, { spanName: spanName('chat', model.modelId), attributes, toolResultShare: share.totalChars > 0 ? share : undefined });
    const maxOutputTokens = typeof request.maxOutputTokens === 'number' ? request.maxOutputTokens : undefined;
    const gated = gateCall(call, () => ({
      planned: { provider, model: String(model.modelId ?? ''), estimatedInputTokens: estimatedTokens(share.totalChars), maxOutputTokens },
    }));
    stop = 'stop' in gated ? gated.stop : undefined;
  } catch (error) {
    diag.error('tokenledger: could not start a Mastra model call span', error);
    return call!;
  }
  if (stop) throw stop;
  return call;
}

function finishGenerated(call: LlmCall, model: Model, result: unknown): void {
  if (!isRecord(result)) {
    call.end('usage_missing');
    return;
  }
  const response = isRecord(result.response) ? result.response : {};
  recordAiSdkResult(call, model.provider, {
    id: response.id,
    modelId: response.modelId,
    finishReason: finishReasonOf(result.finishReason),
    providerMetadata: result.providerMetadata,
    body: response.body,
    usage: result.usage,
  });
  call.end();
}

/** The result with its stream read as it passes: response metadata, then the usage of its `finish` part. */
function observeStream(call: LlmCall, model: Model, result: unknown): unknown {
  if (!isRecord(result) || !(result.stream instanceof ReadableStream)) {
    call.end('usage_missing');
    return result;
  }
  let responseId: unknown;
  let responseModel: unknown;
  let finished = false;
  // `cancel` (the app or Mastra gave up on the stream) is called by Node 22; its types do not list it yet.
  const transformer: Transformer<unknown, unknown> & { cancel(reason: unknown): void } = {
    transform(part, controller) {
      try {
        if (isRecord(part)) {
          if (part.type === 'response-metadata') {
            responseId = part.id ?? responseId;
            responseModel = part.modelId ?? responseModel;
          } else if (part.type === 'finish') {
            finished = true;
            const finishReason = finishReasonOf(part.finishReason);
            recordAiSdkResult(call, model.provider, {
              id: responseId,
              modelId: responseModel,
              finishReason,
              providerMetadata: part.providerMetadata,
              usage: part.usage,
            });
          } else if (part.type === 'error' && !finished) {
            call.fail(part.error, 'stream_incomplete');
          } else if (part.type !== 'stream-start') {
            call.chunk();
          }
        }
      } catch (error) {
        diag.error('tokenledger: could not read a Mastra model stream part', error);
      }
      controller.enqueue(part);
    },
    flush() {
      call.end('stream_incomplete');
    },
    cancel(reason) {
      if (reason === undefined) call.end('stream_incomplete');
      else call.fail(reason, 'stream_incomplete');
    },
  };
  const observer = new TransformStream<unknown, unknown>(transformer);
  // In place: the adapter's fresh result object keeps its other properties (Mastra attaches non-enumerable ones).
  result.stream = result.stream.pipeThrough(observer);
  return result;
}
