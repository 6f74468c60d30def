// What whatif does once the levers are chosen: every recorded call priced as it was and under each lever, with the
// same CallPricer (price data and overrides) for both, summed per run, over the tasks and in all. A call that cannot
// be priced as it was (its usage or model unknown) is left out of every sum and counted, and the runs it is in have
// no saving figure (unknown, not zero). The traces come kept from the first read (kept-traces.ts), or from a second.
import type { CallDescription, CallPricer } from '../../ledger/pricing/call-pricer.ts';
import type { UsageFigures } from '../../ledger/usage-figures.ts';
import type { RunSummary } from '../../runs/run-summary.ts';
import type { ReplayedTrace, ReplaySink } from '../recording/replay.ts';
import type { Lever, LeverPass } from './levers.ts';
import type { Scenario } from './scenario.ts';

/** A call as re-pricing reads it: its usage and what it was, what the levers read, and its cost as recorded. */
export interface RepricedCall {
  usage: UsageFigures | undefined;
  description: CallDescription;
  prefixHash: string | undefined;
  startMs: number;
  recordedUsd: number | undefined;
}

/** A trace as re-pricing reads it: its runs' ids and outcomes, and its calls with the reported runs they count in. */
export interface RepricedTrace {
  runs: Array<Pick<RunSummary, 'id' | 'agentName' | 'nested' | 'success'>>;
  calls: Array<{ call: RepricedCall; runIds: string[] }>;
}

/** What re-pricing reads of a replayed trace, and no more (the rest of its calls and runs can be let go). */
export function repricedTrace(trace: ReplayedTrace): RepricedTrace {
  return {
    runs: trace.runs.map(({ id, agentName, nested, success }) => ({ id, agentName, nested, success })),
    calls: trace.calls.map(({ call, runIds }) => ({
      call: { usage: call.usage, description: call.description, prefixHash: call.prefixHash, startMs: call.startMs, recordedUsd: call.figures.cost?.total },
      runIds,
    })),
  };
}

export interface LeverTotals {
  lever: Lever;
  /** Spend as recorded and under the lever, over the calls priced both ways. */
  usdBefore: number;
  usdAfter: number;
  /** The same over the tasks' calls. */
  taskUsdBefore: number;
  taskUsdAfter: number;
  callsChanged: number;
  /** Calls the lever made unpriceable (its model unknown to the price data): left out of its sums. */
  callsUnpricedAfter: number;
}

export interface RunRepricing {
  id: string;
  agent: string;
  nested: boolean;
  success: boolean;
  usdBefore: number;
  /** Per lever, in the order of the levers; undefined when a call of the run could not be priced. */
  usdAfter: number[];
  /** A call of the run could not be priced as it was, or under some lever. */
  unknown: boolean[];
  unpricedCalls: number;
}

export class Repricing implements ReplaySink {
  readonly levers: LeverTotals[];
  readonly runs: RunRepricing[] = [];
  calls = 0;
  /** Calls priced as recorded (usage and model known). */
  pricedCalls = 0;
  usdBefore = 0;
  taskUsdBefore = 0;
  /** Calls in tasks that could not be priced as they were: the tasks' spend is then unknown. */
  taskCallsUnpriced = 0;
  tasks = 0;
  successfulTasks = 0;
  /** Calls whose recorded cost differs from the price today (other price data or overrides when recorded). */
  callsPricedDifferently = 0;
  readonly priceData = new Set<string>();
  private readonly pricer: CallPricer;
  private readonly passes: LeverPass[];
  /** Runs whose saving is still being summed (their trace is being read), by id. */
  private readonly open = new Map<string, RunRepricing>();

  constructor(pricer: CallPricer, levers: readonly Lever[]) {
    this.pricer = pricer;
    this.levers = levers.map((lever) => ({ lever, usdBefore: 0, usdAfter: 0, taskUsdBefore: 0, taskUsdAfter: 0, callsChanged: 0, callsUnpricedAfter: 0 }));
    this.passes = levers.map((lever) => lever.start());
  }

  trace(trace: ReplayedTrace): void {
    this.reprice(repricedTrace(trace));
  }

  reprice(trace: RepricedTrace): void {
    for (const summary of trace.runs) {
      const run: RunRepricing = {
        id: summary.id,
        agent: summary.agentName,
        nested: summary.nested,
        success: summary.success,
        usdBefore: 0,
        usdAfter: this.levers.map(() => 0),
        unknown: this.levers.map(() => false),
        unpricedCalls: 0,
      };
      this.open.set(run.id, run);
      this.runs.push(run);
      if (!summary.nested) {
        this.tasks += 1;
        if (summary.success) this.successfulTasks += 1;
      }
    }
    for (const { call, runIds } of trace.calls) {
      this.calls += 1;
      const runs = runIds.map((id) => this.open.get(id)!);
      const inTask = runs.length > 0;
      const base: Scenario | undefined = call.usage ? { usage: call.usage, description: call.description } : undefined;
      const priced = base ? this.pricer.price(base.usage, base.description) : undefined;
      if (!base || !priced || priced.cost === undefined) {
        if (inTask) this.taskCallsUnpriced += 1;
        for (const run of runs) {
          run.unpricedCalls += 1;
          run.unknown.fill(true);
        }
        continue;
      }
      const before = priced.cost.total ?? 0;
      this.pricedCalls += 1;
      this.priceData.add(priced.dataVersion);
      const recorded = call.recordedUsd;
      if (recorded !== undefined && Math.abs(recorded - before) > 1e-9) this.callsPricedDifferently += 1;
      this.usdBefore += before;
      if (inTask) this.taskUsdBefore += before;
      for (const run of runs) run.usdBefore += before;
      this.passes.forEach((pass, i) => {
        const totals = this.levers[i]!;
        const scenario = pass.apply(call, base);
        let after = before;
        if (scenario !== base) {
          const repriced = this.pricer.price(scenario.usage, scenario.description).cost?.total;
          if (repriced === undefined) {
            totals.callsUnpricedAfter += 1;
            for (const run of runs) run.unknown[i] = true;
            return;
          }
          after = repriced;
          if (after !== before) totals.callsChanged += 1;
        }
        totals.usdBefore += before;
        totals.usdAfter += after;
        if (inTask) {
          totals.taskUsdBefore += before;
          totals.taskUsdAfter += after;
        }
        for (const run of runs) run.usdAfter[i]! += after;
      });
    }
    for (const summary of trace.runs) this.open.delete(summary.id);
  }
}
