// Who makes a Messages call's span when `@anthropic-ai/sdk` traces its own calls: one call must be one span
// carrying usage. In `keep` mode the SDK's span is the call's span and tokenledger stands aside for it; in
// `suppress` mode tokenledger makes the span and the SDK starts none for that call. Only the call spans of the
// Messages API are suppressed, the calls tokenledger records itself: every other span the SDK makes stays.
//
// The SDK starts a call span through `startApiCallSpan(client, name, options, settings)` in `internal/tracing`,
// read from that module's exports at every call; it treats an undefined result as "tracing off for this call"
// (the API call then runs untraced). The stream helpers start it before they call `create()`, passing it down as
// `options.__span`, so suppressing it at its start covers them too.
//
// A client keeps the SDK's spans whatever the mode when the app chose them: it was given its own
// `openTelemetry.tracerProvider`, or the app set ANTHROPIC_OPEN_TELEMETRY. The environment is only read, never
// written (the app and its child processes see what they were started with).

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Client = { _tracer?: unknown; openTelemetry?: { tracerProvider?: unknown } };

/** True when the app asked for the SDK's own spans for this client, which `suppress` then leaves alone. */
function appChoseSdkSpans(client: Client | undefined): boolean {
  return process.env.ANTHROPIC_OPEN_TELEMETRY !== undefined || client?.openTelemetry?.tracerProvider !== undefined;
}

/** The span name the SDK gives the Messages calls (`messages.create` and `beta.messages.create` alike). */
const MESSAGES_CALL = 'anthropic.messages.create';

export function suppressedCallSpans(startApiCallSpan: Method, suppressing: () => boolean): Method {
  return function (this: unknown, ...args: unknown[]) {
    const [client, name, options] = args as [Client | undefined, unknown, { __span?: unknown } | undefined];
    // A span a helper already started is the call's span whatever we do: pass it on.
    if (name === MESSAGES_CALL && !options?.__span && suppressing() && !appChoseSdkSpans(client)) return undefined;
    return startApiCallSpan.apply(this, args);
  };
}

/**
 * True when the SDK makes its own span for this call, so tokenledger makes none: a helper such as
 * `messages.stream()` already started it and passes it down as `__span`, or the client's tracer is on and the SDK's
 * spans are not being suppressed for it.
 */
export function sdkTracesCall(resource: unknown, args: unknown[], suppressing: boolean): boolean {
  const options = args[1] as { __span?: unknown } | undefined;
  if (options && typeof options === 'object' && options.__span) return true;
  const client = (resource as { _client?: Client } | undefined)?._client;
  return Boolean(client?._tracer) && (!suppressing || appChoseSdkSpans(client));
}
