// Warnings about failures that can repeat thousands of times a second (an upstream that is down, a client that
// keeps sending bad spans) are logged at most once per interval and kind, with how many like it were left out, so
// a loss is never silent and the log never floods. The interval runs on the injected clock.
import { diag } from '@opentelemetry/api';
import { systemClock, type Clock } from '../base/clock.ts';

const DEFAULT_INTERVAL_MS = 10_000;

export class RateLimitedLog {
  private readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly kinds = new Map<string, { at: number; suppressed: number }>();

  constructor(intervalMs = DEFAULT_INTERVAL_MS, clock: Clock = systemClock) {
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  /** Logs `message()` as a warning unless a message of this kind was logged within the interval. */
  warn(kind: string, message: () => string): void {
    const now = this.clock.now();
    const last = this.kinds.get(kind);
    if (last && now - last.at < this.intervalMs) {
      last.suppressed += 1;
      return;
    }
    const suppressed = last?.suppressed ?? 0;
    this.kinds.set(kind, { at: now, suppressed: 0 });
    const note = suppressed > 0 ? ` (${suppressed} more like it in the last ${Math.round((now - last!.at) / 1000)} s)` : '';
    diag.warn(`tokenledger collect: ${message()}${note}`);
  }
}
