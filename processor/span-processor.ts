// tokenledger's span processor. For every LLM call span, in `onEnding` (the last moment a span still takes
// attributes): normalise spans that provider SDKs make of themselves, then price the call in USD by token type.
// It holds no per-span state; the price catalog caches one match per model and hour.
import { diag, metrics, type Context, type Counter, type MeterProvider } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_TOKENLEDGER_COST_UNKNOWN_REASON,
  METRIC_TOKENLEDGER_CALLS_UNPRICED,
} from '../conventions/attributes.ts';
import { VERSION } from '../instrumentation/version.ts';
import { CallPricer, type CostUnknownReason } from './pricing/call-pricer.ts';
import { loadPriceOverridesFile, validatePriceOverrides, type PriceOverrides } from './pricing/price-overrides.ts';
import { ANTHROPIC_SDK_SCOPE, anthropicSdkSpanAttributes } from './sdk-native-spans.ts';

export interface TokenledgerSpanProcessorOptions {
  /** Price overrides in code: the same shape as the TOKENLEDGER_PRICES file. They win over the bundled data. */
  prices?: PriceOverrides;
  /** A JSON or YAML price overrides file (what TOKENLEDGER_PRICES names). */
  pricesFile?: string;
  /** Also write the proposed `gen_ai.usage.cost.{amount,currency,source}` attributes. Default false. */
  genaiCostAttributes?: boolean;
  /** Where tokenledger's own metrics go. Default: the global MeterProvider, read when first needed. */
  meterProvider?: MeterProvider;
}

// Operations whose spans are LLM calls (and so are priced); agent and tool spans are not.
const LLM_OPERATIONS = new Set(['chat', 'generate_content', 'text_completion', 'embeddings']);

export class TokenledgerSpanProcessor implements SpanProcessor {
  private stopped = false;
  private readonly pricer: CallPricer;
  private readonly meterProvider: MeterProvider | undefined;
  private unpricedCounter: Counter | undefined;

  /** Throws, with a message naming the entry at fault, when the price overrides are invalid. */
  constructor(options: TokenledgerSpanProcessorOptions = {}) {
    const overrides = mergeOverrides(
      options.pricesFile ? loadPriceOverridesFile(options.pricesFile) : undefined,
      options.prices ? validatePriceOverrides(options.prices, 'prices option') : undefined,
    );
    this.meterProvider = options.meterProvider;
    this.pricer = new CallPricer({
      overrides,
      genaiCostAttributes: options.genaiCostAttributes,
      onUnpriced: (provider, model, reason) => this.countUnpriced(provider, model, reason),
    });
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    if (this.stopped) return;
    try {
      if (span.instrumentationScope.name === ANTHROPIC_SDK_SCOPE) {
        span.setAttributes(anthropicSdkSpanAttributes(span.attributes));
      }
      if (isLlmCallSpan(span)) {
        const [seconds, nanos] = span.startTime;
        span.setAttributes(this.pricer.price(span.attributes, new Date(seconds * 1000 + nanos / 1e6)).attributes);
      }
    } catch (error) {
      diag.error('tokenledger: could not process a span', error);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }

  private countUnpriced(provider: string, model: string, reason: CostUnknownReason): void {
    this.unpricedCounter ??= (this.meterProvider ?? metrics.getMeterProvider())
      .getMeter('tokenledger', VERSION)
      .createCounter(METRIC_TOKENLEDGER_CALLS_UNPRICED, {
        unit: '{call}',
        description: 'LLM calls whose cost is unknown',
      });
    this.unpricedCounter.add(1, {
      [ATTR_GEN_AI_PROVIDER_NAME]: provider,
      [ATTR_GEN_AI_REQUEST_MODEL]: model,
      [ATTR_TOKENLEDGER_COST_UNKNOWN_REASON]: reason,
    });
  }
}

function isLlmCallSpan(span: Span): boolean {
  const operation = span.attributes[ATTR_GEN_AI_OPERATION_NAME];
  return typeof operation === 'string' && LLM_OPERATIONS.has(operation) && span.attributes[ATTR_GEN_AI_PROVIDER_NAME] !== undefined;
}

/** Code-given prices win over the file's, which win over the bundled data. */
function mergeOverrides(file: PriceOverrides | undefined, code: PriceOverrides | undefined): PriceOverrides | undefined {
  if (!file) return code;
  if (!code) return file;
  return {
    version: code.version ?? file.version,
    providers: [...(code.providers ?? []), ...(file.providers ?? [])],
    modifiers: [...(code.modifiers ?? []), ...(file.modifiers ?? [])],
  };
}
