// A span as the commands hold it while its trace is read: what the span ledger reads (the TraceSpan of collector
// mode's trace-rollup.ts: ids, times, status, the ROLLUP_ATTRIBUTES, its class and usage), and for an LLM call what
// the report and the levers need of it, its figures filled in when the ledger counts it. The rest is not kept.
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import {
  ATTR_TOKENLEDGER_COST_DATA_VERSION,
  ATTR_TOKENLEDGER_COST_PRICE_ENTRY,
  ATTR_TOKENLEDGER_COST_SOURCE,
  ATTR_TOKENLEDGER_COST_UNKNOWN_REASON,
  ATTR_TOKENLEDGER_REQUEST_PREFIX_HASH,
  ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON,
  ATTR_FEATURE,
  ATTR_TENANT_ID,
  ATTR_USER_ID,
} from '../../conventions/attributes.ts';
import type { EnrichedSpan } from '../../collector/enrich.ts';
import { ROLLUP_ATTRIBUTES, type TraceSpan } from '../../collector/trace-rollup.ts';
import { stringAttribute } from '../../ledger/attribute-values.ts';
import type { CallFigures } from '../../ledger/call-figures.ts';
import { callDescription, isRefusedCall, requestModelOf } from '../../ledger/llm-spans.ts';
import type { CallDescription, PricedCall } from '../../ledger/pricing/call-pricer.ts';
import type { SpanClass } from '../../ledger/sources/registry.ts';
import type { UsageFigures } from '../../ledger/usage-figures.ts';
import { samplingProbability } from '../../base/sampling-threshold.ts';

/** One LLM call as recorded: what it was, when, its usage and its price. */
export interface CallRecord {
  spanId: string;
  traceId: string;
  /** What the call was, as far as its price goes (provider, models, tier, batch, start time). */
  description: CallDescription;
  startMs: number;
  endMs: number;
  /** `tokenledger.request.prefix_hash`: the fingerprint of its system prompt and tool definitions. */
  prefixHash?: string;
  /** Its usage figures, when every part is known (what re-pricing starts from). */
  usage?: UsageFigures;
  /** What it adds to its runs: tokens, cost, failed, refused (set when the ledger counted it). */
  figures: CallFigures;
  usageUnknownReason?: string;
  costUnknownReason?: string;
  /** Where its price came from (`provider/model`, the data's version, bundled | refreshed | override). */
  priceEntry?: string;
  dataVersion?: string;
  costSource?: string;
  /** `file:line` of the request it was read from. */
  where: string;
  /** The probability its trace was sampled with, when its tracestate says (`ot=th:…`); absent: not said. */
  samplingProbability?: number;
  /** Its attribution keys (tenant.id, user.id, feature), when it has any. */
  attribution?: Record<string, string>;
}

/** The attribution keys the conventions document, kept on a call for exports that group by them. */
const ATTRIBUTION_KEYS = [ATTR_TENANT_ID, ATTR_USER_ID, ATTR_FEATURE];

/** Bytes a held span takes, roughly (measured: 1.6 KB with its call's figures), for a memory limit counted in bytes. */
const SPAN_BYTES = 1600;

export class RecordedSpan implements TraceSpan {
  readonly spanId: string;
  /** The parent, as the rollup reads it; '' while held for a span held as a root (see `holdAsRoot`). */
  parentSpanId: string;
  private readonly recordedParent: string;
  readonly traceId: string;
  readonly name: string;
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  readonly statusCode: number;
  readonly attributes: Attributes = {};
  readonly spanClass: SpanClass;
  readonly usage: UsageFigures | undefined;
  readonly pricedElsewhere: PricedCall | undefined;
  /** Its call, when it is an LLM call that was sent; its figures are filled in when the ledger counts it. */
  readonly call: CallRecord | undefined;
  readonly heldBytes = SPAN_BYTES;

  constructor(
    ids: { traceId: string; spanId: string; parentSpanId: string },
    name: string,
    times: { startNanos: bigint; endNanos: bigint },
    statusCode: number,
    enriched: EnrichedSpan,
    where: string,
    traceState?: string,
  ) {
    const { attributes, usage } = enriched;
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
    this.parentSpanId = ids.parentSpanId;
    this.recordedParent = ids.parentSpanId;
    this.name = name;
    this.startNanos = times.startNanos;
    this.endNanos = times.endNanos;
    this.statusCode = statusCode;
    this.spanClass = enriched.spanClass;
    this.usage = usage;
    this.pricedElsewhere = enriched.pricedElsewhere;
    for (const key of ROLLUP_ATTRIBUTES) {
      const value = attributes[key];
      if (value !== undefined) this.attributes[key] = value;
    }
    if (usage === undefined || isRefusedCall(attributes)) return;
    // As collector mode prices it: a span without a start time is priced as of now.
    const startMs = times.startNanos > 0n ? Number(times.startNanos / 1_000_000n) : Date.now();
    this.call = {
      spanId: ids.spanId,
      traceId: ids.traceId,
      description: callDescription(attributes, new Date(startMs)),
      startMs,
      endMs: Number(times.endNanos / 1_000_000n),
      prefixHash: stringAttribute(attributes[ATTR_TOKENLEDGER_REQUEST_PREFIX_HASH]),
      figures: { model: requestModelOf(attributes), failed: statusCode === SpanStatusCode.ERROR, refused: false },
      usageUnknownReason: stringAttribute(attributes[ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON]),
      where,
    };
    this.takeCost(attributes);
    const probability = samplingProbability(traceState);
    if (probability !== undefined) this.call.samplingProbability = probability;
    for (const key of ATTRIBUTION_KEYS) {
      const value = stringAttribute(attributes[key]);
      if (value !== undefined) (this.call.attribution ??= {})[key] = value;
    }
  }

  /** While held, the span counts as its trace's root (TraceStore knows a root by its empty parent). */
  holdAsRoot(): void {
    this.parentSpanId = '';
  }

  /** Once its trace is released: the parent it was recorded with, for the rollup. */
  release(): void {
    this.parentSpanId = this.recordedParent;
  }

  /** The ledger counted the call: its figures, and its usage when every part is known (what re-pricing starts from). */
  counted(figures: CallFigures): void {
    if (this.call === undefined) return;
    this.call.figures = figures;
    this.call.usage = this.usage && figures.tokens ? this.usage : undefined;
  }

  /** What the ledger writes on the span: the commands keep a call's price details, and read run summaries instead. */
  setAttributes(attributes: Attributes): void {
    if (this.call) this.takeCost(attributes);
  }

  private takeCost(attributes: Attributes): void {
    const call = this.call!;
    call.costUnknownReason = stringAttribute(attributes[ATTR_TOKENLEDGER_COST_UNKNOWN_REASON]) ?? call.costUnknownReason;
    call.priceEntry = stringAttribute(attributes[ATTR_TOKENLEDGER_COST_PRICE_ENTRY]) ?? call.priceEntry;
    call.dataVersion = stringAttribute(attributes[ATTR_TOKENLEDGER_COST_DATA_VERSION]) ?? call.dataVersion;
    call.costSource = stringAttribute(attributes[ATTR_TOKENLEDGER_COST_SOURCE]) ?? call.costSource;
  }
}
