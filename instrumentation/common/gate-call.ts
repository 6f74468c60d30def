// Asks the registered call gate (the span processor's guardrails) about a call before it is sent. A guardrail
// error in enforce mode stops the call; any other failure of guardrail code is logged and the call proceeds.
import { diag } from '@opentelemetry/api';
import { ATTR_GEN_AI_REQUEST_MAX_TOKENS, ATTR_TOKENLEDGER_REQUEST_MAX_TOKENS_CAP } from '../../conventions/attributes.ts';
import { currentCallGate, type PlannedCall } from './call-gate.ts';
import type { LlmCall } from './llm-call.ts';

export interface GatedRequest {
  planned: PlannedCall;
  /**
   * The call's arguments with the output limit set to `cap` (a copy; the app's objects are never changed). Absent
   * where the request cannot be changed once planned (the AI SDK's and Mastra's model calls): no cap is applied.
   */
  withMaxTokens?(cap: number): unknown[];
}

export type GateOutcome = { args: unknown[] | undefined } | { stop: Error };

/** The outcome of a call no gate changed (one object for every call: most calls have no gate or no cap). */
const UNCHANGED: GateOutcome = Object.freeze({ args: undefined });

export function isGuardError(error: unknown): error is Error {
  return error instanceof Error && (error.name === 'BudgetExceededError' || error.name === 'RunawayLoopError');
}

/**
 * `args` is set when the request was changed (a token cap); `stop` when the call must not be sent, in which case
 * the call's span has already ended as failed with that error.
 */
export function gateCall(call: LlmCall, describe: (() => GatedRequest) | undefined): GateOutcome {
  const gate = currentCallGate();
  if (!gate || !describe) return UNCHANGED;
  try {
    const request = describe();
    const decision = gate.beforeCall(call.span, request.planned);
    const cap = decision?.maxOutputTokens;
    if (cap === undefined || request.withMaxTokens === undefined) return UNCHANGED;
    call.setAttributes({ [ATTR_TOKENLEDGER_REQUEST_MAX_TOKENS_CAP]: cap, [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: cap });
    return { args: request.withMaxTokens(cap) };
  } catch (error) {
    if (isGuardError(error)) {
      call.fail(error);
      return { stop: error };
    }
    diag.error('tokenledger: a guardrail failed; the call proceeds', error);
    return UNCHANGED;
  }
}

/** A rejected stand-in for an SDK's APIPromise, with the methods helpers call on it. */
export function rejectedAPIPromise(error: Error): Promise<never> {
  const promise = Promise.reject(error);
  return Object.assign(promise, {
    withResponse: () => promise,
    asResponse: () => promise,
    parse: () => promise,
    _thenUnwrap: () => rejectedAPIPromise(error),
  });
}

/**
 * The gate description of a request whose output limit is a top-level body field (`max_tokens`,
 * `max_completion_tokens`, `max_output_tokens`); `args[0]` is the body.
 */
export function bodyGate(provider: string, args: unknown[], maxTokensKey: string, promptChars: number): GatedRequest {
  const body = args[0] as Record<string, unknown>;
  const limit = body[maxTokensKey];
  return {
    planned: {
      provider,
      model: String(body.model ?? ''),
      estimatedInputTokens: estimatedTokens(promptChars),
      maxOutputTokens: typeof limit === 'number' && Number.isFinite(limit) ? limit : undefined,
    },
    withMaxTokens: (cap) => [{ ...body, [maxTokensKey]: cap }, ...args.slice(1)],
  };
}

/** Estimated prompt tokens from its characters: about 4 a token, rounded up (conservative for budgets). */
export function estimatedTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
