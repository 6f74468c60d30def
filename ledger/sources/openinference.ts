// OpenInference (Arize Phoenix's instrumentations): `openinference.span.kind` says what a span is; an LLM span's
// usage is under `llm.token_count.*` (prompt = all input, its cache details subsets of it; completion = all output,
// reasoning a subset), its provider and model under `llm.provider` / `llm.system` and `llm.model_name`.
// Its TOOL spans are not counted as tool executions: tokenledger's own framework spans count those.
import type { Attributes } from '@opentelemetry/api';
import { stringAttribute } from '../attribute-values.ts';
import { OI_CACHE_READ, OI_CACHE_WRITE, OI_COMPLETION, OI_KIND, OI_MODEL, OI_PROMPT, OI_PROVIDER, OI_REASONING, OI_SYSTEM } from '../foreign-names.ts';
import { CountReader } from '../usage.ts';
import { describing, genAiKind, providerName, type SourceConvention, type SpanUsage } from './source.ts';

export const openInferenceSource: SourceConvention = {
  id: 'openinference',
  owns: (attributes) => attributes[OI_KIND] !== undefined || attributes[OI_PROMPT] !== undefined,
  // A span that carries GenAI usage rather than OpenInference's is read as GenAI.
  exclusive: false,
  kind: (attributes) => {
    if (attributes[OI_KIND] === 'LLM') return 'call';
    if (attributes[OI_KIND] === 'AGENT') return 'agent';
    return genAiKind(attributes);
  },
  usage: openInferenceUsage,
};

function openInferenceUsage(attributes: Attributes): SpanUsage | undefined {
  if (attributes[OI_PROMPT] === undefined && attributes[OI_KIND] !== 'LLM') return undefined;
  const read = new CountReader();
  const provider = stringAttribute(attributes[OI_PROVIDER]) ?? stringAttribute(attributes[OI_SYSTEM]);
  const usage = read.finish({
    tokens: {
      input: read.known(attributes[OI_PROMPT]),
      output: read.known(attributes[OI_COMPLETION]),
      cache_read: read.zeroIfAbsent(attributes[OI_CACHE_READ]),
      cache_write: read.zeroIfAbsent(attributes[OI_CACHE_WRITE]),
      reasoning: read.known(attributes[OI_REASONING]),
    },
  });
  return {
    usage,
    convention: 'openinference',
    describing: describing(attributes, provider ? providerName(provider) : undefined, stringAttribute(attributes[OI_MODEL])),
  };
}
