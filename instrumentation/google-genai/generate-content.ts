// Gemini generateContent / generateContentStream: request → span attributes, response or chunks → usage.
// Works on the parameters the SDK's internal methods receive: `{ model, contents, config }`.
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
} from '../../conventions/attributes.ts';
import { pricingTier } from '../../conventions/service-tier.ts';
import { estimatedTokens, type GatedRequest } from '../common/gate-call.ts';
import type { LlmCall } from '../common/llm-call.ts';
import { prefixHash, textLength, type ToolResultShare } from '../common/prompt-shape.ts';
import { requestAttributes, responseAttributes, spanName, type RequestAttributes } from '../common/request-attributes.ts';
import { isRecord } from '../../ledger/usage.ts';
import { normalizeGenerateContentUsage } from './usage.ts';

export interface GeminiRequest {
  spanName: string;
  attributes: RequestAttributes;
  toolResultShare: ToolResultShare;
  /** The tier the request asked for: the Gemini API reports none in its response. */
  requestedTier?: string;
  gate: () => GatedRequest;
}

export function describeRequest(params: unknown, provider: string, baseURL: unknown, captureContent: boolean, stream: boolean): GeminiRequest | undefined {
  if (!isRecord(params)) return undefined;
  const config = isRecord(params.config) ? params.config : {};
  const model = typeof params.model === 'string' ? params.model.replace(/^models\//, '') : params.model;
  const attributes = requestAttributes({
    operation: 'generate_content',
    provider,
    model,
    maxTokens: config.maxOutputTokens,
    temperature: config.temperature,
    topP: config.topP,
    topK: config.topK,
    stopSequences: config.stopSequences,
    seed: config.seed,
    frequencyPenalty: config.frequencyPenalty,
    presencePenalty: config.presencePenalty,
    stream,
    baseURL,
    prefixHash: prefixHash(config.systemInstruction, config.tools),
  });
  if (captureContent) {
    attributes.details[ATTR_GEN_AI_INPUT_MESSAGES] = JSON.stringify(params.contents ?? []);
    if (config.systemInstruction !== undefined) {
      attributes.details[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = JSON.stringify(config.systemInstruction);
    }
  }
  const requestedTier = pricingTier(config.serviceTier);
  const toolResultShare = contentsToolResultShare(params.contents, config.systemInstruction, config.tools);
  return {
    spanName: spanName('generate_content', model),
    attributes,
    toolResultShare,
    requestedTier,
    gate: () => ({
      planned: {
        provider,
        model: String(model ?? ''),
        estimatedInputTokens: estimatedTokens(toolResultShare.totalChars),
        maxOutputTokens: typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined,
      },
      withMaxTokens: (cap) => [{ ...params, config: { ...config, maxOutputTokens: cap } }],
    }),
  };
}

/** Tool results are `functionResponse` parts (client-side tools); `contents` may be a string, a Part or Contents. */
export function contentsToolResultShare(contents: unknown, systemInstruction: unknown, tools: unknown): ToolResultShare {
  let toolChars = 0;
  const totalChars = textLength(contents) + textLength(systemInstruction) + textLength(tools);
  const items = Array.isArray(contents) ? contents : [contents];
  for (const item of items) {
    const parts = isRecord(item) && Array.isArray(item.parts) ? item.parts : [item];
    for (const part of parts) {
      if (isRecord(part) && isRecord(part.functionResponse)) toolChars += textLength(part.functionResponse.response);
    }
  }
  return { toolChars, totalChars };
}

export function recordResponse(response: unknown, call: LlmCall, request: GeminiRequest, captureContent: boolean): void {
  if (!isRecord(response)) return;
  const candidates = Array.isArray(response.candidates) ? response.candidates : [];
  const finishReasons = candidates.map((candidate) => (isRecord(candidate) ? candidate.finishReason : undefined));
  const attributes = responseAttributes(response.responseId, response.modelVersion, finishReasons);
  const usage = isRecord(response.usageMetadata) ? response.usageMetadata : undefined;
  // Vertex reports the traffic type that served the call; the Gemini API reports none, so the requested tier stands.
  const tier = pricingTier(usage?.trafficType) ?? request.requestedTier;
  if (tier) attributes[ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER] = tier;
  if (captureContent) {
    attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] = JSON.stringify(candidates.map((candidate) => (isRecord(candidate) ? candidate.content : undefined)));
  }
  call.setAttributes(attributes);
  call.setUsage(normalizeGenerateContentUsage(response.usageMetadata));
}
