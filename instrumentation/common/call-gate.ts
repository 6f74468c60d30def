// The small interface through which the instrumentation asks, before an LLM call or a tool execution is made,
// whether the run it belongs to may spend more. The span processor, which holds the runs' spend, implements it
// and registers itself; the instrumentation never imports the processor. The registration is process-global
// (a Symbol.for key), so the ESM and CJS copies of tokenledger in one process share it.
import type { Span } from '@opentelemetry/api';

export interface PlannedCall {
  provider: string;
  model: string;
  /** A conservative estimate of the prompt's tokens (its characters / 4). */
  estimatedInputTokens: number;
  /** The request's output limit, if it set one. */
  maxOutputTokens?: number;
}

export interface CallDecision {
  /** An output token cap to apply to the request (token caps are off unless configured). */
  maxOutputTokens?: number;
}

export interface CallGate {
  /**
   * Called with the call's span already started. Throws BudgetExceededError or RunawayLoopError when the call
   * must not be sent (enforce mode); otherwise records any breach and returns.
   */
  beforeCall(span: Span, call: PlannedCall): CallDecision | undefined;
  /** Called with the tool's span already started; throws RunawayLoopError when the run must stop (enforce mode). */
  beforeTool(span: Span): void;
}

const KEY = Symbol.for('tokenledger.call-gate');
type Holder = { [KEY]?: CallGate };

export function registerCallGate(gate: CallGate | undefined): void {
  (globalThis as Holder)[KEY] = gate;
}

export function currentCallGate(): CallGate | undefined {
  return (globalThis as Holder)[KEY];
}
