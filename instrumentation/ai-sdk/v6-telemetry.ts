// AI SDK 6 with no code change. AI SDK 6 offers integrations no per-call hook (its integration events carry no call
// id, no error and no model call), but it traces itself when asked: `experimental_telemetry: { isEnabled: true }`
// makes one `ai.*.doGenerate` / `doStream` span per provider call with its usage, read by ledger/sources/ai-sdk.ts.
// So `generateText`, `streamText`, `generateObject`, `streamObject`, `embed` and `embedMany` are wrapped to ask for it when the app did not decide (an app's own
// `experimental_telemetry`, `isEnabled: false` included, is left exactly as it is), with what tokenledger records
// and nothing more. Inputs are not recorded. Outputs are, because the provider metadata among them carries what
// prices the call (Anthropic's cache-write TTL split, the served tier), but through a tracer that keeps of them
// only that metadata, reduced to its usage and tier, and the response's id, model, finish reason and timings: no
// completion, reasoning, tool call or tool result reaches a span. The tracer also drops the request headers the AI
// SDK copies onto its spans (the `headers` option can carry credentials), except the user agent.
import { trace, type Attributes, type AttributeValue, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';

const HEADER_PREFIX = 'ai.request.headers.';
const USER_AGENT = 'ai.request.headers.user-agent';
const RESPONSE_PREFIX = 'ai.response.';
const PROVIDER_METADATA = 'ai.response.providerMetadata';
/** The response attributes kept: none of them is content. */
const RESPONSE_KEPT = new Set(
  ['id', 'model', 'timestamp', 'finishReason', 'msToFirstChunk', 'msToFinish', 'avgOutputTokensPerSecond', 'avgCompletionTokensPerSecond'].map(
    (key) => RESPONSE_PREFIX + key,
  ),
);
/** Output attributes of other spans that are content. */
const CONTENT = new Set(['ai.toolCall.result', 'ai.toolCall.args']);
/** What is kept of each provider's metadata. */
const METADATA_KEPT = ['usage', 'serviceTier', 'cacheCreationInputTokens'];

type Options = Record<string, unknown> & { experimental_telemetry?: unknown };

/** The call's options with telemetry on, when the app set none; the app's own object is never changed. */
export function withTelemetry(options: unknown, recordOutputs = true): unknown {
  if (typeof options !== 'object' || options === null) return options;
  const given = options as Options;
  if (given.experimental_telemetry !== undefined) return options;
  return { ...given, experimental_telemetry: { isEnabled: true, recordInputs: false, recordOutputs, tracer: headerlessTracer() } };
}

/** The AI SDK's default tracer (`ai`, from the global provider at call time), keeping only what tokenledger needs. */
function headerlessTracer(): Tracer {
  const tracer = trace.getTracer('ai');
  return {
    startSpan: (name: string, options?: SpanOptions, context?: Context) => headerless(tracer.startSpan(name, withoutHeaders(options), context)),
    startActiveSpan: ((name: string, ...rest: unknown[]) => {
      const fn = rest.pop() as (span: Span) => unknown;
      const [options, context] = rest as [SpanOptions | undefined, Context | undefined];
      const run = (span: Span) => fn(headerless(span));
      return context === undefined
        ? tracer.startActiveSpan(name, withoutHeaders(options) ?? {}, run)
        : tracer.startActiveSpan(name, withoutHeaders(options) ?? {}, context, run);
    }) as Tracer['startActiveSpan'],
  };
}

function withoutHeaders(options: SpanOptions | undefined): SpanOptions | undefined {
  return options?.attributes ? { ...options, attributes: filtered(options.attributes) } : options;
}

function filtered(attributes: Attributes): Attributes {
  let kept: Attributes | undefined;
  for (const key in attributes) {
    if (key === PROVIDER_METADATA) {
      kept ??= { ...attributes };
      const reduced = reducedMetadata(attributes[key]);
      if (reduced === undefined) delete kept[key];
      else kept[key] = reduced;
    } else if (dropped(key)) {
      kept ??= { ...attributes };
      delete kept[key];
    }
  }
  return kept ?? attributes;
}

function dropped(key: string): boolean {
  if (key.startsWith(HEADER_PREFIX)) return key !== USER_AGENT;
  if (key.startsWith(RESPONSE_PREFIX)) return !RESPONSE_KEPT.has(key);
  return CONTENT.has(key);
}

/** Each provider's metadata reduced to its usage and tier (no logprobs, sources or other content). */
function reducedMetadata(value: AttributeValue | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const metadata = JSON.parse(value) as Record<string, unknown>;
    const reduced: Record<string, Record<string, unknown>> = {};
    for (const provider in metadata) {
      const entry = metadata[provider];
      if (typeof entry !== 'object' || entry === null) continue;
      for (const key of METADATA_KEPT) {
        const kept = (entry as Record<string, unknown>)[key];
        if (kept !== undefined) (reduced[provider] ??= {})[key] = kept;
      }
    }
    return JSON.stringify(reduced);
  } catch {
    return undefined;
  }
}

/** The span with what `filtered` drops dropped from what is set on it later too. */
function headerless(span: Span): Span {
  return new Proxy(span, {
    get(target, property, receiver) {
      if (property === 'setAttributes') {
        return (attributes: Attributes) => {
          target.setAttributes(filtered(attributes));
          return receiver;
        };
      }
      if (property === 'setAttribute') {
        return (key: string, value: AttributeValue) => {
          if (key === PROVIDER_METADATA) {
            const reduced = reducedMetadata(value);
            if (reduced !== undefined) target.setAttribute(key, reduced);
          } else if (!dropped(key)) {
            target.setAttribute(key, value);
          }
          return receiver;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
