// OpenAI Chat Completions: request → span attributes, and the parsed completion or stream → usage.
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_OPENAI_API_TYPE,
  ATTR_OPENAI_REQUEST_SERVICE_TIER,
} from '../../conventions/attributes.ts';
import { bodyGate } from '../common/gate-call.ts';
import type { LlmCall } from '../common/llm-call.ts';
import { prefixHash, textLength, type ToolResultShare } from '../common/prompt-shape.ts';
import { requestAttributes, spanName } from '../common/request-attributes.ts';
import { clientBaseURL, isStainlessStream, observeStainlessStream } from '../common/stainless.ts';
import type { CallPlan } from '../common/traced-method.ts';
import { isRecord } from '../../ledger/usage.ts';
import { deploymentAttributes, leadingSystemContent, openaiResponseAttributes } from './provider.ts';
import { normalizeChatUsage } from './usage.ts';

export interface ChatPlanOptions {
  captureContent: boolean;
  /** Ask for usage on streams that did not (and hide the extra usage chunk from the app). */
  injectStreamUsage: boolean;
  /** `gen_ai.provider.name` of the client (see provider-hosts.ts). */
  provider: string;
}

export function planChatCall(client: unknown, args: unknown[], options: ChatPlanOptions): CallPlan | undefined {
  const body = args[0];
  if (!isRecord(body)) return undefined;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const stream = body.stream === true;
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : undefined;
  const injectUsage = stream && options.injectStreamUsage && streamOptions?.include_usage !== true;
  const callArgs = injectUsage ? [{ ...body, stream_options: { ...streamOptions, include_usage: true } }, ...args.slice(1)] : args;

  const attributes = requestAttributes({
    operation: 'chat',
    provider: options.provider,
    model: body.model,
    maxTokens: body.max_completion_tokens ?? body.max_tokens,
    temperature: body.temperature,
    topP: body.top_p,
    stopSequences: body.stop,
    seed: body.seed,
    frequencyPenalty: body.frequency_penalty,
    presencePenalty: body.presence_penalty,
    stream,
    baseURL: clientBaseURL(client),
    prefixHash: prefixHash(leadingSystemContent(messages), body.tools),
  });
  const { details } = attributes;
  details[ATTR_OPENAI_API_TYPE] = 'chat_completions';
  Object.assign(details, deploymentAttributes(client, options.provider, body.model));
  if (typeof body.service_tier === 'string') details[ATTR_OPENAI_REQUEST_SERVICE_TIER] = body.service_tier;
  if (options.captureContent) details[ATTR_GEN_AI_INPUT_MESSAGES] = JSON.stringify(messages);

  const toolResultShare = chatToolResultShare(messages, body.tools);
  const maxTokensKey = body.max_completion_tokens === undefined && body.max_tokens !== undefined ? 'max_tokens' : 'max_completion_tokens';
  return {
    spanName: spanName('chat', body.model),
    attributes,
    toolResultShare,
    args: callArgs,
    gate: () => bodyGate(options.provider, callArgs, maxTokensKey, toolResultShare.totalChars),
    observe: (value, call) => {
      if (isStainlessStream(value)) {
        observeChatStream(value, call, {
          hideUsageChunk: injectUsage,
          usageRequested: injectUsage || streamOptions?.include_usage === true,
          captureContent: options.captureContent,
        });
        return;
      }
      recordCompletion(value, call, options.captureContent);
      call.end();
    },
  };
}

/** Tool results are `role: "tool"` messages (and the legacy `role: "function"`). */
export function chatToolResultShare(messages: unknown[], tools: unknown): ToolResultShare {
  let toolChars = 0;
  let totalChars = textLength(tools);
  for (const message of messages) {
    const length = textLength(message);
    totalChars += length;
    if (isRecord(message) && (message.role === 'tool' || message.role === 'function')) {
      toolChars += textLength(message.content);
    }
  }
  return { toolChars, totalChars };
}

export function recordCompletion(value: unknown, call: LlmCall, captureContent: boolean): void {
  if (!isRecord(value)) return;
  const choices = Array.isArray(value.choices) ? value.choices : [];
  const finishReasons = choices.map((choice) => (isRecord(choice) ? choice.finish_reason : undefined));
  call.setAttributes(openaiResponseAttributes(value.id, value.model, finishReasons, value.service_tier));
  if (captureContent) {
    const output = choices.map((choice) => (isRecord(choice) ? choice.message : undefined));
    call.setAttributes({ [ATTR_GEN_AI_OUTPUT_MESSAGES]: JSON.stringify(output) });
  }
  call.setUsage(normalizeChatUsage(value.usage));
}

interface ChatStreamOptions {
  hideUsageChunk: boolean;
  usageRequested: boolean;
  captureContent: boolean;
}

function observeChatStream(stream: Parameters<typeof observeStainlessStream>[0], call: LlmCall, options: ChatStreamOptions) {
  // Per-chunk work is a few field reads: no allocation except for the text kept when content capture is on.
  // The id and model come from the first chunk that carries them: Azure's first chunk is a content-filter
  // report with `id: ""` and `model: ""`, and the model that served the call is only in the chunks after it.
  let id: unknown;
  let model: unknown;
  let serviceTier: unknown;
  let usage: unknown;
  let finished = false;
  const finish: string[] = [];
  const text: string[] = [];
  observeStainlessStream<unknown>(stream, call, {
    onEvent(chunk) {
      if (!isRecord(chunk)) return;
      if (!id && typeof chunk.id === 'string' && chunk.id) id = chunk.id;
      if (!model && typeof chunk.model === 'string' && chunk.model) model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
      if (chunk.service_tier !== undefined) serviceTier = chunk.service_tier;
      const choices = chunk.choices;
      if (!Array.isArray(choices)) return;
      for (const choice of choices) {
        if (!isRecord(choice)) continue;
        if (typeof choice.finish_reason === 'string') {
          finish[Number(choice.index) || 0] = choice.finish_reason;
          finished = true;
        }
        if (options.captureContent && isRecord(choice.delta) && typeof choice.delta.content === 'string') {
          text.push(choice.delta.content);
        }
      }
      // The usage-only chunk we asked for on the app's behalf is not shown to it, whatever its `usage` holds: some
      // OpenAI-compatible servers answer include_usage with `usage: null`. It is the chunk with no choices and a
      // `usage` field that either carries usage or comes after a choice finished; an empty-choices chunk before
      // that (Azure's prompt-filter chunk) is the server's own and reaches the app.
      if (options.hideUsageChunk && choices.length === 0 && 'usage' in chunk && (isRecord(chunk.usage) || finished)) return false;
      return true;
    },
    onEnd(drained) {
      call.setAttributes(openaiResponseAttributes(id, model, finish, serviceTier));
      if (options.captureContent) {
        call.setAttributes({ [ATTR_GEN_AI_OUTPUT_MESSAGES]: JSON.stringify([{ role: 'assistant', content: text.join('') }]) });
      }
      if (usage) call.setUsage(normalizeChatUsage(usage));
      else if (drained) {
        call.setUsage({ tokens: {}, unknownReason: options.usageRequested ? 'usage_missing' : 'stream_usage_not_requested' });
      }
    },
  });
}
