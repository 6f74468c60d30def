// The values of `tokenledger.request.service_tier`, shared by the instrumentation and the processor.
// Provider service tiers → the tier that prices a call (`tokenledger.request.service_tier`).
// OpenAI: `auto`/`default` → standard, `fast` is served as `priority`; Anthropic `usage.service_tier`:
// standard | priority | batch; Gemini `serviceTier` / Vertex `trafficType` (ON_DEMAND_FLEX → flex, …).
const TIERS: Record<string, string> = {
  auto: 'standard',
  default: 'standard',
  standard: 'standard',
  standard_only: 'standard',
  on_demand: 'standard',
  flex: 'flex',
  on_demand_flex: 'flex',
  priority: 'priority',
  fast: 'priority',
  on_demand_priority: 'priority',
  batch: 'batch',
  scale: 'scale',
};

export function pricingTier(tier: unknown): string | undefined {
  if (typeof tier !== 'string') return undefined;
  return TIERS[tier.toLowerCase()];
}
