// A sampled span's adjusted count: how many spans it stands for, from the OpenTelemetry probability-sampling
// threshold in its trace state (`ot=th:…`, the "TraceState Handling" of the OpenTelemetry probability sampling
// specification, written by the Collector's probabilistic_sampler in proportional mode and the consistent-probability
// samplers). The threshold is 1–14 hex digits, the rejection threshold of a 56-bit random value (trailing zeros
// omitted): the span was kept with probability (2^56 − T) / 2^56, so it counts 2^56 / (2^56 − T) times. A span with
// no threshold, or one that does not parse, counts once.

const MAX = 2n ** 56n;

/** The span's adjusted count (1 when its trace state carries no valid threshold). */
export function adjustedCount(traceState: unknown): number {
  const threshold = thresholdOf(traceState);
  // Exact integers up to the division: a 56-bit threshold does not fit a double's 53 bits.
  return threshold === undefined ? 1 : Number(MAX) / Number(MAX - threshold);
}

/** The `th` value of the `ot` entry of a W3C trace state, as a 56-bit integer. */
function thresholdOf(traceState: unknown): bigint | undefined {
  if (typeof traceState !== 'string' || !traceState.includes('ot=')) return undefined;
  for (const member of traceState.split(',')) {
    const entry = member.trim();
    if (!entry.startsWith('ot=')) continue;
    for (const field of entry.slice(3).split(';')) {
      if (!field.startsWith('th:')) continue;
      const digits = field.slice(3);
      if (!/^[0-9a-f]{1,14}$/.test(digits)) return undefined;
      // Trailing zeros are omitted: pad to 14 hex digits (56 bits). `th:0` keeps everything.
      return BigInt(`0x${digits.padEnd(14, '0')}`);
    }
  }
  return undefined;
}
