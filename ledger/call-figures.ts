// What one LLM call contributes to the runs above it and to the metrics, worked out once from its usage figures
// and its price: every later step (run totals, KPIs, metric series) reads these, never the span's attributes.
import { partsKnown, type CostAmounts, type TokenCounts } from './token-types.ts';
import type { PricedCall } from './pricing/call-pricer.ts';
import type { UsageFigures } from './usage-figures.ts';

export interface CallFigures {
  /** The model the call asked for ('' when none): the same model right after a failed call is a retry. */
  model: string;
  failed: boolean;
  /** Stopped by a guardrail before it was sent: not a step, costs nothing. */
  refused: boolean;
  /** Set when every part is known (and so every total); a subset may still be unknown. */
  tokens?: TokenCounts;
  /** Set when the call was priced: every part and the total. */
  cost?: CostAmounts;
}

export function callFigures(usage: UsageFigures, priced: PricedCall, model: string, failed: boolean, refused = false): CallFigures {
  const figures: CallFigures = { model, failed, refused };
  if (partsKnown(usage.tokens)) figures.tokens = usage.tokens;
  if (priced.cost !== undefined) figures.cost = priced.cost;
  return figures;
}
