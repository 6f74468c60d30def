// Anthropic Messages (and beta Messages): request → span attributes, parsed message or event stream → usage.
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_TOKENLEDGER_REQUEST_BATCH,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
} from '../../conventions/attributes.ts';
import { bodyGate } from '../common/gate-call.ts';
import type { LlmCall } from '../common/llm-call.ts';
import { prefixHash, textLength, type ToolResultShare } from '../common/prompt-shape.ts';
import { requestAttributes, responseAttributes, spanName } from '../common/request-attributes.ts';
import { pricingTier } from '../../conventions/service-tier.ts';
import { clientBaseURL, isStainlessStream, observeStainlessStream } from '../common/stainless.ts';
import type { CallPlan } from '../common/traced-method.ts';
import { isRecord } from '../../ledger/usage.ts';
import { mergeStreamUsage, normalizeMessagesUsage } from './usage.ts';

export function planMessagesCall(resource: unknown, args: unknown[], captureContent: boolean): CallPlan | undefined {
  const body = args[0];
  if (!isRecord(body)) return undefined;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const attributes = requestAttributes({
    operation: 'chat',
    provider: clientProviderName(resource),
    model: body.model,
    maxTokens: body.max_tokens,
    temperature: body.temperature,
    topP: body.top_p,
    topK: body.top_k,
    stopSequences: body.stop_sequences,
    stream: body.stream === true,
    baseURL: clientBaseURL(resource),
    prefixHash: prefixHash(body.system, body.tools),
  });
  if (captureContent) {
    attributes.details[ATTR_GEN_AI_INPUT_MESSAGES] = JSON.stringify(messages);
    if (body.system !== undefined) attributes.details[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = JSON.stringify(body.system);
  }
  const toolResultShare = messagesToolResultShare(body.system, messages, body.tools);
  return {
    spanName: spanName('chat', body.model),
    attributes,
    toolResultShare,
    args,
    gate: () => bodyGate(clientProviderName(resource), args, 'max_tokens', toolResultShare.totalChars),
    observe: (value, call) => {
      if (isStainlessStream(value)) {
        observeMessagesStream(value, call, captureContent);
        return;
      }
      recordMessage(value, call, captureContent);
      call.end();
    },
  };
}

/**
 * `gen_ai.provider.name` of the client behind a resource: the platform that serves it. The SDK's clients say so
 * themselves (`_genAIProviderName`: `anthropic`, `aws.bedrock` for AnthropicBedrock, `gcp.vertex_ai` for
 * AnthropicVertex); an SDK too old to say is read from its base URL.
 */
export function clientProviderName(resource: unknown): string {
  const client = (resource as { _client?: { _genAIProviderName?: unknown } } | undefined)?._client;
  if (typeof client?._genAIProviderName === 'string' && client._genAIProviderName) return client._genAIProviderName;
  const baseURL = clientBaseURL(resource);
  if (typeof baseURL === 'string' && /^https:\/\/bedrock-runtime\.[a-z0-9-]+\.amazonaws\.com/i.test(baseURL)) return 'aws.bedrock';
  if (typeof baseURL === 'string' && /^https:\/\/([a-z0-9-]+-)?aiplatform(\.[a-z]+\.rep)?\.googleapis\.com/i.test(baseURL)) return 'gcp.vertex_ai';
  return 'anthropic';
}

/** Tool results are `tool_result` blocks in user messages. */
export function messagesToolResultShare(system: unknown, messages: unknown[], tools: unknown): ToolResultShare {
  let toolChars = 0;
  let totalChars = textLength(system) + textLength(tools);
  for (const message of messages) {
    totalChars += textLength(message);
    if (!isRecord(message) || !Array.isArray(message.content)) continue;
    for (const block of message.content) {
      if (isRecord(block) && block.type === 'tool_result') toolChars += textLength(block.content);
    }
  }
  return { toolChars, totalChars };
}

/** Response attributes and usage of a Message (also the final state of a stream). */
export function recordMessage(message: unknown, call: LlmCall, captureContent: boolean): void {
  if (!isRecord(message)) return;
  const attributes = responseAttributes(message.id, message.model, [message.stop_reason]);
  const usage = isRecord(message.usage) ? message.usage : undefined;
  // Anthropic reports the tier that served the call in `usage.service_tier`; `batch` means batch pricing.
  const tier = pricingTier(usage?.service_tier);
  if (tier) attributes[ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER] = tier;
  if (tier === 'batch') attributes[ATTR_TOKENLEDGER_REQUEST_BATCH] = true;
  if (captureContent && Array.isArray(message.content)) {
    attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] = JSON.stringify([{ role: 'assistant', content: message.content }]);
  }
  call.setAttributes(attributes);
  call.setUsage(normalizeMessagesUsage(message.usage));
}

function observeMessagesStream(stream: Parameters<typeof observeStainlessStream>[0], call: LlmCall, captureContent: boolean) {
  let message: Record<string, unknown> | undefined;
  let stopped = false;
  const text: string[] = [];
  observeStainlessStream<unknown>(stream, call, {
    onEvent(event) {
      if (!isRecord(event)) return;
      if (event.type === 'message_start' && isRecord(event.message)) {
        message = { ...event.message };
      } else if (event.type === 'message_delta' && message) {
        const delta = isRecord(event.delta) ? event.delta : {};
        if (typeof delta.stop_reason === 'string') message.stop_reason = delta.stop_reason;
        // message_delta usage is cumulative: it replaces, never adds to, what message_start said.
        message.usage = mergeStreamUsage(message.usage, event.usage);
      } else if (event.type === 'message_stop') {
        stopped = true;
      } else if (captureContent && event.type === 'content_block_delta' && isRecord(event.delta)) {
        if (typeof event.delta.text === 'string') text.push(event.delta.text);
      }
    },
    onEnd() {
      if (!message) return;
      const usage = message.usage;
      recordMessage({ ...message, usage: undefined, content: [{ type: 'text', text: text.join('') }] }, call, captureContent);
      // Before message_stop the output count is still growing: only the input side would be final.
      call.setUsage(stopped ? normalizeMessagesUsage(usage) : { tokens: {}, unknownReason: 'stream_incomplete' });
    },
  });
}
