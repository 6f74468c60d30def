// One LLM call's span from start to end. A wrapper starts it, feeds it the response (or stream events)
// and ends it exactly once, whichever path gets there first: the parsed body, the end of a stream,
// an early break, an abort or an error. Every method swallows its own failures (reported through diag):
// nothing here may throw into the app.
import { diag, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK } from '../../conventions/attributes.ts';
import { endWithUsage } from '../../ledger/handover.ts';
import { writeUsageAttributes } from '../../ledger/usage-attributes.ts';
import { unknownUsage, usageFigures, type ToolResultShare, type UsageFigures } from '../../ledger/usage-figures.ts';
import type { NormalizedUsage, UsageUnknownReason } from '../../ledger/usage.ts';
import { errorType } from './error-type.ts';

export interface LlmCallOptions {
  legacyAttributes?: boolean;
  /** The tool results' share of the prompt, measured from the request. */
  toolResultShare?: ToolResultShare;
  /** Request attributes not given at span start (written as the call starts, after its span's processors saw it start). */
  requestDetails?: Attributes;
}

export class LlmCall {
  private ended = false;
  private firstChunkSeen = false;
  private usage: NormalizedUsage | undefined;
  /** The cost a gateway reported in a response header (gateway-cost.ts); NaN when malformed. */
  private gatewayCostUsd: number | undefined;
  private readonly startedAt = performance.now();

  readonly span: Span;
  private readonly options: LlmCallOptions;

  // Attributes go on the span as they become known, a few at a time: gathered into one object they made it a
  // dictionary (past 16 keys), and the SDK's loop over such an object cost more than writing each on the span.
  constructor(span: Span, options: LlmCallOptions = {}) {
    this.span = span;
    this.options = options;
    if (options.requestDetails) span.setAttributes(options.requestDetails);
  }

  /** Records the time to the first streamed chunk; call for every chunk, only the first counts. */
  chunk(): void {
    if (this.firstChunkSeen) return;
    this.firstChunkSeen = true;
    this.span.setAttribute(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, (performance.now() - this.startedAt) / 1000);
  }

  setAttributes(attributes: Attributes): void {
    if (!this.ended) this.span.setAttributes(attributes);
  }

  setUsage(usage: NormalizedUsage): void {
    this.usage = usage;
  }

  /** The call's cost as a gateway reported it beside the body; a cost in the body itself is taken first. */
  setGatewayCost(usd: number | undefined): void {
    this.gatewayCostUsd = usd;
  }

  /**
   * Ends the span with the usage recorded so far, or with `reason` when none was. The figures are worked out once,
   * here, and handed to the span processor as the span ends, so it prices and rolls up these very figures.
   */
  end(reasonIfNoUsage: UsageUnknownReason = 'usage_missing'): void {
    if (this.ended) return;
    this.ended = true;
    let figures: UsageFigures | undefined;
    try {
      figures = this.figures(reasonIfNoUsage);
      this.span.setAttributes(writeUsageAttributes(figures, {}, { legacyAttributes: this.options.legacyAttributes }));
    } catch (error) {
      diag.error('tokenledger: could not record usage', error);
    }
    if (figures) endWithUsage(this.span, figures);
    else this.span.end();
  }

  /** Ends the span as failed; the app still receives the very same error. */
  fail(error: unknown, reasonIfNoUsage: UsageUnknownReason = 'usage_missing'): void {
    if (this.ended) return;
    try {
      this.span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
      if (error instanceof Error) this.span.recordException(error);
    } catch (recordError) {
      diag.error('tokenledger: could not record an error', recordError);
    }
    this.end(reasonIfNoUsage);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The call's figures: its usage checked, or unknown for `reason` when none was recorded. */
  private figures(reasonIfNoUsage: UsageUnknownReason): UsageFigures {
    let usage = this.usage;
    if (usage && usage.providerCostUsd === undefined && this.gatewayCostUsd !== undefined) usage = { ...usage, providerCostUsd: this.gatewayCostUsd };
    return usage ? usageFigures(usage, this.options.toolResultShare) : unknownUsage(reasonIfNoUsage);
  }
}
