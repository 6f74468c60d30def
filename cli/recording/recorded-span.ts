// A span as the commands hold it while its trace is read: what the rollup reads (the TraceSpan of collector mode's
// trace-rollup.ts: ids, times, status, the ROLLUP_ATTRIBUTES and the call's figures), and for an LLM call what the
// report and the levers need of it. The rest of the span is not kept.
import type { Attributes } from '@opentelemetry/api';
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
import { ROLLUP_ATTRIBUTES, type TraceSpan } from '../../collector/trace-rollup.ts';
import { stringAttribute } from '../../ledger/attribute-values.ts';
import type { CallFigures } from '../../ledger/call-figures.ts';
import { callDescription } from '../../ledger/llm-spans.ts';
import type { CallDescription } from '../../ledger/pricing/call-pricer.ts';
import type { UsageFigures } from '../../ledger/usage-figures.ts';
import { samplingProbability } from './sampling-threshold.ts';

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
  /** What it adds to its runs: tokens, cost, failed, refused. */
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
  readonly figures: CallFigures | undefined;
  readonly call: CallRecord | undefined;
  readonly heldBytes = SPAN_BYTES;

  constructor(
    ids: { traceId: string; spanId: string; parentSpanId: string },
    name: string,
    times: { startNanos: bigint; endNanos: bigint },
    statusCode: number,
    attributes: Attributes,
    figures: CallFigures | undefined,
    usage: UsageFigures | undefined,
    where: string,
    traceState?: string,
  ) {
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
    this.parentSpanId = ids.parentSpanId;
    this.recordedParent = ids.parentSpanId;
    this.name = name;
    this.startNanos = times.startNanos;
    this.endNanos = times.endNanos;
    this.statusCode = statusCode;
    this.figures = figures;
    for (const key of ROLLUP_ATTRIBUTES) if (attributes[key] !== undefined) this.attributes[key] = attributes[key];
    if (figures === undefined || figures.refused) return;
    // As collector mode prices it: a span without a start time is priced as of now.
    const startMs = times.startNanos > 0n ? Number(times.startNanos / 1_000_000n) : Date.now();
    this.call = {
      spanId: ids.spanId,
      traceId: ids.traceId,
      description: callDescription(attributes, new Date(startMs)),
      startMs,
      endMs: Number(times.endNanos / 1_000_000n),
      prefixHash: stringAttribute(attributes[ATTR_TOKENLEDGER_REQUEST_PREFIX_HASH]),
      usage: usage && figures.tokens ? usage : undefined,
      figures,
      usageUnknownReason: stringAttribute(attributes[ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON]),
      costUnknownReason: stringAttribute(attributes[ATTR_TOKENLEDGER_COST_UNKNOWN_REASON]),
      priceEntry: stringAttribute(attributes[ATTR_TOKENLEDGER_COST_PRICE_ENTRY]),
      dataVersion: stringAttribute(attributes[ATTR_TOKENLEDGER_COST_DATA_VERSION]),
      costSource: stringAttribute(attributes[ATTR_TOKENLEDGER_COST_SOURCE]),
      where,
    };
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

  /** The rollup writes run attributes onto run spans; the commands read the run summaries instead. */
  setAttributes(): void {}
}
