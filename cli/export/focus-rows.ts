// Recorded calls as FOCUS (FinOps Open Cost and Usage Specification) 1.2 cost and usage rows, so a FinOps tool can
// load tokenledger's spend beside the cloud bills: one row per UTC day × provider × model × token type × the calls'
// attribution keys (as Tags), summed in one pass. tokenledger prices from a price table, so a row is an estimate:
// BilledCost is left empty (it is the invoice's figure) and EffectiveCost, ListCost and ContractedCost carry the
// priced amount. One SKU per token type, told apart by SkuMeter, with the AI appendix's SkuPriceDetails keys
// (ModelId, ModelDeveloper, TokenDirection, TokenCacheAction) and `x_tokenledger_*` ones beside them.
import { usd } from '../../ledger/pricing/call-pricer.ts';
import type { CallRecord } from '../recording/recorded-span.ts';
import type { ReplayedTrace, ReplaySink } from '../recording/replay.ts';

/** The columns written, in this order: FOCUS 1.2's mandatory ones and the conditional ones that apply, then x_ columns. */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'HostProviderName',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  'ServiceProviderName',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SkuPriceDetails',
  'SkuPriceId',
  'Tags',
  'x_TokenledgerCalls',
  'x_TokenledgerPriceData',
] as const;

type Column = (typeof FOCUS_COLUMNS)[number];
export type FocusRow = Record<Column, string>;

interface Meter {
  meter: string;
  direction: 'Input' | 'Output';
  cache?: 'Read' | 'Write';
  ttl?: string;
  unit: 'Tokens' | 'Requests';
}

const METERS: Record<string, Meter> = {
  uncached_input: { meter: 'Input Tokens', direction: 'Input', unit: 'Tokens' },
  cache_read: { meter: 'Cache Read Input Tokens', direction: 'Input', cache: 'Read', unit: 'Tokens' },
  cache_write_5m: { meter: 'Cache Write Input Tokens (5 minutes)', direction: 'Input', cache: 'Write', ttl: '5m', unit: 'Tokens' },
  cache_write_1h: { meter: 'Cache Write Input Tokens (1 hour)', direction: 'Input', cache: 'Write', ttl: '1h', unit: 'Tokens' },
  output: { meter: 'Output Tokens', direction: 'Output', unit: 'Tokens' },
  server_tools: { meter: 'Server Tool Requests', direction: 'Input', unit: 'Requests' },
};

/** tokenledger's provider name → who serves it (service, provider, host) and who made the models. */
const SERVICES: Record<string, { service: string; provider: string; host: string }> = {
  openai: { service: 'OpenAI API', provider: 'OpenAI', host: 'OpenAI' },
  anthropic: { service: 'Claude API', provider: 'Anthropic', host: 'Anthropic' },
  'aws.bedrock': { service: 'Amazon Bedrock', provider: 'Amazon Web Services', host: 'Amazon Web Services' },
  'azure.ai.openai': { service: 'Azure OpenAI', provider: 'Microsoft', host: 'Microsoft' },
  'gcp.vertex_ai': { service: 'Vertex AI', provider: 'Google Cloud', host: 'Google Cloud' },
  'gcp.gemini': { service: 'Gemini API', provider: 'Google', host: 'Google' },
};

interface Sum {
  day: string;
  provider: string;
  model: string;
  type: string;
  tags: string;
  quantity: number;
  usd: number;
  calls: number;
  unpriced: number;
  priceData: Set<string>;
}

export class FocusRows implements ReplaySink {
  private readonly sums = new Map<string, Sum>();
  /** Calls without usage: no row can say what they consumed. */
  unknownUsageCalls = 0;

  trace(trace: ReplayedTrace): void {
    for (const { call } of trace.calls) this.add(call);
  }

  lateCall(call: CallRecord): void {
    this.add(call);
  }

  private add(call: CallRecord): void {
    const tokens = call.figures.tokens;
    if (!tokens) {
      this.unknownUsageCalls += 1;
      return;
    }
    const { description } = call;
    const model = description.responseModel ?? description.requestModel ?? '';
    const day = new Date(call.startMs).toISOString().slice(0, 10);
    const tags = call.attribution ? JSON.stringify(Object.fromEntries(Object.entries(call.attribution).sort(([a], [b]) => a.localeCompare(b)))) : '';
    const cost = call.figures.cost;
    for (const type of Object.keys(METERS)) {
      const quantity = type === 'server_tools' ? (call.usage?.webSearchRequests ?? 0) : (tokens[type as keyof typeof tokens] ?? 0);
      const amount = type === 'server_tools' ? cost?.request_fees : cost?.[type as keyof typeof cost];
      if (quantity === 0 && !amount) continue;
      const key = `${day}\u0000${description.provider}\u0000${model}\u0000${type}\u0000${tags}`;
      let sum = this.sums.get(key);
      if (!sum)
        this.sums.set(
          key,
          (sum = { day, provider: description.provider, model, type, tags, quantity: 0, usd: 0, calls: 0, unpriced: 0, priceData: new Set() }),
        );
      sum.quantity += quantity;
      sum.calls += 1;
      if (amount === undefined) sum.unpriced += 1;
      else sum.usd += amount;
      if (call.dataVersion) sum.priceData.add(call.dataVersion);
    }
  }

  rows(): FocusRow[] {
    return [...this.sums.values()]
      .sort(
        (a, b) =>
          a.day.localeCompare(b.day) ||
          a.provider.localeCompare(b.provider) ||
          a.model.localeCompare(b.model) ||
          a.type.localeCompare(b.type) ||
          a.tags.localeCompare(b.tags),
      )
      .map(focusRow);
  }
}

function focusRow(sum: Sum): FocusRow {
  const meter = METERS[sum.type]!;
  const service = SERVICES[sum.provider] ?? { service: sum.provider, provider: sum.provider, host: sum.provider };
  const start = `${sum.day}T00:00:00Z`;
  const next = new Date(Date.parse(start) + 86_400_000).toISOString().replace('.000Z', 'Z');
  const month = sum.day.slice(0, 7);
  const monthEnd = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().replace('.000Z', 'Z');
  // Unknown is never zero: a row with an unpriced call has no cost figures.
  const known = sum.unpriced === 0;
  const cost = known ? decimal(usd(sum.usd)) : '';
  const perUnit = meter.unit === 'Tokens' ? 1e6 : 1e3;
  const pricingQuantity = sum.quantity / perUnit;
  const unitPrice = known && pricingQuantity > 0 ? decimal(usd(sum.usd / pricingQuantity)) : '';
  const sku = `${sum.provider}/${sum.model}/${sum.type}`;
  const details: Record<string, unknown> = {
    ModelId: sum.model,
    ModelDeveloper: developerOf(sum.model, service.provider),
    TokenDirection: meter.direction,
    TokenCacheAction: meter.cache ?? 'Uncached',
    x_tokenledger_token_type: sum.type,
  };
  if (meter.ttl) details.x_tokenledger_cache_ttl = meter.ttl;
  return {
    BilledCost: '',
    BillingAccountId: sum.provider,
    BillingAccountName: `${service.provider} (tokenledger estimate)`,
    BillingCurrency: 'USD',
    BillingPeriodEnd: monthEnd,
    BillingPeriodStart: `${month}-01T00:00:00Z`,
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeDescription: `${sum.model} ${meter.meter.toLowerCase()}, priced by tokenledger from recorded telemetry`,
    ChargeFrequency: 'Usage-Based',
    ChargePeriodEnd: next,
    ChargePeriodStart: start,
    ConsumedQuantity: String(sum.quantity),
    ConsumedUnit: meter.unit,
    ContractedCost: cost,
    ContractedUnitPrice: unitPrice,
    EffectiveCost: cost,
    HostProviderName: service.host,
    InvoiceIssuerName: service.provider,
    ListCost: cost,
    ListUnitPrice: unitPrice,
    PricingCategory: 'Standard',
    PricingQuantity: decimal(pricingQuantity),
    PricingUnit: meter.unit === 'Tokens' ? '1000000 Tokens' : '1000 Requests',
    ProviderName: service.provider,
    PublisherName: developerOf(sum.model, service.provider),
    ServiceCategory: 'AI and Machine Learning',
    ServiceName: service.service,
    ServiceProviderName: service.provider,
    ServiceSubcategory: 'Generative AI',
    SkuId: sku,
    SkuMeter: meter.meter,
    SkuPriceDetails: JSON.stringify(details),
    SkuPriceId: `${sku}/standard`,
    Tags: sum.tags,
    x_TokenledgerCalls: String(sum.calls),
    x_TokenledgerPriceData: [...sum.priceData].join(' '),
  };
}

/** Who made the model, from its name (a cloud serves other developers' models). */
function developerOf(model: string, fallback: string): string {
  const name = model.toLowerCase();
  if (name.includes('claude')) return 'Anthropic';
  if (/(^|[./])(gpt|o\d|text-embedding|chatgpt)/.test(name)) return 'OpenAI';
  if (name.includes('gemini') || name.includes('gemma')) return 'Google';
  if (name.includes('llama')) return 'Meta';
  if (name.includes('mistral')) return 'Mistral AI';
  if (name.includes('nova') || name.includes('titan')) return 'Amazon';
  return fallback;
}

/** A decimal as FOCUS's NumericFormat writes it: plain digits, no exponent. */
function decimal(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const text = value.toFixed(12).replace(/0+$/, '');
  return text.endsWith('.') ? text.slice(0, -1) : text;
}
