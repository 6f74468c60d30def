// Numbers that survive trace sampling. OpenTelemetry's rule is that metrics are not sampled, and tokenledger's
// figures (the cost and token counters, the runs, the budgets) come from ended spans: so every span must reach its
// processor, whatever the sampler keeps. This wrapper asks the app's sampler and turns its "drop" into "record, do
// not sample" (SamplingDecision.RECORD): the span is recorded, so tokenledger's processor prices it, counts it and
// rolls it into its run, and the guardrails act on it; its trace flags still say unsampled, so the exporters (the
// SDK's batch and simple processors export sampled spans only) and the services downstream keep the app's choice.
// A decision to sample is passed on as it is, trace state (a probability sampler's `ot=th:`) included.
//
// Cost: an unsampled span is now recorded instead of being a no-op, as a sampled one is minus its export.
import { SamplingDecision, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { packageRequire } from '../package-require.cjs';
import { samplerFromEnv } from './sdk-components.ts';

class RecordUnsampled implements Sampler {
  private readonly sampler: Sampler;

  constructor(sampler: Sampler) {
    this.sampler = sampler;
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const result = this.sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision !== SamplingDecision.NOT_RECORD) return result;
    return { decision: SamplingDecision.RECORD, attributes: result.attributes, traceState: result.traceState };
  }

  toString(): string {
    return `TokenledgerSampler{${this.sampler.toString()}}`;
  }
}

/**
 * The sampler to give the SDK so tokenledger's figures are exact whatever `sampler` keeps: `sampler` decides what is
 * exported; every span is recorded. Default: the one OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG name, else the
 * SDK's default (parent-based, always on).
 */
export function tokenledgerSampler(sampler?: Sampler): Sampler {
  if (sampler instanceof RecordUnsampled) return sampler;
  return new RecordUnsampled(sampler ?? samplerFromEnv() ?? defaultSampler());
}

function defaultSampler(): Sampler {
  const trace = packageRequire('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  return new trace.ParentBasedSampler({ root: new trace.AlwaysOnSampler() });
}
