// One agent run while it is in flight: its place in the tree of runs and its running totals, O(1) to update per
// call, bounded in size. Totals are kept per row of the token-type table; a subset figure a call left unknown
// makes the run's figure unknown (NaN here, absent on the span), since a sum that skips it would read as whole.
import type { Attributes } from '@opentelemetry/api';
import type { Timer } from '../base/clock.ts';
import type { CallFigures } from '../ledger/call-figures.ts';
import { TOKEN_TOTALS, TOKEN_TYPES, type TokenTotalId, type TokenTypeId } from '../ledger/token-types.ts';

/** Input tokens per step are kept for the first this many steps (the attribute shows the first 64). */
export const MAX_TRACKED_STEPS = 256;

/** The token figures a run totals: every token type and every token total. */
export const RUN_TOKEN_KEYS: readonly (TokenTypeId | TokenTotalId)[] = [
  ...TOKEN_TYPES.filter((row) => row.side !== 'fees').map((row) => row.id),
  ...TOKEN_TOTALS.filter((total) => total.runUsageAttribute !== undefined).map((total) => total.id),
];
/** The cost figures a run totals: every row of the table, and the total. */
export const RUN_COST_KEYS: readonly (TokenTypeId | 'total')[] = [...TOKEN_TYPES.map((row) => row.id), 'total'];

export type RunTokens = Record<TokenTypeId | TokenTotalId, number>;
export type RunCost = Record<TokenTypeId | 'total', number>;

/** A figure of 0 for each key (a run's, or a group of runs', totals before anything is added). */
export function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  const totals = {} as Record<K, number>;
  for (const key of keys) totals[key] = 0;
  return totals;
}

export class RunState {
  readonly id: string;
  readonly traceId: string;
  /** `gen_ai.agent.name` of the run span (else its span name): the key KPIs and learned ideals group by. */
  readonly agentName: string;
  readonly startedAt: number;
  /** The run this one is nested in (undefined for an outermost run). */
  readonly parent: RunState | undefined;
  readonly depth: number;
  /**
   * An explicit run (invoke_agent, OpenInference AGENT) is always reported; an implicit one (a plain root span)
   * only when an LLM call or tool execution happened under it and no explicit run did, so an app's request spans
   * stay untouched and a request around an agent is not a second run of the same task.
   */
  readonly explicit: boolean;
  /** An implicit run with an explicit run below it: the explicit one is the task. */
  superseded = false;
  steps = 0;
  toolCalls = 0;
  toolErrors = 0;
  failedCalls = 0;
  retries = 0;
  unpricedCalls = 0;
  /** Provider API requests made inside the run that no LLM span covered. */
  uncoveredRequests = 0;
  usefulOutput = 0;
  readonly tokens: RunTokens = zeros(RUN_TOKEN_KEYS) as RunTokens;
  readonly cost: RunCost = zeros(RUN_COST_KEYS) as RunCost;
  inputPerStep: number[] = [];
  /** Some of the run's spans were lost (evicted, or ended after the run was rolled up). */
  incomplete = false;
  /** Set when the run has been rolled up or evicted: later figures are late. */
  closed = false;
  /** Spans in flight in the run's subtree, its root included: a root that ends before them waits for them. */
  open = 0;
  /** Of those, the LLM calls and tool executions (what a rollup without them would miss). */
  openCounted = 0;
  /** The root ended with spans still open under it: the rollup waits for them, until `waitTimer` fires. */
  rootEnded: { attributes: Attributes; failed: boolean } | undefined;
  waitTimer: Timer | undefined;
  /** Rolled up at the end of its wait with LLM calls or tools still open under it. */
  callsOpenAtEnd = false;
  /** The model of the last call that failed, until the next call shows whether it was retried. */
  private failedModel: string | undefined;
  /** The run span's attributes, read for its attribution keys (tenant, user, feature) when its metrics are recorded. */
  attribution: Attributes | undefined;

  constructor(id: string, traceId: string, agentName: string, startedAt: number, explicit: boolean, parent: RunState | undefined) {
    this.id = id;
    this.traceId = traceId;
    this.agentName = agentName;
    this.startedAt = startedAt;
    this.explicit = explicit;
    this.parent = parent;
    this.depth = parent ? parent.depth + 1 : 0;
  }

  /** The run it is reported inside of: its parent, when that is an explicit run (an implicit one never is, then). */
  get enclosing(): RunState | undefined {
    return this.parent?.explicit ? this.parent : undefined;
  }

  /** Whether the run has anything to report (see `explicit`). */
  get reportable(): boolean {
    return this.explicit || (!this.superseded && (this.steps > 0 || this.toolCalls > 0));
  }

  addCall(call: CallFigures): void {
    this.steps += 1;
    // A call to the same model right after a failed one repeats it: that is a retry.
    if (this.failedModel !== undefined && this.failedModel === call.model) this.retries += 1;
    this.failedModel = call.failed ? call.model : undefined;
    if (call.failed) this.failedCalls += 1;
    const { tokens, cost } = call;
    if (!tokens || !cost) this.unpricedCalls += 1;
    if (tokens) {
      for (const key of RUN_TOKEN_KEYS) this.tokens[key] += tokens[key] ?? NaN;
      if (!call.failed) this.usefulOutput += tokens.output ?? 0;
      if (this.inputPerStep.length < MAX_TRACKED_STEPS) this.inputPerStep.push(tokens.input ?? 0);
    }
    if (cost) for (const key of RUN_COST_KEYS) this.cost[key] += cost[key] ?? NaN;
  }

  addTool(failed: boolean): void {
    this.toolCalls += 1;
    if (failed) this.toolErrors += 1;
  }

  /** Lets go of what an evicted run no longer needs, should something still point at it. */
  release(): void {
    this.inputPerStep = [];
    this.attribution = undefined;
    this.rootEnded = undefined;
    this.waitTimer?.cancel();
    this.waitTimer = undefined;
  }
}
