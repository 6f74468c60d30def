// The thin wrapper every Stainless SDK patch uses: plan the call's span from its arguments, call the original
// inside the span's context, and observe the SDK's own return value. If anything of ours fails before the
// call, the original is called as if we were not there.
import { context, diag, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { callParentContext } from './framework-context.ts';
import { gateCall, rejectedAPIPromise, type GatedRequest } from './gate-call.ts';
import { LlmCall } from './llm-call.ts';
import type { ToolResultShare } from './prompt-shape.ts';
import type { RequestAttributes } from './request-attributes.ts';
import { observeAPIPromise } from './stainless.ts';

export interface CallPlan {
  spanName: string;
  attributes: RequestAttributes;
  toolResultShare?: ToolResultShare;
  /** The arguments the original is called with: the app's own, or a copy when the request is changed. */
  args: unknown[];
  /** Reads the parsed body (and ends the call) or wraps the returned stream (which ends it later). */
  observe(value: unknown, call: LlmCall): void;
  /** What the guardrails need to judge the call before it is sent (built only when a gate is registered). */
  gate?: () => GatedRequest;
}

export interface TracedMethodHost {
  readonly tracer: Tracer;
  isEnabled(): boolean;
  readonly legacyAttributes: boolean;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

export function tracedStainlessMethod(host: TracedMethodHost, original: Method, plan: (self: unknown, args: unknown[]) => CallPlan | undefined): Method {
  return function tracedMethod(this: unknown, ...args: unknown[]) {
    if (!host.isEnabled()) return original.apply(this, args);
    let callPlan: CallPlan | undefined;
    let call: LlmCall | undefined;
    try {
      callPlan = plan(this, args);
      if (callPlan) call = startCall(host, callPlan);
    } catch (error) {
      diag.error('tokenledger: could not start an LLM call span', error);
    }
    if (!call || !callPlan) return original.apply(this, args);
    const plannedCall = callPlan;
    const gated = gateCall(call, plannedCall.gate);
    if ('stop' in gated) return rejectedAPIPromise(gated.stop);
    const callArgs = gated.args ?? plannedCall.args;
    const result = callInSpan(call, () => original.apply(this, callArgs));
    return observeAPIPromise(result, call, plannedCall);
  };
}

/** Starts the CLIENT span of one LLM call, under the active span or a framework's current agent or tool span. */
export function startCall(host: TracedMethodHost, plan: Pick<CallPlan, 'spanName' | 'attributes' | 'toolResultShare'>): LlmCall {
  const span = host.tracer.startSpan(plan.spanName, { kind: SpanKind.CLIENT, attributes: plan.attributes.atStart }, callParentContext());
  return new LlmCall(span, {
    legacyAttributes: host.legacyAttributes,
    toolResultShare: plan.toolResultShare,
    requestDetails: plan.attributes.details,
  });
}

/** Runs the SDK's method with the call's span active; a synchronous throw fails the call and reaches the app. */
export function callInSpan<T>(call: LlmCall, fn: () => T): T {
  try {
    return context.with(trace.setSpan(context.active(), call.span), fn);
  } catch (error) {
    call.fail(error);
    throw error;
  }
}
