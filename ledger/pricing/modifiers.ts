// Multipliers on a call's token charges for batch and service tiers, which the price data does not model.
// Defaults follow the providers' price sheets; a price override file can add its own (first match wins,
// the user's before the defaults). Request fees are never scaled.
/** Which calls a modifier applies to: every condition given must hold. */
export interface ModifierCondition {
  /** genai-prices provider id: `openai`, `anthropic`, `google`, … */
  provider?: string;
  /** `tokenledger.request.service_tier`: standard | flex | priority | batch | scale. */
  service_tier?: string;
  /** True for calls served by a batch API. */
  batch?: boolean;
  /** The model id, exact or with a trailing `*`. */
  model?: string;
}

/** A multiplier on the token charges of the calls it matches (batch and service tiers); request fees are not scaled. */
export interface PriceModifier {
  /** The calls it applies to. */
  when: ModifierCondition;
  /** The factor on the token charges, recorded as `tokenledger.cost.multiplier`. */
  multiplier: number;
  /** Why: the price sheet it follows. */
  note?: string;
}

export const DEFAULT_MODIFIERS: PriceModifier[] = [
  { when: { batch: true }, multiplier: 0.5, note: 'OpenAI, Anthropic and Gemini batch APIs bill half the standard rates' },
  { when: { service_tier: 'batch' }, multiplier: 0.5, note: 'Anthropic reports batch results with usage.service_tier = batch' },
  { when: { provider: 'openai', service_tier: 'flex' }, multiplier: 0.5, note: 'OpenAI flex processing: half the standard rates' },
  { when: { provider: 'google', service_tier: 'flex' }, multiplier: 0.5, note: 'Gemini flex: half the standard rates' },
  { when: { provider: 'openai', service_tier: 'priority', model: 'gpt-4.1*' }, multiplier: 1.75, note: 'gpt-4.1 priority: $3.50 vs $2.00 input' },
  { when: { provider: 'openai', service_tier: 'priority', model: 'gpt-4o*' }, multiplier: 1.7, note: 'gpt-4o priority: $4.25 vs $2.50 input' },
  { when: { provider: 'openai', service_tier: 'priority' }, multiplier: 2, note: 'gpt-5 family priority: twice the standard rates' },
  { when: { provider: 'google', service_tier: 'priority' }, multiplier: 1.8, note: 'Gemini priority: 1.8x the standard rates' },
];

export interface ModifierSubject {
  provider: string;
  model: string;
  serviceTier?: string;
  batch: boolean;
}

export function multiplierFor(subject: ModifierSubject, modifiers: PriceModifier[]): number {
  for (const modifier of modifiers) if (matches(modifier.when, subject)) return modifier.multiplier;
  return 1;
}

function matches(when: ModifierCondition, subject: ModifierSubject): boolean {
  if (when.provider !== undefined && when.provider !== subject.provider) return false;
  if (when.service_tier !== undefined && when.service_tier !== subject.serviceTier) return false;
  if (when.batch !== undefined && when.batch !== subject.batch) return false;
  if (when.model !== undefined) {
    const pattern = when.model;
    const ok = pattern.endsWith('*') ? subject.model.startsWith(pattern.slice(0, -1)) : subject.model === pattern;
    if (!ok) return false;
  }
  return true;
}
