// Ideal steps learned per agent name when a run does not say: the 10th percentile of the step counts of the
// agent's last 50 successful runs, once there are 5. A low percentile, because the cheapest successful runs show
// what the task needs; a window, because agents change. Never invented: fewer than 5 runs → unknown.

export const LEARNED_WINDOW = 50;
export const LEARNED_MIN_RUNS = 5;
export const LEARNED_PERCENTILE = 0.1;
const MAX_AGENTS = 1000;

export class IdealStepsLearner {
  private readonly history = new Map<string, number[]>();

  record(agent: string, steps: number): void {
    let runs = this.history.get(agent);
    if (!runs) {
      if (this.history.size >= MAX_AGENTS) this.history.delete(this.history.keys().next().value!);
      runs = [];
      this.history.set(agent, runs);
    }
    runs.push(steps);
    if (runs.length > LEARNED_WINDOW) runs.shift();
  }

  ideal(agent: string): number | undefined {
    const runs = this.history.get(agent);
    if (!runs || runs.length < LEARNED_MIN_RUNS) return undefined;
    const sorted = [...runs].sort((a, b) => a - b);
    return sorted[Math.floor(LEARNED_PERCENTILE * (sorted.length - 1))];
  }
}
