// The OpenTelemetry SDK parts the register entry sets up from the standard OTEL_* variables, as NodeSDK would,
// without NodeSDK: it loads every exporter, gRPC, Zipkin, B3 and the logs SDK whatever the configuration asks for.
// Each part here is loaded (packageRequire) only by the register entry, never by `import 'tokenledger'`.
import { diag, type TextMapPropagator } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { Sampler, SpanLimits } from '@opentelemetry/sdk-trace';
import { listFromEnv, numberFromEnv, stringFromEnv } from './env.ts';
import { packageRequire } from '../package-require.cjs';

type Resources = typeof import('@opentelemetry/resources');
type SdkTrace = typeof import('@opentelemetry/sdk-trace');
type Core = typeof import('@opentelemetry/core');

/** The resource: the SDK defaults, the detectors OTEL_NODE_RESOURCE_DETECTORS names (default all), OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES. */
export function resourceFromEnv(): Resource {
  const resources = packageRequire('@opentelemetry/resources') as Resources;
  const known = {
    serviceinstance: resources.serviceInstanceIdDetector,
    process: resources.processDetector,
    host: resources.hostDetector,
    os: resources.osDetector,
    env: resources.envDetector,
  };
  const names = listFromEnv('OTEL_NODE_RESOURCE_DETECTORS') ?? ['all'];
  const detectors = names.includes('all')
    ? Object.values(known)
    : names.includes('none')
      ? []
      : names.flatMap((name) => {
          const detector = known[name as keyof typeof known];
          if (!detector)
            diag.warn(`tokenledger: unknown resource detector "${name}" in OTEL_NODE_RESOURCE_DETECTORS; known: ${Object.keys(known).join(', ')}, all, none`);
          return detector ? [detector] : [];
        });
  // The env detector reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; it runs even when detectors are off.
  const all = detectors.includes(resources.envDetector) ? detectors : [...detectors, resources.envDetector];
  return resources.defaultResource().merge(resources.detectResources({ detectors: all }));
}

/** OTEL_PROPAGATORS (default tracecontext,baggage); null for `none`. B3 is loaded only when named. */
export function propagatorFromEnv(): TextMapPropagator | null {
  const core = packageRequire('@opentelemetry/core') as Core;
  const names = [...new Set(listFromEnv('OTEL_PROPAGATORS') ?? ['tracecontext', 'baggage'])];
  if (names.includes('none')) return null;
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === 'tracecontext') propagators.push(new core.W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new core.W3CBaggagePropagator());
    else if (name === 'b3' || name === 'b3multi') {
      const b3 = packageRequire('@opentelemetry/propagator-b3') as typeof import('@opentelemetry/propagator-b3');
      propagators.push(new b3.B3Propagator(name === 'b3multi' ? { injectEncoding: b3.B3InjectEncoding.MULTI_HEADER } : {}));
    } else diag.warn(`tokenledger: unknown propagator "${name}" in OTEL_PROPAGATORS; known: tracecontext, baggage, b3, b3multi, none`);
  }
  if (propagators.length === 0) return null;
  return propagators.length === 1 ? propagators[0]! : new core.CompositePropagator({ propagators });
}

/** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG; undefined for the SDK's default (parent-based, always on). */
export function samplerFromEnv(): Sampler | undefined {
  const name = stringFromEnv('OTEL_TRACES_SAMPLER');
  if (name === undefined) return undefined;
  const trace = packageRequire('@opentelemetry/sdk-trace') as SdkTrace;
  const ratio = () => {
    const value = numberFromEnv('OTEL_TRACES_SAMPLER_ARG');
    if (value !== undefined && value >= 0 && value <= 1) return value;
    diag.warn(`tokenledger: OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1; using 1`);
    return 1;
  };
  switch (name) {
    case 'always_on':
      return new trace.AlwaysOnSampler();
    case 'always_off':
      return new trace.AlwaysOffSampler();
    case 'parentbased_always_on':
      return new trace.ParentBasedSampler({ root: new trace.AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new trace.ParentBasedSampler({ root: new trace.AlwaysOffSampler() });
    case 'traceidratio':
      return new trace.TraceIdRatioBasedSampler(ratio());
    case 'parentbased_traceidratio':
      return new trace.ParentBasedSampler({ root: new trace.TraceIdRatioBasedSampler(ratio()) });
    default:
      diag.warn(`tokenledger: unknown OTEL_TRACES_SAMPLER "${name}"; using the default (parentbased_always_on)`);
      return undefined;
  }
}

/** The OTEL_SPAN_* and OTEL_ATTRIBUTE_* limits. */
export function spanLimitsFromEnv(): SpanLimits {
  return {
    attributeCountLimit: numberFromEnv('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? numberFromEnv('OTEL_ATTRIBUTE_COUNT_LIMIT'),
    attributeValueLengthLimit: numberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? numberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    eventCountLimit: numberFromEnv('OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: numberFromEnv('OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: numberFromEnv('OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT'),
    attributePerLinkCountLimit: numberFromEnv('OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT'),
  };
}
