// The GenAI semantic conventions, current and legacy, and the instrumentations that write them with their own
// twists (OpenLLMetry-JS, OpenLIT JS and Python, Mastra's exporter and bridge, @opentelemetry/instrumentation-openai):
// the fallback source, asked for every span no other source owns.
//
// | writer                          | input                                   | cache read / write                               | output / reasoning |
// |---------------------------------|-----------------------------------------|--------------------------------------------------|--------------------|
// | GenAI conventions (current)     | gen_ai.usage.input_tokens (all)         | gen_ai.usage.cache_read / cache_write.input_tokens | gen_ai.usage.output_tokens / reasoning.output_tokens |
// | GenAI legacy names              | gen_ai.usage.prompt_tokens              | …cache_creation.input_tokens for writes          | gen_ai.usage.completion_tokens / reasoning_tokens |
// | OpenLLMetry-JS, OpenLIT (Anthropic) | input EXCLUDES the cache: input + cache read + cache write | as GenAI (legacy)           | as GenAI |
// | Mastra (exporter, bridge)       | as GenAI                                | as GenAI (legacy), TTL split from …cache_creation.5m_/1h_input_tokens | as GenAI, reasoning_tokens |
//
// Reasoning is read in every spelling instrumentations use (`gen_ai.usage.reasoning.output_tokens`,
// `gen_ai.usage.reasoning_tokens`, `gen_ai.usage.completion_tokens_details.reasoning`), and so are cache counts
// (`…cache_read.input_tokens`, `…cache_read_input_tokens`, `…prompt_tokens_details.cache_read`, and the writes alike);
// a spelling that is absent leaves the figure unknown, never 0 (cache counts excepted: instrumentations omit them
// when nothing was cached). Whether an Anthropic input count leaves the cache out is decided from evidence on the
// span (anthropic-cache-evidence.ts); the cache is then added back into input.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  type TokenledgerUsageSourceConvention,
} from '../../conventions/attributes.ts';
import { stringAttribute } from '../attribute-values.ts';
import {
  CACHE_CREATION_1H_INPUT_TOKENS,
  CACHE_CREATION_5M_INPUT_TOKENS,
  CACHE_CREATION_INPUT_TOKENS,
  CACHE_READ_INPUT_TOKENS,
  COMPLETION_DETAILS_REASONING,
  GEN_AI_SYSTEM,
  LEGACY_COMPLETION_TOKENS,
  LEGACY_PROMPT_TOKENS,
  PROMPT_DETAILS_CACHE_READ,
  PROMPT_DETAILS_CACHE_WRITE,
  REASONING_TOKENS,
} from '../foreign-names.ts';
import { usageFromAttributes } from '../usage-attributes.ts';
import { CountReader } from '../usage.ts';
import { inputExcludesCache } from './anthropic-cache-evidence.ts';
import { describing, genAiKind, providerName, type SourceConvention, type SpanUsage } from './source.ts';

export const genAiSource: SourceConvention = {
  id: 'genai',
  owns: () => true,
  exclusive: true,
  // A legacy span names its system (`gen_ai.system`) at its start and its operation, if ever, later.
  kind: (attributes) => {
    const kind = genAiKind(attributes);
    return kind === 'other' && attributes[GEN_AI_SYSTEM] !== undefined ? 'call' : kind;
  },
  usage: genAiUsage,
};

function genAiUsage(attributes: Attributes, scope: string, scopeVersion: string | undefined): SpanUsage | undefined {
  const currentInput = attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] !== undefined;
  if (!currentInput && attributes[LEGACY_PROMPT_TOKENS] === undefined && attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] === undefined) return undefined;
  const read = new CountReader();
  const usage = usageFromAttributes(attributes, read);
  const { tokens } = usage;
  if (!currentInput) tokens.input = read.known(attributes[LEGACY_PROMPT_TOKENS]);
  if (tokens.output === undefined) tokens.output = read.known(attributes[LEGACY_COMPLETION_TOKENS]);
  // Another spelling counts only where the current name (and, for writes, the legacy one) is absent.
  const otherSpelling = (names: string[], ...others: string[]) =>
    names.some((name) => attributes[name] !== undefined) ? undefined : others.map((name) => attributes[name]).find((value) => value !== undefined);
  const cacheRead = otherSpelling([ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS], CACHE_READ_INPUT_TOKENS, PROMPT_DETAILS_CACHE_READ);
  if (cacheRead !== undefined) tokens.cache_read = read.zeroIfAbsent(cacheRead);
  const cacheWrite = otherSpelling(
    [ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS],
    CACHE_CREATION_INPUT_TOKENS,
    PROMPT_DETAILS_CACHE_WRITE,
  );
  if (cacheWrite !== undefined) tokens.cache_write = read.zeroIfAbsent(cacheWrite);
  // The TTL split only Mastra writes in GenAI-style names; without it every write is a 5-minute one (usage-figures.ts).
  if (tokens.cache_write_5m === undefined && attributes[CACHE_CREATION_5M_INPUT_TOKENS] !== undefined)
    tokens.cache_write_5m = read.known(attributes[CACHE_CREATION_5M_INPUT_TOKENS]);
  if (tokens.cache_write_1h === undefined && attributes[CACHE_CREATION_1H_INPUT_TOKENS] !== undefined)
    tokens.cache_write_1h = read.known(attributes[CACHE_CREATION_1H_INPUT_TOKENS]);
  const reasoning = otherSpelling([ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS], REASONING_TOKENS, COMPLETION_DETAILS_REASONING);
  if (reasoning !== undefined) tokens.reasoning = read.known(reasoning);
  read.finish(usage);
  const system = stringAttribute(attributes[GEN_AI_SYSTEM]);
  const provider = stringAttribute(attributes[ATTR_GEN_AI_PROVIDER_NAME]) ?? (system ? providerName(system) : undefined);
  const legacy = !currentInput || system !== undefined || attributes[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] !== undefined;
  let convention: TokenledgerUsageSourceConvention = legacy ? 'genai_legacy' : 'genai';
  const cache = { input: tokens.input ?? Number.NaN, cacheRead: tokens.cache_read ?? 0, cacheWrite: tokens.cache_write ?? 0 };
  if (provider === 'anthropic' && !Number.isNaN(cache.input) && inputExcludesCache(cache, scope, scopeVersion)) {
    tokens.input = cache.input + cache.cacheRead + cache.cacheWrite;
    convention = 'anthropic_excluding_cache';
  }
  return { usage, convention, describing: describing(attributes, provider, undefined) };
}
