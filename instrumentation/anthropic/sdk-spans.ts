// Which Anthropic clients keep the SDK's own spans. `@anthropic-ai/sdk` 1.x decides once per client, in its
// constructor: it settles the `openTelemetry` option (the client option, else the ANTHROPIC_OPEN_TELEMETRY*
// variables) and stores `this._tracer = getTracer(…)`, undefined when its spans are off; every traced path then
// asks `client._tracer`. To turn them off without touching process.env (which the app and its child processes
// would see), an accessor on `BaseAnthropic.prototype` receives that one assignment and stores the decision as
// the client's own property, exactly as the constructor would have: the client then looks and behaves as one
// built with ANTHROPIC_OPEN_TELEMETRY=false, and nothing outside it changes.
//
// Only clients whose calls tokenledger records itself are turned off: a plain Anthropic client (its instrumentation
// scope names no platform; the Bedrock and Vertex clients name theirs) tracing through the global tracer provider,
// while the app has not set ANTHROPIC_OPEN_TELEMETRY. A client given its own `tracerProvider` keeps its spans.
type Prototype = Record<string, unknown>;

interface AnthropicClientShape {
  openTelemetry?: { tracerProvider?: unknown };
  _instrumentationScope?: () => { platform?: unknown };
}

/** Whether tokenledger turns this client's own spans off; `enabled` says whether tokenledger records its calls. */
export function turnsSdkSpansOff(client: AnthropicClientShape, enabled: boolean): boolean {
  if (!enabled || process.env.ANTHROPIC_OPEN_TELEMETRY !== undefined) return false;
  if (client.openTelemetry?.tracerProvider !== undefined) return false;
  const scope = typeof client._instrumentationScope === 'function' ? client._instrumentationScope() : undefined;
  return scope !== undefined && scope.platform === undefined;
}

const TRACER = '_tracer';

/** Installs the accessor that decides each new client's `_tracer`; `shouldTurnOff` is asked once per client. */
export function decideSdkSpans(prototype: Prototype, shouldTurnOff: (client: AnthropicClientShape) => boolean): void {
  Object.defineProperty(prototype, TRACER, {
    configurable: true,
    get: () => undefined,
    set(this: AnthropicClientShape, tracer: unknown) {
      let value = tracer;
      try {
        if (tracer !== undefined && shouldTurnOff(this)) value = undefined;
      } catch {
        value = tracer;
      }
      // The property the constructor's assignment would have made: own, writable, enumerable.
      Object.defineProperty(this, TRACER, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/** Removes the accessor: clients made from now on decide for themselves again. */
export function undecideSdkSpans(prototype: Prototype): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, TRACER);
  if (descriptor?.set) delete prototype[TRACER];
}
