// The sampling probability a span carries in its W3C tracestate, as OpenTelemetry's probability sampling writes it
// (the `ot` entry's `th` sub-key, "Probability sampling" in the OpenTelemetry specification): a rejection threshold
// of up to 14 hex digits, trailing zeros dropped; the span was kept with probability 1 − threshold / 2^56. The
// Collector's probabilistic_sampler (proportional mode) and the consistent-probability samplers write it.
const MAX_DIGITS = 14;
const RANGE = 2 ** 56;

/** The probability `ot=th:…` says, or undefined when the tracestate carries none (or a malformed one). */
export function samplingProbability(traceState: string | undefined): number | undefined {
  if (!traceState || !traceState.includes('ot=')) return undefined;
  for (const member of traceState.split(',')) {
    const [key, value] = member.trim().split('=', 2);
    if (key !== 'ot' || value === undefined) continue;
    for (const field of value.split(';')) {
      if (!field.startsWith('th:')) continue;
      const digits = field.slice(3);
      if (digits.length === 0 || digits.length > MAX_DIGITS || !/^[0-9a-f]+$/.test(digits)) return undefined;
      // Parsed in two halves: 56 bits do not fit a double's integer range exactly.
      const padded = digits.padEnd(MAX_DIGITS, '0');
      const threshold = parseInt(padded.slice(0, 7), 16) * 2 ** 28 + parseInt(padded.slice(7), 16);
      return 1 - threshold / RANGE;
    }
  }
  return undefined;
}
