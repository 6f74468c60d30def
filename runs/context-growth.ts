// Context growth: how fast each step's input grows. An agent that resends its whole history every step adds
// roughly the same amount of context per step, so input per step is a rising line and the run's total input
// grows with the square of its steps. Pure.

export interface ContextGrowth {
  /** Least-squares slope of input tokens over step index. */
  tokensPerStep: number;
  quadratic: boolean;
}

const MIN_STEPS = 4;
const MIN_R_SQUARED = 0.8;
const MIN_GROWTH = 2;

export function contextGrowth(inputPerStep: readonly number[]): ContextGrowth | undefined {
  const n = inputPerStep.length;
  if (n < 2) return undefined;
  const meanX = (n - 1) / 2;
  const meanY = inputPerStep.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  inputPerStep.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
    syy += (y - meanY) ** 2;
  });
  const slope = sxy / sxx;
  const rSquared = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  const first = inputPerStep[0]!;
  const last = inputPerStep[n - 1]!;
  const quadratic = n >= MIN_STEPS && slope > 0 && rSquared >= MIN_R_SQUARED && last >= MIN_GROWTH * Math.max(first, 1);
  return { tokensPerStep: slope, quadratic };
}
