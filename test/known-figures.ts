// For the normalisers' table tests: a provider's usage as the spans get it, through the one validity rule — only
// the figures that are known, by token-type id, with the details and the reason beside them.
import { usageFigures } from '../ledger/usage-figures.ts';
import type { NormalizedUsage } from '../ledger/usage.ts';

export function knownFigures(usage: NormalizedUsage): Record<string, unknown> {
  const figures = usageFigures(usage);
  const known: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(figures.tokens)) if (value !== undefined) known[id] = value;
  const { webSearchRequests, compactionInputTokens, compactionOutputTokens, unknownReason } = figures;
  Object.assign(
    known,
    Object.fromEntries(Object.entries({ webSearchRequests, compactionInputTokens, compactionOutputTokens, unknownReason }).filter(([, v]) => v !== undefined)),
  );
  return known;
}
