// Bedrock Runtime commands: a command's input → span attributes, and its output (or event stream) → usage.
// Converse and ConverseStream speak one shape for every model family; InvokeModel and its stream carry each
// family's own JSON (see usage.ts).
import { ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER } from '../../conventions/attributes.ts';
import { pricingTier } from '../../conventions/service-tier.ts';
import { isRecord } from '../../ledger/usage.ts';
import { mergeStreamUsage, normalizeMessagesUsage } from '../anthropic/usage.ts';
import { estimatedTokens, type GatedRequest } from '../common/gate-call.ts';
import type { LlmCall } from '../common/llm-call.ts';
import { observeEvents } from '../common/observe-stream.ts';
import { prefixHash, textLength, type ToolResultShare } from '../common/prompt-shape.ts';
import { requestAttributes, responseAttributes, spanName, type RequestAttributes } from '../common/request-attributes.ts';
import { modelFamily, normalizeConverseUsage, normalizeInvocationMetrics, normalizeInvokeUsage, type ModelFamily } from './usage.ts';

export type BedrockOperation = 'Converse' | 'ConverseStream' | 'InvokeModel' | 'InvokeModelWithResponseStream';
export const BEDROCK_OPERATIONS = new Set<string>(['Converse', 'ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream']);

export interface BedrockPlan {
  spanName: string;
  attributes: RequestAttributes;
  toolResultShare: ToolResultShare;
  gate: () => GatedRequest;
  /** Reads the command's output; a streamed output's stream is replaced by an observed one, which ends the call. */
  observe(output: unknown, call: LlmCall): void;
}

type Command = { input?: unknown; constructor: new (input: unknown) => unknown };

export function planBedrockCommand(operation: BedrockOperation, command: Command): BedrockPlan | undefined {
  const input = command.input;
  if (!isRecord(input) || typeof input.modelId !== 'string') return undefined;
  const family = modelFamily(input.modelId);
  const converse = operation === 'Converse' || operation === 'ConverseStream';
  const body = converse ? undefined : parseBody(input.body);
  const config = isRecord(input.inferenceConfig) ? input.inferenceConfig : {};
  const tools = isRecord(input.toolConfig) ? input.toolConfig.tools : body?.tools;
  const messages = Array.isArray(input.messages) ? input.messages : Array.isArray(body?.messages) ? body.messages : [];
  const system = converse ? input.system : body?.system;
  const attributes = requestAttributes({
    operation: 'chat',
    provider: 'aws.bedrock',
    model: input.modelId,
    maxTokens: converse ? config.maxTokens : (body?.max_tokens ?? body?.max_gen_len),
    temperature: converse ? config.temperature : body?.temperature,
    topP: converse ? config.topP : body?.top_p,
    stopSequences: converse ? config.stopSequences : body?.stop_sequences,
    stream: operation === 'ConverseStream' || operation === 'InvokeModelWithResponseStream',
    prefixHash: prefixHash(system, tools),
  });
  const requestedTier = isRecord(input.serviceTier) ? pricingTier(input.serviceTier.type) : pricingTier(input.serviceTier);
  if (requestedTier) attributes.details[ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER] = requestedTier;
  const toolResultShare = messagesToolResultShare(system, messages, tools);
  return {
    spanName: spanName('chat', input.modelId),
    attributes,
    toolResultShare,
    gate: () => converseGate(command, input, config, toolResultShare.totalChars),
    observe(output, call) {
      if (!isRecord(output)) {
        call.end();
        return;
      }
      if (operation === 'ConverseStream') observeConverseStream(output, call);
      else if (operation === 'InvokeModelWithResponseStream') observeInvokeStream(output, family, call);
      else {
        try {
          if (operation === 'Converse') recordConverse(output, call);
          else recordInvoke(output, family, call);
        } finally {
          call.end();
        }
      }
    },
  };
}

/** An InvokeModel body as sent: a JSON string or its UTF-8 bytes. */
function parseBody(body: unknown): Record<string, unknown> | undefined {
  try {
    const text =
      typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') : undefined;
    const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Tool results are Converse `toolResult` blocks and Anthropic `tool_result` blocks in the messages. */
function messagesToolResultShare(system: unknown, messages: unknown[], tools: unknown): ToolResultShare {
  let toolChars = 0;
  let totalChars = textLength(system) + textLength(tools);
  for (const message of messages) {
    totalChars += textLength(message);
    if (!isRecord(message) || !Array.isArray(message.content)) continue;
    for (const block of message.content) {
      if (!isRecord(block)) continue;
      if (isRecord(block.toolResult)) toolChars += textLength(block.toolResult.content);
      else if (block.type === 'tool_result') toolChars += textLength(block.content);
    }
  }
  return { toolChars, totalChars };
}

/** Converse's output limit is `inferenceConfig.maxTokens`; a cap makes a new command of the same class. */
function converseGate(command: Command, input: Record<string, unknown>, config: Record<string, unknown>, promptChars: number): GatedRequest {
  const limit = config.maxTokens;
  return {
    planned: {
      provider: 'aws.bedrock',
      model: String(input.modelId),
      estimatedInputTokens: estimatedTokens(promptChars),
      maxOutputTokens: typeof limit === 'number' && Number.isFinite(limit) ? limit : undefined,
    },
    withMaxTokens: (cap) => [new command.constructor({ ...input, inferenceConfig: { ...config, maxTokens: cap } })],
  };
}

function tierAttributes(serviceTier: unknown): Record<string, string> {
  const tier = isRecord(serviceTier) ? pricingTier(serviceTier.type) : pricingTier(serviceTier);
  return tier ? { [ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER]: tier } : {};
}

function recordConverse(output: Record<string, unknown>, call: LlmCall): void {
  call.setAttributes({ ...responseAttributes(undefined, undefined, [output.stopReason]), ...tierAttributes(output.serviceTier) });
  call.setUsage(normalizeConverseUsage(output.usage));
}

function recordInvoke(output: Record<string, unknown>, family: ModelFamily, call: LlmCall): void {
  const body = parseBody(output.body);
  call.setAttributes(tierAttributes(output.serviceTier));
  if (body) call.setAttributes(invokeResponseAttributes(body));
  call.setUsage(body ? normalizeInvokeUsage(family, body) : { tokens: {}, unknownReason: 'usage_missing' });
}

/** Anthropic bodies name their id, model and stop reason; Llama and Mistral only a stop reason. */
function invokeResponseAttributes(body: Record<string, unknown>) {
  const choices = Array.isArray(body.choices) ? body.choices : Array.isArray(body.outputs) ? body.outputs : [];
  const reasons = [
    body.stop_reason ?? body.stopReason,
    ...choices.map((choice) => (isRecord(choice) ? (choice.finish_reason ?? choice.stop_reason) : undefined)),
  ];
  return responseAttributes(body.id, body.model, reasons);
}

type EventSource = { [Symbol.asyncIterator](): AsyncIterator<unknown> };

function isEventSource(value: unknown): value is EventSource {
  return typeof value === 'object' && value !== null && typeof (value as EventSource)[Symbol.asyncIterator] === 'function';
}

/** ConverseStream: usage only in the last event, `metadata`; `messageStop` says why it stopped. */
function observeConverseStream(output: Record<string, unknown>, call: LlmCall): void {
  const source = output.stream;
  if (!isEventSource(source)) {
    call.end();
    return;
  }
  let metadata: Record<string, unknown> | undefined;
  let stopReason: unknown;
  output.stream = observed(source, call, {
    onEvent(event) {
      if (!isRecord(event)) return;
      if (isRecord(event.messageStop)) stopReason = event.messageStop.stopReason;
      else if (isRecord(event.metadata)) metadata = event.metadata;
    },
    onEnd() {
      call.setAttributes(responseAttributes(undefined, undefined, [stopReason]));
      if (!metadata) return;
      call.setAttributes(tierAttributes(metadata.serviceTier));
      call.setUsage(normalizeConverseUsage(metadata.usage));
    },
  });
}

/**
 * InvokeModelWithResponseStream: each chunk's bytes are the family's own event JSON. Anthropic's events carry the
 * usage as its own API does (message_start, then cumulative message_delta); every family's last chunk carries
 * `amazon-bedrock-invocationMetrics`.
 */
function observeInvokeStream(output: Record<string, unknown>, family: ModelFamily, call: LlmCall): void {
  const source = output.body;
  if (!isEventSource(source)) {
    call.end();
    return;
  }
  let message: Record<string, unknown> | undefined;
  let metrics: unknown;
  let stopped = false;
  const stopReasons: unknown[] = [];
  output.body = observed(source, call, {
    onEvent(event) {
      if (!isRecord(event) || !isRecord(event.chunk)) return;
      const chunk = parseBody(event.chunk.bytes);
      if (!chunk) return;
      if (chunk['amazon-bedrock-invocationMetrics'] !== undefined) metrics = chunk['amazon-bedrock-invocationMetrics'];
      if (chunk.type === 'message_start' && isRecord(chunk.message)) message = { ...chunk.message };
      else if (chunk.type === 'message_delta' && message) {
        if (isRecord(chunk.delta)) stopReasons.push(chunk.delta.stop_reason);
        message.usage = mergeStreamUsage(message.usage, chunk.usage);
      } else if (chunk.type === 'message_stop') stopped = true;
      else if (chunk.stop_reason !== undefined && chunk.stop_reason !== null) stopReasons.push(chunk.stop_reason);
    },
    onEnd() {
      call.setAttributes(responseAttributes(message?.id, message?.model, stopReasons));
      if (family === 'anthropic' && message && stopped) call.setUsage(normalizeMessagesUsage(message.usage));
      else if (metrics !== undefined) call.setUsage(normalizeInvocationMetrics(metrics));
    },
  });
}

/** An async iterable that observes the SDK's event stream as the app reads it. */
function observed(source: EventSource, call: LlmCall, observer: { onEvent(event: unknown): void; onEnd(): void }): EventSource {
  return {
    [Symbol.asyncIterator]: () =>
      observeEvents(source[Symbol.asyncIterator](), call, { onEvent: (event) => observer.onEvent(event), onEnd: () => observer.onEnd() }),
  };
}
