// The export processors behind tokenledger's span processor (its `spanProcessors` option): every span is passed on
// to them as it ends, after tokenledger wrote its figures, except a run's root whose rollup waits for calls still
// open under it: that one is held until the rollup is written, then passed on with the run's attributes, so the
// exported root is the whole run. Held roots are bounded (`maxHeld`, oldest passed on first, as they ended).
import { diag, type Attributes, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { OldestFirstMap, OldestFirstSet } from '../base/oldest-first.ts';

export class HeldExports {
  private readonly processors: readonly SpanProcessor[];
  /** Roots marked to wait, whose onEnd has not come yet (it comes right after onEnding). */
  private readonly waiting = new OldestFirstSet<string>();
  private readonly held = new OldestFirstMap<string, ReadableSpan>();
  private readonly maxHeld: number;

  constructor(processors: readonly SpanProcessor[], maxHeld: number) {
    this.processors = processors;
    this.maxHeld = maxHeld;
  }

  // Each export processor is called in a try of its own (no closure per span and processor): one that fails is logged.
  onStart(span: Span, parentContext: Context): void {
    for (const processor of this.processors) {
      try {
        processor.onStart(span, parentContext);
      } catch (error) {
        failed(error);
      }
    }
  }

  onEnding(span: Span): void {
    for (const processor of this.processors) {
      try {
        processor.onEnding?.(span);
      } catch (error) {
        failed(error);
      }
    }
  }

  /** The root with this id waits for its run's rollup: its export is held when it ends. */
  hold(spanId: string): void {
    if (this.waiting.size >= this.maxHeld) this.waiting.delete(this.waiting.oldest()!);
    this.waiting.add(spanId);
  }

  onEnd(span: ReadableSpan): void {
    const spanId = span.spanContext().spanId;
    if (!this.waiting.delete(spanId)) {
      this.pass(span);
      return;
    }
    if (this.held.size >= this.maxHeld) {
      const oldest = this.held.oldest()!;
      const evicted = this.held.get(oldest)!;
      this.held.delete(oldest);
      this.pass(evicted);
    }
    this.held.set(spanId, span);
  }

  /** The held root's run was rolled up: it is passed on with the run's attributes. */
  release(spanId: string, attributes: Attributes): void {
    const span = this.held.get(spanId);
    if (span === undefined) return;
    this.held.delete(spanId);
    this.pass(withAttributes(span, attributes));
  }

  forceFlush(): Promise<void> {
    return Promise.all(this.processors.map((processor) => processor.forceFlush())).then(() => undefined);
  }

  /** Passes on whatever is still held (as it ended), then shuts the export processors down. */
  shutdown(): Promise<void> {
    for (const span of this.held.values()) this.pass(span);
    this.held.clear();
    return Promise.all(this.processors.map((processor) => processor.shutdown())).then(() => undefined);
  }

  private pass(span: ReadableSpan): void {
    for (const processor of this.processors) {
      try {
        processor.onEnd(span);
      } catch (error) {
        failed(error);
      }
    }
  }
}

/** The ended span as exporters read it, with more attributes (its own object is not changed after its end). */
function withAttributes(span: ReadableSpan, attributes: Attributes): ReadableSpan {
  return Object.create(span, { attributes: { value: { ...span.attributes, ...attributes }, enumerable: true } }) as ReadableSpan;
}

function failed(error: unknown): void {
  diag.error('tokenledger: an export processor failed', error);
}
