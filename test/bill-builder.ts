// Provider bills for the reconcile tests, in the shapes the providers document (OpenAI's openapi.yaml
// `UsageCompletionsResult` / `CostsResult`; Anthropic's usage_report/messages and cost_report, and the analytics
// usage and cost rows of its TypeScript SDK), built from what a recording says it used — read here straight from
// the recorded spans' attributes, not through the code under test — so a bill agrees with the telemetry exactly
// until a test plants a difference in it.
import { readFileSync } from 'node:fs';

export interface RecordedUse {
  provider: string;
  model: string;
  day: string;
  calls: number;
  tokens: Record<UseType, number>;
  usd: Record<UseType, number>;
}

export const USE_TYPES = ['uncached_input', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output'] as const;
export type UseType = (typeof USE_TYPES)[number];

const TOKEN_ATTRIBUTES: Record<UseType, string> = {
  uncached_input: 'tokenledger.usage.uncached.input_tokens',
  cache_read: 'gen_ai.usage.cache_read.input_tokens',
  cache_write_5m: 'tokenledger.usage.cache_write.ttl_5m.input_tokens',
  cache_write_1h: 'tokenledger.usage.cache_write.ttl_1h.input_tokens',
  output: 'gen_ai.usage.output_tokens',
};
const COST_ATTRIBUTES: Record<UseType, string> = {
  uncached_input: 'tokenledger.cost.uncached_input.usd',
  cache_read: 'tokenledger.cost.cache_read.usd',
  cache_write_5m: 'tokenledger.cost.cache_write.ttl_5m.usd',
  cache_write_1h: 'tokenledger.cost.cache_write.ttl_1h.usd',
  output: 'tokenledger.cost.output.usd',
};

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number };
type Span = { startTimeUnixNano: string; attributes: Array<{ key: string; value: AnyValue }> };

/** What the recording's LLM calls used, per provider, model and UTC day, summed from their span attributes. */
export function recordedUse(file: string): RecordedUse[] {
  const uses = new Map<string, RecordedUse>();
  for (const line of readFileSync(file, 'utf8').trimEnd().split('\n')) {
    const request = JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> };
    for (const span of request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))) {
      const attributes = new Map(
        span.attributes.map((kv) => [kv.key, kv.value.stringValue ?? (kv.value.intValue !== undefined ? Number(kv.value.intValue) : kv.value.doubleValue)]),
      );
      if (attributes.get('tokenledger.cost.usd') === undefined) continue;
      const provider = String(attributes.get('gen_ai.provider.name'));
      const model = String(attributes.get('gen_ai.response.model') ?? attributes.get('gen_ai.request.model'));
      const day = new Date(Number(BigInt(span.startTimeUnixNano) / 1_000_000n)).toISOString().slice(0, 10);
      const key = `${provider}/${model}/${day}`;
      let use = uses.get(key);
      if (!use) {
        const zeros = () => Object.fromEntries(USE_TYPES.map((type) => [type, 0])) as Record<UseType, number>;
        uses.set(key, (use = { provider, model, day, calls: 0, tokens: zeros(), usd: zeros() }));
      }
      use.calls += 1;
      for (const type of USE_TYPES) {
        use.tokens[type] += Number(attributes.get(TOKEN_ATTRIBUTES[type]) ?? 0);
        use.usd[type] += Number(attributes.get(COST_ATTRIBUTES[type]) ?? 0);
      }
    }
  }
  return [...uses.values()];
}

export const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const unix = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** Dollars as Anthropic writes them: cents, a decimal string ("123.45" for $1.2345), the point moved in the text. */
export function cents(usd: number): string {
  const text = usd.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
  const [whole, fraction = ''] = text.split('.');
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const point = whole!.length + 2;
  const shifted = `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/^0+(?=\d)/, '').replace(/\.$/, '');
  return shifted.includes('.') ? shifted.replace(/0+$/, '').replace(/\.$/, '') : shifted;
}

/** An OpenAI usage/completions page of these uses (one bucket per day). */
export function openaiUsagePage(uses: RecordedUse[], options: { batch?: boolean; serviceTier?: string; hasMore?: boolean; nextPage?: string } = {}) {
  return {
    object: 'page',
    data: byDay(uses).map(([day, list]) => ({
      object: 'bucket',
      start_time: unix(day),
      end_time: unix(nextDay(day)),
      results: list.map((use) => {
        const written = use.tokens.cache_write_5m + use.tokens.cache_write_1h;
        return {
          object: 'organization.usage.completions.result',
          input_tokens: use.tokens.uncached_input + use.tokens.cache_read + written,
          input_cached_tokens: use.tokens.cache_read,
          input_cache_write_tokens: written,
          input_uncached_tokens: use.tokens.uncached_input,
          output_tokens: use.tokens.output,
          num_model_requests: use.calls,
          project_id: null,
          user_id: null,
          api_key_id: null,
          model: use.model,
          batch: options.batch ?? false,
          service_tier: options.serviceTier ?? null,
        };
      }),
    })),
    has_more: options.hasMore ?? false,
    next_page: options.nextPage ?? null,
  };
}

const OPENAI_ITEMS: Array<[string, (use: RecordedUse) => [number, number]]> = [
  ['input', (use) => [use.tokens.uncached_input, use.usd.uncached_input]],
  ['cached input', (use) => [use.tokens.cache_read, use.usd.cache_read]],
  ['output', (use) => [use.tokens.output, use.usd.output]],
];

/** An OpenAI costs page (amount.value in dollars) of these uses, grouped by line item. */
export function openaiCostsPage(uses: RecordedUse[], options: { scale?: Partial<Record<string, number>>; batch?: boolean } = {}) {
  return {
    object: 'page',
    data: byDay(uses).map(([day, list]) => ({
      object: 'bucket',
      start_time: unix(day),
      end_time: unix(nextDay(day)),
      results: list.flatMap((use) =>
        OPENAI_ITEMS.map(([item, figures]) => {
          const [quantity, usd] = figures(use);
          return {
            object: 'organization.costs.result',
            amount: { value: usd * (options.scale?.[item] ?? 1), currency: 'usd' },
            line_item: `${use.model}, ${item}${options.batch ? ' (batch)' : ''}`,
            project_id: 'proj_support',
            quantity,
            quantity_unit: 'tokens',
          };
        }),
      ),
    })),
    has_more: false,
    next_page: null,
  };
}

/** An Anthropic usage_report/messages page (legacy) of these uses. */
export function anthropicUsagePage(uses: RecordedUse[], options: { moveTo1h?: number; serviceTier?: string } = {}) {
  return {
    data: byDay(uses).map(([day, list]) => ({
      starting_at: `${day}T00:00:00Z`,
      ending_at: `${nextDay(day)}T00:00:00Z`,
      results: list.map((use) => ({
        uncached_input_tokens: use.tokens.uncached_input,
        cache_creation: {
          ephemeral_5m_input_tokens: use.tokens.cache_write_5m - (options.moveTo1h ?? 0),
          ephemeral_1h_input_tokens: use.tokens.cache_write_1h + (options.moveTo1h ?? 0),
        },
        cache_read_input_tokens: use.tokens.cache_read,
        output_tokens: use.tokens.output,
        server_tool_use: { web_search_requests: 0 },
        api_key_id: null,
        workspace_id: null,
        model: use.model,
        service_tier: options.serviceTier ?? 'standard',
        context_window: '0-200k',
        inference_geo: null,
      })),
    })),
    has_more: false,
    next_page: null,
  };
}

const ANTHROPIC_TOKEN_TYPES: Record<UseType, string> = {
  uncached_input: 'uncached_input_tokens',
  cache_read: 'cache_read_input_tokens',
  cache_write_5m: 'cache_creation.ephemeral_5m_input_tokens',
  cache_write_1h: 'cache_creation.ephemeral_1h_input_tokens',
  output: 'output_tokens',
};

/** An Anthropic cost_report page (legacy; amounts in cents) of these uses, grouped by description. */
export function anthropicCostPage(
  uses: RecordedUse[],
  options: { usd?: (use: RecordedUse, type: UseType) => number; amount?: (usd: number) => unknown; serviceTier?: string } = {},
) {
  const usdOf = options.usd ?? ((use, type) => use.usd[type]);
  const amount = options.amount ?? cents;
  return {
    data: byDay(uses).map(([day, list]) => ({
      starting_at: `${day}T00:00:00Z`,
      ending_at: `${nextDay(day)}T00:00:00Z`,
      results: list.flatMap((use) =>
        USE_TYPES.filter((type) => use.tokens[type] > 0).map((type) => ({
          amount: amount(usdOf(use, type)),
          currency: 'USD',
          cost_type: 'tokens',
          token_type: ANTHROPIC_TOKEN_TYPES[type],
          description: `${use.model} Usage - ${type}`,
          model: use.model,
          service_tier: options.serviceTier ?? 'standard',
          context_window: '0-200k',
          inference_geo: null,
          workspace_id: null,
        })),
      ),
    })),
    has_more: false,
    next_page: null,
  };
}

/** Anthropic analytics usage rows (beta) of these uses, with request counts. */
export function anthropicAnalyticsUsagePage(uses: RecordedUse[], extraRequests = 0) {
  return {
    data: uses.map((use) => ({
      starting_at: `${use.day}T00:00:00Z`,
      ending_at: `${nextDay(use.day)}T00:00:00Z`,
      group: { model: use.model, service_tier: 'standard', context_window: null, inference_geo: null, api_key_id: null, workspace_id: null },
      usage: {
        uncached_input_tokens: use.tokens.uncached_input,
        cache_read_input_tokens: use.tokens.cache_read,
        cache_creation: { ephemeral_5m_input_tokens: use.tokens.cache_write_5m, ephemeral_1h_input_tokens: use.tokens.cache_write_1h },
        output_tokens: use.tokens.output,
        requests: use.calls + extraRequests,
        server_tool_use: { web_search_requests: 0 },
        total_tokens: USE_TYPES.reduce((sum, type) => sum + use.tokens[type], 0),
      },
    })),
    has_more: false,
    next_page: null,
    data_refreshed_at: null,
  };
}

/** Anthropic analytics cost rows (beta; amount and list_amount in fractional cents) by token type. */
export function anthropicAnalyticsCostPage(uses: RecordedUse[]) {
  return {
    data: uses.flatMap((use) =>
      USE_TYPES.filter((type) => use.tokens[type] > 0).map((type) => ({
        starting_at: `${use.day}T00:00:00Z`,
        ending_at: `${nextDay(use.day)}T00:00:00Z`,
        group: {
          model: use.model,
          cost_type: 'tokens',
          token_type: ANTHROPIC_TOKEN_TYPES[type],
          service_tier: 'standard',
          context_window: null,
          inference_geo: null,
          workspace_id: null,
        },
        cost: { amount: cents(use.usd[type]), currency: 'USD', list_amount: cents(use.usd[type]), requests: null },
      })),
    ),
    has_more: false,
    next_page: null,
    data_refreshed_at: null,
  };
}

function byDay(uses: RecordedUse[]): Array<[string, RecordedUse[]]> {
  const days = new Map<string, RecordedUse[]>();
  for (const use of uses) days.set(use.day, [...(days.get(use.day) ?? []), use]);
  return [...days].sort(([a], [b]) => a.localeCompare(b));
}

/** The same uses with `extra` more calls, each as large as the mean recorded call, and priced the same. */
export function withExtraCalls(use: RecordedUse, extra: number): RecordedUse {
  const scale = (use.calls + extra) / use.calls;
  const tokens = Object.fromEntries(USE_TYPES.map((type) => [type, (use.tokens[type] / use.calls) * (use.calls + extra)])) as Record<UseType, number>;
  const usd = Object.fromEntries(USE_TYPES.map((type) => [type, use.usd[type] * scale])) as Record<UseType, number>;
  return { ...use, calls: use.calls + extra, tokens, usd };
}
