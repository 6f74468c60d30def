// tokenledger's span processor. Today it normalises LLM call spans that provider SDKs make of themselves
// (so every call span carries the six token types, whoever made it); pricing and the per-run rollup build
// on it. It writes only in `onEnding`, the last moment a span can still take attributes, and holds no state.
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ANTHROPIC_SDK_SCOPE, anthropicSdkSpanAttributes } from './sdk-native-spans.ts';

export class TokenledgerSpanProcessor implements SpanProcessor {
  private stopped = false;

  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    if (this.stopped) return;
    try {
      if (span.instrumentationScope.name === ANTHROPIC_SDK_SCOPE) {
        span.setAttributes(anthropicSdkSpanAttributes(span.attributes));
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
}
