// Which spans are LLM calls (and so are normalised, priced and counted as steps): a GenAI inference operation
// with a provider. Agent and tool spans are not.
import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_PROVIDER_NAME } from '../conventions/attributes.ts';

export const LLM_OPERATIONS = new Set(['chat', 'generate_content', 'text_completion', 'embeddings']);

export function isLlmCall(attributes: Attributes): boolean {
  const operation = attributes[ATTR_GEN_AI_OPERATION_NAME];
  return typeof operation === 'string' && LLM_OPERATIONS.has(operation) && attributes[ATTR_GEN_AI_PROVIDER_NAME] !== undefined;
}
