// The guardrail seam, made explicit: tokenledger's instrumentation and `tool()` ask one process-wide call gate
// before each LLM call and tool execution. Constructing a processor registers nothing; `startTokenledger` (and so
// the register entry) calls this, and an app that builds its own NodeSDK calls it with its processor.
import { currentCallGate, registerCallGate } from '../../instrumentation/common/call-gate.ts';
import type { TokenledgerSpanProcessor } from '../span-processor.ts';

/**
 * Makes `processor`'s guardrails (budgets, the loop breaker, token caps) the ones asked before each call and tool,
 * replacing any registered before. Returns a function that unregisters them. A processor with runs off has none.
 */
export function enableGuardrails(processor: TokenledgerSpanProcessor): () => void {
  const gate = processor.callGate;
  if (gate === undefined) return () => {};
  registerCallGate(gate);
  return () => {
    if (currentCallGate() === gate) registerCallGate(undefined);
  };
}
