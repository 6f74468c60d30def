// A call's usage figures ⇄ span attributes, by the token-type table: the usage attribute of every token type and
// total that is known, the details beside them, and the reason when something is unknown. Writing happens once,
// where the figures are made; reading happens only at the edges, for spans that arrive as attributes (collector
// mode, a span whose figures were not handed over in process).
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_TOKENLEDGER_USAGE_COMPACTION_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_COMPACTION_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION,
  ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON,
  ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS,
  TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUES,
} from '../conventions/attributes.ts';
import { closedValue } from './attribute-values.ts';
import { TOKEN_TOTALS, TOKEN_TYPES, type TokenCounts, type TokenTypeId } from './token-types.ts';
import type { UsageFigures } from './usage-figures.ts';
import { CountReader, type NormalizedUsage } from './usage.ts';

export interface UsageAttributeOptions {
  /** Also write each total's legacy name (`gen_ai.usage.cache_creation.input_tokens`). */
  legacyAttributes?: boolean;
}

/** For each token type, the totals it is a part of (its cache-write TTL parts are in `cache_write`). */
const TOTALS_OF = new Map<string, string[]>(
  TOKEN_TYPES.map((row) => [
    row.id,
    TOKEN_TOTALS.filter((total) => (total.parts as readonly string[]).includes(row.id) && total.usageAttribute !== undefined).map((total) => total.id),
  ]),
);

/**
 * Writes the usage attributes of `figures` into `out` (the call's pending attributes), unknown figures left off. A
 * part of a written total that is 0 is left off too (the cache-write TTL split of a call that wrote nothing to the
 * cache): it is 0 by that total, and readers (usageFromAttributes, then usageFigures) derive it so.
 */
export function writeUsageAttributes(figures: UsageFigures, out: Attributes, options: UsageAttributeOptions = {}): Attributes {
  const { tokens } = figures;
  for (const row of TOKEN_TYPES) {
    if (row.usageAttribute === undefined) continue;
    const value = tokens[row.id];
    if (value === 0 && TOTALS_OF.get(row.id)!.some((total) => tokens[total as keyof TokenCounts] === 0)) continue;
    setCount(out, row.usageAttribute, value);
  }
  for (const total of TOKEN_TOTALS) {
    if (total.usageAttribute !== undefined) setCount(out, total.usageAttribute, tokens[total.id]);
    if (options.legacyAttributes && total.legacyUsageAttribute !== undefined) setCount(out, total.legacyUsageAttribute, tokens[total.id]);
  }
  if (figures.toolResultEstimation !== undefined) out[ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION] = figures.toolResultEstimation;
  setCount(out, ATTR_TOKENLEDGER_USAGE_COMPACTION_INPUT_TOKENS, figures.compactionInputTokens);
  setCount(out, ATTR_TOKENLEDGER_USAGE_COMPACTION_OUTPUT_TOKENS, figures.compactionOutputTokens);
  setCount(out, ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS, figures.webSearchRequests);
  if (figures.unknownReason !== undefined) out[ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON] = figures.unknownReason;
  return out;
}

function setCount(attributes: Attributes, key: string, value: number | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

/** Figures that instrumentations writing the GenAI conventions leave off when nothing was cached: absent is 0. */
const ZERO_IF_ABSENT = new Set<string>(['cache_read', 'cache_write']);

/**
 * The usage a span states in tokenledger's names (the GenAI conventions' usage attributes and tokenledger's
 * details), read count by count through the token-type table: what collector mode reads from spans tokenledger
 * made in another process, and what a span in the current GenAI names says.
 */
export function usageFromAttributes(attributes: Attributes, read = new CountReader()): NormalizedUsage {
  const tokens: TokenCounts = {};
  const take = (id: string, name: string | undefined, legacyName?: string) => {
    if (name === undefined) return;
    const value = attributes[name] ?? (legacyName === undefined ? undefined : attributes[legacyName]);
    tokens[id as TokenTypeId] = ZERO_IF_ABSENT.has(id) ? read.zeroIfAbsent(value) : read.known(value);
  };
  for (const row of TOKEN_TYPES) take(row.id, row.usageAttribute);
  for (const total of TOKEN_TOTALS) take(total.id, total.usageAttribute, total.legacyUsageAttribute);
  return read.finish({
    tokens,
    compactionInputTokens: read.known(attributes[ATTR_TOKENLEDGER_USAGE_COMPACTION_INPUT_TOKENS]),
    compactionOutputTokens: read.known(attributes[ATTR_TOKENLEDGER_USAGE_COMPACTION_OUTPUT_TOKENS]),
    webSearchRequests: read.known(attributes[ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS]),
    unknownReason: closedValue(TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUES, attributes[ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON]),
  });
}
