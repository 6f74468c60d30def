// The registry of source conventions: every span is classified once, at its start, by the first source that owns
// it (by its instrumentation scope or the attributes it starts with), and at its end its usage is read by the
// sources that own it, in order, so the one validity rule, pricing and the rollup treat every source alike.
//
// | source (module)                   | owns a span that                               | what it reads                               |
// |-----------------------------------|------------------------------------------------|---------------------------------------------|
// | tokenledger (tokenledger.ts)      | has a `tokenledger*` scope (another process)   | GenAI names + tokenledger.usage.*           |
// | Anthropic SDK (anthropic-sdk.ts)  | has the SDK's own scope (`com.anthropic.sdk.typescript[.bedrock/.vertex]`) | GenAI names, TTL split under anthropic.usage.* |
// | Vercel AI SDK (ai-sdk.ts)         | has `ai.operationId`                           | ai.usage.*, provider metadata               |
// | OpenInference (openinference.ts)  | has `openinference.span.kind` or llm.token_count.prompt | llm.token_count.*, else as GenAI    |
// | GenAI conventions (genai.ts)      | anything else                                  | current and legacy GenAI names, OpenLLMetry, OpenLIT, Mastra |
//
// A new convention is a module beside these and a line in SOURCES. Pure: attributes in, classification or usage out.
import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_AGENT_NAME, ATTR_GEN_AI_RESPONSE_ID, ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION } from '../../conventions/attributes.ts';
import { stringAttribute } from '../attribute-values.ts';
import { writeUsageAttributes } from '../usage-attributes.ts';
import type { UsageFigures } from '../usage-figures.ts';
import { aiSdkSource } from './ai-sdk.ts';
import { anthropicSdkSource } from './anthropic-sdk.ts';
import { genAiSource } from './genai.ts';
import { openInferenceSource } from './openinference.ts';
import type { SourceConvention, SpanKind, SpanUsage } from './source.ts';
import { tokenledgerSource } from './tokenledger.ts';

export const SOURCES: readonly SourceConvention[] = [tokenledgerSource, anthropicSdkSource, aiSdkSource, openInferenceSource, genAiSource];

/** What a span is, decided once at its start and kept for its life. */
export interface SpanClass {
  kind: SpanKind;
  /** The source that owns it. */
  source: SourceConvention;
  /** The name of the run it starts, if it starts one: the agent's, else the span's. */
  runName: string;
}

/** Classifies a span from the attributes it starts with and its instrumentation scope. */
export function classifySpan(attributes: Attributes, scope: string, spanName: string): SpanClass {
  const source = SOURCES.find((candidate) => candidate.owns(attributes, scope)) ?? genAiSource;
  const kind = source.kind(attributes);
  const runName = (kind === 'agent' ? source.runName?.(attributes) : undefined) ?? stringAttribute(attributes[ATTR_GEN_AI_AGENT_NAME]) ?? spanName;
  return { kind, source, runName };
}

/**
 * The usage an LLM span states in whatever convention it was written; undefined when it is not a span with usage.
 * tokenledger's own LLM spans are read too: in collector mode they come from another process (in process their
 * figures are handed over, ledger/handover.ts, and not read back).
 */
export function spanUsage(attributes: Attributes, scope: string, scopeVersion?: string): SpanUsage | undefined {
  for (const source of SOURCES) {
    if (!source.owns(attributes, scope)) continue;
    const usage = source.usage(attributes, scope, scopeVersion);
    if (usage !== undefined || source.exclusive) return usage;
  }
  return undefined;
}

/** The provider's id of the response a span describes (`gen_ai.response.id`): the same id is the same call. */
export function responseIdOf(attributes: Attributes): string | undefined {
  return stringAttribute(attributes[ATTR_GEN_AI_RESPONSE_ID]);
}

/**
 * What a span read here gets added: its usage figures in tokenledger's names, what it lacks to be priced, and the
 * convention they were read in — only the attributes it does not already have with that value.
 */
export function normalisedAttributes(attributes: Attributes, read: SpanUsage, figures: UsageFigures): Attributes {
  const all = writeUsageAttributes(figures, { ...read.describing });
  if (read.convention) all[ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION] = read.convention;
  const added: Attributes = {};
  for (const key in all) if (attributes[key] !== all[key]) added[key] = all[key];
  return added;
}
