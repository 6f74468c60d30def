// The running totals of one agent run while it is in flight: O(1) to update per span, bounded in size.
import type { Span } from '@opentelemetry/api';
import { emptyCost, emptyTokens, type CallFigures, type CostTotals, type TokenTotals } from './call-figures.ts';

/** What a run's guardrails track beside its totals (see processor/guardrails). */
export interface RunGuardState {
  /** Estimates of calls in flight, reserved so parallel calls cannot all slip under one budget. */
  reserved: { usd: number; steps: number; input: number; output: number };
  breaches: number;
  firstBreach?: string;
  consecutiveCallFailures: number;
  consecutiveToolFailures: number;
  /** Executions per tool name + argument hash (bounded; made at the run's first tool call). */
  toolRepeats?: Map<string, number>;
}

/** Input tokens per step are kept for the first this many steps (the attribute shows the first 64). */
export const MAX_TRACKED_STEPS = 256;

export class RunState {
  readonly id: string;
  readonly traceId: string;
  /** `gen_ai.agent.name` of the run span (else its span name): the key KPIs and learned ideals group by. */
  readonly agentName: string;
  readonly startedAt: number;
  /**
   * An explicit run (invoke_agent, OpenInference AGENT) is always reported; an implicit one (a local root span)
   * only when an LLM call or tool execution happened under it, so an app's plain request spans stay untouched.
   */
  explicit = true;
  steps = 0;
  toolCalls = 0;
  toolErrors = 0;
  failedCalls = 0;
  retries = 0;
  unpricedCalls = 0;
  usefulOutput = 0;
  readonly tokens: TokenTotals = emptyTokens();
  readonly cost: CostTotals = emptyCost();
  readonly inputPerStep: number[] = [];
  /** Some of the run's spans were lost (evicted, or ended after the run was rolled up). */
  incomplete = false;
  /** Set when the run has been rolled up or evicted: later figures are late. */
  closed = false;
  /** The model of the last call that failed, until the next call shows whether it was retried. */
  private failedModel: string | undefined;
  /** The run's span, for guardrail events. */
  span: Span | undefined;
  readonly guard: RunGuardState = {
    reserved: { usd: 0, steps: 0, input: 0, output: 0 },
    breaches: 0,
    consecutiveCallFailures: 0,
    consecutiveToolFailures: 0,
  };

  constructor(id: string, traceId: string, agentName: string, startedAt: number) {
    this.id = id;
    this.traceId = traceId;
    this.agentName = agentName;
    this.startedAt = startedAt;
  }

  addCall(call: CallFigures): void {
    this.steps += 1;
    // A call to the same model right after a failed one repeats it: that is a retry.
    if (this.failedModel !== undefined && this.failedModel === call.model) this.retries += 1;
    this.failedModel = call.failed ? call.model : undefined;
    if (call.failed) this.failedCalls += 1;
    this.guard.consecutiveCallFailures = call.failed ? this.guard.consecutiveCallFailures + 1 : 0;
    if (!call.tokens || !call.cost) this.unpricedCalls += 1;
    if (call.tokens) {
      addInto(this.tokens, call.tokens);
      if (!call.failed) this.usefulOutput += call.tokens.output;
      if (this.inputPerStep.length < MAX_TRACKED_STEPS) this.inputPerStep.push(call.tokens.input);
    }
    if (call.cost) addInto(this.cost, call.cost);
  }

  /** Whether the run has anything to report (see `explicit`). */
  get reportable(): boolean {
    return this.explicit || this.steps > 0 || this.toolCalls > 0;
  }

  addTool(failed: boolean): void {
    this.toolCalls += 1;
    if (failed) this.toolErrors += 1;
    this.guard.consecutiveToolFailures = failed ? this.guard.consecutiveToolFailures + 1 : 0;
  }
}

/** Adds each figure of `part` to `total` (for…in: no key array allocated per call). */
function addInto<T extends TokenTotals | CostTotals>(total: T, part: T): void {
  for (const key in part) (total[key] as number) += part[key] as number;
}
