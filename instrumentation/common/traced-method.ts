// The thin wrapper every Stainless SDK patch uses: plan the call's span from its arguments, call the original
// inside the span's context, and observe the SDK's own return value. If anything of ours fails before the
// call, the original is called as if we were not there.
import { context, diag, SpanKind, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { LlmCall } from './llm-call.ts';
import type { ToolResultShare } from './prompt-shape.ts';
import { observeAPIPromise } from './stainless.ts';

export interface CallPlan {
  spanName: string;
  attributes: Attributes;
  toolResultShare?: ToolResultShare;
  /** The arguments the original is called with: the app's own, or a copy when the request is changed. */
  args: unknown[];
  /** Reads the parsed body (and ends the call) or wraps the returned stream (which ends it later). */
  observe(value: unknown, call: LlmCall): void;
}

export interface TracedMethodHost {
  readonly tracer: Tracer;
  isEnabled(): boolean;
  readonly legacyAttributes: boolean;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

export function tracedStainlessMethod(
  host: TracedMethodHost,
  original: Method,
  plan: (self: unknown, args: unknown[]) => CallPlan | undefined,
): Method {
  return function tracedMethod(this: unknown, ...args: unknown[]) {
    if (!host.isEnabled()) return original.apply(this, args);
    let started: { call: LlmCall; plan: CallPlan } | undefined;
    try {
      started = startCall(host, plan(this, args));
    } catch (error) {
      diag.error('tokenledger: could not start an LLM call span', error);
    }
    if (!started) return original.apply(this, args);
    const { call, plan: callPlan } = started;
    let result: unknown;
    try {
      result = context.with(trace.setSpan(context.active(), call.span), () => original.apply(this, callPlan.args));
    } catch (error) {
      call.fail(error);
      throw error;
    }
    return observeAPIPromise(result, call, {
      onValue: (value) => callPlan.observe(value, call),
      onError: (error) => call.fail(error),
    });
  };
}

export function startCall(host: TracedMethodHost, plan: CallPlan | undefined) {
  if (!plan) return undefined;
  const span = host.tracer.startSpan(plan.spanName, { kind: SpanKind.CLIENT, attributes: plan.attributes });
  const call = new LlmCall(span, { legacyAttributes: host.legacyAttributes, toolResultShare: plan.toolResultShare });
  return { call, plan };
}
