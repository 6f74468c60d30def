// OpenAI Responses API: request → span attributes, and the parsed response or event stream → usage.
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
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
import { normalizeResponsesUsage } from './usage.ts';

// Stream events that carry the final response object, usage included.
const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export function planResponsesCall(client: unknown, args: unknown[], captureContent: boolean, provider: string): CallPlan | undefined {
  const body = args[0];
  if (!isRecord(body)) return undefined;
  const input = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : [];
  const attributes = requestAttributes({
    operation: 'chat',
    provider,
    model: body.model,
    maxTokens: body.max_output_tokens,
    temperature: body.temperature,
    topP: body.top_p,
    stream: body.stream === true,
    baseURL: clientBaseURL(client),
    prefixHash: prefixHash(body.instructions, leadingSystemContent(input), body.tools),
  });
  const { details } = attributes;
  details[ATTR_OPENAI_API_TYPE] = 'responses';
  Object.assign(details, deploymentAttributes(client, provider, body.model));
  if (typeof body.service_tier === 'string') details[ATTR_OPENAI_REQUEST_SERVICE_TIER] = body.service_tier;
  if (captureContent) {
    details[ATTR_GEN_AI_INPUT_MESSAGES] = JSON.stringify(input);
    if (body.instructions !== undefined) details[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = JSON.stringify(body.instructions);
  }
  const toolResultShare = responsesToolResultShare(input, body.instructions, body.tools);
  return {
    spanName: spanName('chat', body.model),
    attributes,
    toolResultShare,
    args,
    gate: () => bodyGate(provider, args, 'max_output_tokens', toolResultShare.totalChars),
    observe: (value, call) => {
      if (isStainlessStream(value)) {
        observeResponsesStream(value, call, captureContent);
        return;
      }
      recordResponse(value, call, captureContent);
      call.end();
    },
  };
}

/** Tool results are the `*_output` input items (`function_call_output`, `custom_tool_call_output`, …). */
export function responsesToolResultShare(input: unknown[], instructions: unknown, tools: unknown): ToolResultShare {
  let toolChars = 0;
  let totalChars = textLength(instructions) + textLength(tools);
  for (const item of input) {
    totalChars += textLength(item);
    if (isRecord(item) && typeof item.type === 'string' && item.type.endsWith('_output')) {
      toolChars += textLength(item.output);
    }
  }
  return { toolChars, totalChars };
}

export function recordResponse(value: unknown, call: LlmCall, captureContent: boolean): void {
  if (!isRecord(value)) return;
  const incomplete = isRecord(value.incomplete_details) ? value.incomplete_details.reason : undefined;
  const finish = typeof incomplete === 'string' ? incomplete : value.status;
  const attributes = openaiResponseAttributes(value.id, value.model, [finish], value.service_tier);
  if (captureContent) attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] = JSON.stringify(value.output ?? []);
  call.setAttributes(attributes);
  call.setUsage(normalizeResponsesUsage(value.usage));
}

function observeResponsesStream(stream: Parameters<typeof observeStainlessStream>[0], call: LlmCall, captureContent: boolean) {
  let final: unknown;
  let created: unknown;
  observeStainlessStream<unknown>(stream, call, {
    onEvent(event) {
      if (!isRecord(event)) return;
      if (event.type === 'response.created') created = event.response;
      else if (typeof event.type === 'string' && FINAL_EVENTS.has(event.type)) final = event.response;
    },
    onEnd(drained) {
      if (final !== undefined) recordResponse(final, call, captureContent);
      else if (created !== undefined) recordResponse({ ...(created as object), usage: undefined }, call, false);
      if (final === undefined && drained) call.setUsage({ tokens: {}, unknownReason: 'usage_missing' });
      if (final === undefined && !drained) call.setUsage({ tokens: {}, unknownReason: 'stream_incomplete' });
    },
  });
}
