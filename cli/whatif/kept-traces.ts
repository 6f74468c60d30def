// The first read of whatif and report keeps what re-pricing reads of each trace (repricing.ts: its runs' ids and
// outcomes, its calls' usage, description, prefix, start and recorded cost), so the levers re-price the calls without
// reading the files a second time — the same traces in the same order a second read would give (traces of neither
// runs nor calls left out: re-pricing skips them). The calls and runs kept are bounded by the spans held
// (`--max-spans`; a kept call takes about 0.9 KB, a held span 1.1–1.6): past the bound what was kept is let go, and
// the files are read again.
import type { ReplayedTrace, ReplaySink } from '../recording/replay.ts';
import { repricedTrace, type RepricedTrace } from './repricing.ts';

export class KeptTraces implements ReplaySink {
  private kept: RepricedTrace[] | undefined = [];
  private calls = 0;
  private readonly maxCalls: number;

  constructor(maxCalls: number) {
    this.maxCalls = maxCalls;
  }

  trace(trace: ReplayedTrace): void {
    // A trace of neither runs nor calls (an HTTP health check) gives re-pricing nothing: not kept, not counted.
    if (this.kept === undefined || (trace.runs.length === 0 && trace.calls.length === 0)) return;
    this.calls += trace.calls.length + trace.runs.length;
    if (this.calls > this.maxCalls) this.kept = undefined;
    else this.kept.push(repricedTrace(trace));
  }

  /** Every trace read, in the order read; undefined when there were more calls than the bound. */
  get traces(): readonly RepricedTrace[] | undefined {
    return this.kept;
  }
}
