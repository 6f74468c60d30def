// The sampling probability a span carries in its W3C trace state, as OpenTelemetry's probability sampling writes
// it (the `ot` entry's `th` sub-key, "Probability sampling" in the OpenTelemetry specification, written by the
// Collector's probabilistic_sampler in proportional mode and the consistent-probability samplers): a rejection
// threshold T of 1–14 hex digits, trailing zeros dropped, over 56 random bits. The span was kept with probability
// (2^56 − T) / 2^56, so it stands for 2^56 / (2^56 − T) spans: its adjusted count. A span with no threshold, or a
// malformed one, says nothing of its sampling.

const MAX_DIGITS = 14;
const RANGE = 2n ** 56n;

/** The probability `ot=th:…` says, or undefined when the trace state carries none (or a malformed one). */
export function samplingProbability(traceState: unknown): number | undefined {
  const threshold = thresholdOf(traceState);
  // Exact integers up to the division: a 56-bit threshold does not fit a double's 53 bits.
  return threshold === undefined ? undefined : Number(RANGE - threshold) / Number(RANGE);
}

/** How many spans the span stands for (1 when its trace state says nothing of its sampling). */
export function adjustedCount(traceState: unknown): number {
  const threshold = thresholdOf(traceState);
  return threshold === undefined ? 1 : Number(RANGE) / Number(RANGE - threshold);
}

/** The `th` value of the `ot` entry of a W3C trace state, as a 56-bit integer. */
function thresholdOf(traceState: unknown): bigint | undefined {
  if (typeof traceState !== 'string' || !traceState.includes('ot=')) return undefined;
  for (const member of traceState.split(',')) {
    const [key, value] = member.trim().split('=', 2);
    if (key !== 'ot' || value === undefined) continue;
    for (const field of value.split(';')) {
      if (!field.startsWith('th:')) continue;
      const digits = field.slice(3);
      if (digits.length === 0 || digits.length > MAX_DIGITS || !/^[0-9a-f]+$/.test(digits)) return undefined;
      return BigInt(`0x${digits.padEnd(MAX_DIGITS, '0')}`);
    }
  }
  return undefined;
}
