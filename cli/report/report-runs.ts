// The runs a report shows step by step: the costliest tasks and the first failed ones, at most `limit` of each, so a
// report of a large recording stays a page a person reads (and memory stays bounded). For each, its rollup summary
// and its calls in the order they ended — the calls of its nested runs included, as the rollup counts them — with
// what the waterfall marks on each step: retries (a call to the same model right after a failed one, the rollup's
// rule), failed and unpriced calls, and cache busts (the prompt-prefix fingerprint changed between two calls of the
// same run).
import type { RunSummary } from '../../runs/run-summary.ts';
import type { CallRecord } from '../recording/recorded-span.ts';
import type { ReplayedTrace, ReplaySink } from '../recording/replay.ts';

export interface Step {
  /** 1-based, in the order the calls ended. */
  index: number;
  call: CallRecord;
  /** The innermost run the call was in, and its agent. */
  runId: string;
  agent: string;
  retry: boolean;
  cacheBust: boolean;
}

export interface ShownRun {
  summary: RunSummary;
  traceId: string;
  steps: Step[];
  /** The runs nested in it (sub-agents), by id, for the steps' labels. */
  nestedAgents: Map<string, string>;
}

export class ReportRuns implements ReplaySink {
  private readonly limit: number;
  private readonly costliest: ShownRun[] = [];
  private readonly failed: ShownRun[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** The runs to show, per agent in the order agents appear, the costliest first within each. */
  get runs(): ShownRun[] {
    const shown = [...new Set([...this.costliest, ...this.failed])];
    const agents = [...new Set(shown.map((run) => run.summary.agentName))];
    return shown.sort((a, b) => agents.indexOf(a.summary.agentName) - agents.indexOf(b.summary.agentName) || cost(b) - cost(a));
  }

  trace(trace: ReplayedTrace): void {
    const summaries = new Map(trace.runs.map((run) => [run.id, run]));
    for (const task of trace.runs) {
      if (task.nested) continue;
      const wantCostly = this.costliest.length < this.limit || cost(this.costliest[this.costliest.length - 1]!) < task.cost.total;
      const wantFailed = !task.success && this.failed.length < this.limit;
      if (!wantCostly && !wantFailed) continue;
      const shown = this.shownRun(task, trace, summaries);
      if (wantCostly) {
        this.costliest.push(shown);
        this.costliest.sort((a, b) => cost(b) - cost(a));
        if (this.costliest.length > this.limit) this.costliest.pop();
      }
      if (wantFailed) this.failed.push(shown);
    }
  }

  private shownRun(task: RunSummary, trace: ReplayedTrace, summaries: Map<string, RunSummary>): ShownRun {
    const steps: Step[] = [];
    const nestedAgents = new Map<string, string>();
    let failedModel: string | undefined;
    const lastPrefix = new Map<string, string>();
    for (const { call, runIds, agentName } of trace.calls) {
      if (!runIds.includes(task.id)) continue;
      const runId = runIds[0]!;
      if (runId !== task.id) nestedAgents.set(runId, summaries.get(runId)?.agentName ?? agentName ?? '');
      const retry = failedModel !== undefined && failedModel === call.figures.model;
      failedModel = call.figures.failed ? call.figures.model : undefined;
      const previous = lastPrefix.get(runId);
      const cacheBust = previous !== undefined && call.prefixHash !== undefined && previous !== call.prefixHash;
      if (call.prefixHash !== undefined) lastPrefix.set(runId, call.prefixHash);
      steps.push({ index: steps.length + 1, call, runId, agent: summaries.get(runId)?.agentName ?? agentName ?? '', retry, cacheBust });
    }
    return { summary: task, traceId: trace.traceId, steps, nestedAgents };
  }
}

/** A run's known spend, for ordering (its unpriced calls are flagged where it is shown). */
function cost(run: ShownRun | RunSummary): number {
  const total = 'summary' in run ? run.summary.cost.total : run.cost.total;
  return Number.isFinite(total) ? total : 0;
}
