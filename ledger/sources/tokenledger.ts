// tokenledger's own spans. In process their figures are handed over with the span (ledger/handover.ts) and never
// read back; in collector mode and the cost lab they come from another process and are read from the attributes
// tokenledger wrote (the GenAI names plus tokenledger.usage.* for the TTL split and tool results).
import { usageFromAttributes } from '../usage-attributes.ts';
import { genAiKind, isLlmCall, type SourceConvention } from './source.ts';

export const TOKENLEDGER_SCOPE_PREFIX = 'tokenledger';

export const tokenledgerSource: SourceConvention = {
  id: 'tokenledger',
  owns: (_attributes, scope) => scope.startsWith(TOKENLEDGER_SCOPE_PREFIX),
  exclusive: true,
  kind: genAiKind,
  usage: (attributes) => (isLlmCall(attributes) ? { usage: usageFromAttributes(attributes), describing: {} } : undefined),
};
