// One LLM call's span from start to end. A wrapper starts it, feeds it the response (or stream events)
// and ends it exactly once, whichever path gets there first: the parsed body, the end of a stream,
// an early break, an abort or an error. Every method swallows its own failures (reported through diag):
// nothing here may throw into the app.
import { diag, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION,
  ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON,
} from '../../conventions/attributes.ts';
import { errorType } from './error-type.ts';
import type { ToolResultShare } from './prompt-shape.ts';
import { usageAttributes, type NormalizedUsage, type UsageUnknownReason } from './usage.ts';

export interface LlmCallOptions {
  legacyAttributes?: boolean;
  /** The tool results' share of the prompt, measured from the request. */
  toolResultShare?: ToolResultShare;
  /** Request attributes not given at span start: the call adds the response's to this object and writes it at the end. */
  requestDetails?: Attributes;
}

export class LlmCall {
  private ended = false;
  private firstChunkSeen = false;
  private usage: NormalizedUsage | undefined;
  /** Request details and response attributes gathered until the end, then written in one call. */
  private readonly pending: Attributes;
  private readonly startedAt = performance.now();

  readonly span: Span;
  private readonly options: LlmCallOptions;

  constructor(span: Span, options: LlmCallOptions = {}) {
    this.span = span;
    this.options = options;
    this.pending = options.requestDetails ?? {};
  }

  /** Records the time to the first streamed chunk; call for every chunk, only the first counts. */
  chunk(): void {
    if (this.firstChunkSeen) return;
    this.firstChunkSeen = true;
    this.pending[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = (performance.now() - this.startedAt) / 1000;
  }

  setAttributes(attributes: Attributes): void {
    if (!this.ended) Object.assign(this.pending, attributes);
  }

  setUsage(usage: NormalizedUsage): void {
    this.usage = usage;
  }

  /** Ends the span with the usage recorded so far, or with `reason` when none was. */
  end(reasonIfNoUsage: UsageUnknownReason = 'usage_missing'): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.span.setAttributes(this.withUsageAttributes(reasonIfNoUsage));
    } catch (error) {
      diag.error('tokenledger: could not record usage', error);
    }
    this.span.end();
  }

  /** Ends the span as failed; the app still receives the very same error. */
  fail(error: unknown, reasonIfNoUsage: UsageUnknownReason = 'usage_missing'): void {
    if (this.ended) return;
    try {
      this.pending[ATTR_ERROR_TYPE] = errorType(error);
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

  /** The pending attributes with the usage's added. */
  private withUsageAttributes(reasonIfNoUsage: UsageUnknownReason): Attributes {
    const attributes = this.pending;
    if (!this.usage) {
      attributes[ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON] = reasonIfNoUsage;
      return attributes;
    }
    usageAttributes(this.usage, { legacyAttributes: this.options.legacyAttributes }, attributes);
    const toolTokens = toolResultTokens(this.usage, this.options.toolResultShare);
    if (toolTokens !== undefined) {
      attributes[ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS] = toolTokens;
      attributes[ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_ESTIMATION] = 'char_share';
    }
    return attributes;
  }
}

/**
 * Tool-result input tokens: the provider-reported input apportioned by the tool results' share of the
 * prompt text, plus what the provider itself reports for server-side tools (Gemini). No offline tokenizer
 * matches Claude's or Gemini's counts, so a raw tokenizer count is never used as billed tokens.
 */
export function toolResultTokens(usage: NormalizedUsage, share: ToolResultShare | undefined): number | undefined {
  if (usage.inputTokens === undefined) return undefined;
  const server = usage.serverToolInputTokens ?? 0;
  if (!share) return server > 0 ? server : undefined;
  if (share.totalChars === 0) return server;
  const promptTokens = usage.inputTokens - server;
  return Math.round((promptTokens * share.toolChars) / share.totalChars) + server;
}
