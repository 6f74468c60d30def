// Ideal steps learned per agent name when a run does not say: the 10th percentile of the step counts of the
// agent's last 50 successful runs, once there are 5. A low percentile, because the cheapest successful runs show
// what the task needs; a window, because agents change. Never invented: fewer than 5 runs → unknown.
import { OldestFirstMap } from '../base/oldest-first.ts';

export const LEARNED_WINDOW = 50;
export const LEARNED_MIN_RUNS = 5;
export const LEARNED_PERCENTILE = 0.1;
const MAX_AGENTS = 1000;

/** One agent's window, in arrival order and kept sorted beside it, so a percentile is one index. */
interface Window {
  arrived: number[];
  sorted: number[];
}

export class IdealStepsLearner {
  private readonly history = new OldestFirstMap<string, Window>();

  record(agent: string, steps: number): void {
    let window = this.history.get(agent);
    if (!window) {
      if (this.history.size >= MAX_AGENTS) this.history.delete(this.history.oldest()!);
      window = { arrived: [], sorted: [] };
      this.history.set(agent, window);
    }
    window.arrived.push(steps);
    window.sorted.splice(insertionIndex(window.sorted, steps), 0, steps);
    if (window.arrived.length > LEARNED_WINDOW) {
      const dropped = window.arrived.shift()!;
      window.sorted.splice(insertionIndex(window.sorted, dropped), 1);
    }
  }

  ideal(agent: string): number | undefined {
    const sorted = this.history.get(agent)?.sorted;
    if (!sorted || sorted.length < LEARNED_MIN_RUNS) return undefined;
    return sorted[Math.floor(LEARNED_PERCENTILE * (sorted.length - 1))];
  }
}

/** The first index whose value is >= `value` (where it goes, or where the first copy of it is). */
function insertionIndex(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
