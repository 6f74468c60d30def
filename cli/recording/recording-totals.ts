// What a recording adds up to: the totals of its tasks, overall and per agent (nested runs grouped by their own
// agent apart from tasks), the calls that counted in no run, and what could not be read whole — everything the
// report and the gate say about a recording beyond single runs. Fed by the replay, one trace at a time.
import type { CallRecord } from './recorded-span.ts';
import type { ReplayedTrace, ReplaySink } from './replay.ts';
import { RunTotals } from './run-totals.ts';

export interface AgentTotals {
  agent: string;
  /** Nested runs (sub-agents) of this agent, or its tasks. */
  nested: boolean;
  totals: RunTotals;
}

export class RecordingTotals implements ReplaySink {
  /** Every task (outermost run) of the recording, or of the one agent asked for. */
  readonly tasks = new RunTotals();
  private readonly groups = new Map<string, AgentTotals>();
  /** LLM calls in no reported run (a lone call, calls beside an agent in a request, late calls). */
  callsOutsideRuns = 0;
  costOutsideRuns = 0;
  unpricedOutsideRuns = 0;
  lateCalls = 0;
  /** Price data the calls were priced with (`version` of bundled, refreshed or override data). */
  readonly priceData = new Set<string>();
  private readonly agent: string | undefined;

  /** `agent`: count only that agent's tasks (other runs and calls are left out). */
  constructor(agent?: string) {
    this.agent = agent;
  }

  /** Per agent: its tasks first, then its nested runs; agents in the order they first appeared. */
  get agents(): AgentTotals[] {
    return [...this.groups.values()].sort((a, b) => Number(a.nested) - Number(b.nested));
  }

  trace(trace: ReplayedTrace): void {
    for (const run of trace.runs) {
      if (this.agent !== undefined && run.agentName !== this.agent) continue;
      const key = `${run.nested ? 'nested' : 'task'}\u0000${run.agentName}`;
      let group = this.groups.get(key);
      if (!group) this.groups.set(key, (group = { agent: run.agentName, nested: run.nested, totals: new RunTotals() }));
      group.totals.add(run);
      if (!run.nested) this.tasks.add(run);
    }
    for (const { call, runIds } of trace.calls) {
      if (call.dataVersion) this.priceData.add(call.dataVersion);
      if (runIds.length === 0 && this.agent === undefined) this.outside(call);
    }
  }

  lateCall(call: CallRecord): void {
    this.lateCalls += 1;
    if (this.agent === undefined) this.outside(call);
  }

  private outside(call: CallRecord): void {
    this.callsOutsideRuns += 1;
    const cost = call.figures.cost?.total;
    if (cost === undefined) this.unpricedOutsideRuns += 1;
    else this.costOutsideRuns += cost;
  }
}
