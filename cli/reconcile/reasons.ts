// The reasons a bill and telemetry disagree, each a code reconcile reports with the dollars it explains. Listed in the
// order a difference is explained: token differences first (what the bill counted that telemetry did not), then
// rate differences (what the bill charged for the tokens both counted).
export const REASONS = {
  unattributed_requests: 'the bill counts requests telemetry never saw: another app on the key, calls telemetry never ended, a sampled recording',
  stream_without_usage: 'calls telemetry saw without their usage (a stream cut before its usage chunk): billed, not counted',
  unpriced_calls: 'calls telemetry counted and could not price (a model its price data did not know): billed, not in its dollars',
  bucket_boundary: 'calls near a UTC midnight counted on the other day by the bill',
  cache_write_ttl: 'cache writes the bill counts at the 1-hour TTL that telemetry counted at 5 minutes (or the reverse)',
  server_tool_fees: 'server-side tool fees (web search, code execution) beside the token charges',
  batch: 'the bill charges the batch rate for calls telemetry priced at the standard rate (or the reverse)',
  service_tier: "the bill's service tier (priority, flex, scale) differs from the one telemetry priced",
  long_context: 'the long-context rate (Anthropic context_window 200k-1M) the bill applied',
  inference_geo: 'the regional-inference rate (Anthropic inference_geo us) the bill applied',
  cache_write_unpriced: 'cache writes telemetry priced without their own rate (the price data has none for the TTL)',
  price_drift: "the rate the bill charges per token differs from tokenledger's price (both rates shown)",
} as const;

export type ReasonCode = keyof typeof REASONS;

/** The rate reasons, in the order a rate difference is given to them. */
export const RATE_REASONS: readonly ReasonCode[] = ['batch', 'service_tier', 'long_context', 'inference_geo', 'cache_write_unpriced', 'price_drift'];
