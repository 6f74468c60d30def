// OpenAI embeddings: input tokens only.
import { ATTR_GEN_AI_RESPONSE_MODEL, ATTR_OPENAI_API_TYPE } from '../../conventions/attributes.ts';
import { requestAttributes, spanName } from '../common/request-attributes.ts';
import type { CallPlan } from '../common/traced-method.ts';
import { isRecord } from '../../ledger/usage.ts';
import { clientBaseURL } from '../common/stainless.ts';
import { normalizeEmbeddingsUsage } from './usage.ts';

export function planEmbeddingsCall(client: unknown, args: unknown[], provider: string): CallPlan | undefined {
  const body = args[0];
  if (!isRecord(body)) return undefined;
  const attributes = requestAttributes({
    operation: 'embeddings',
    provider,
    model: body.model,
    baseURL: clientBaseURL(client),
  });
  attributes.details[ATTR_OPENAI_API_TYPE] = 'embeddings';
  return {
    spanName: spanName('embeddings', body.model),
    attributes,
    args,
    observe: (value, call) => {
      if (isRecord(value) && typeof value.model === 'string') {
        call.setAttributes({ [ATTR_GEN_AI_RESPONSE_MODEL]: value.model });
      }
      call.setUsage(normalizeEmbeddingsUsage(isRecord(value) ? value.usage : undefined));
      call.end();
    },
  };
}
