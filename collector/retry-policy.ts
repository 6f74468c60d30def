// When a request to the upstream is sent again, as the OTLP exporters decide it (OTLP/HTTP, "Failures" and
// "Throttling"): only 429, 502, 503 and 504, timeouts and network errors are retried; a `Retry-After` the upstream
// sends is honoured; otherwise the delay grows exponentially with jitter, as the OpenTelemetry Collector's
// exporterhelper does (multiplier 1.5, randomization ±50 %), and retrying stops after a maximum elapsed time.
// 400 and 413 refuse the request's content, which may be one span's fault: the request is split and the halves
// sent (forward-queue.ts). Every other status refuses the request whole and is not retried. The caller gives the
// time (its injected clock's), so tests drive it.

export interface BackoffSettings {
  /** First delay. Default 1 s. */
  initialMs: number;
  /** Longest delay. Default 30 s. */
  maxMs: number;
  /** Retrying stops this long after the first attempt. Default 5 min (the Collector's `max_elapsed_time`). */
  maxElapsedMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 1000, maxMs: 30_000, maxElapsedMs: 300_000 };

const MULTIPLIER = 1.5;
const RANDOMIZATION = 0.5;

/** The delay before retry number `attempt` (1 for the first retry), jittered by `random()` in [0, 1). */
export function backoffDelay(attempt: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const base = Math.min(settings.initialMs * MULTIPLIER ** (attempt - 1), settings.maxMs);
  return Math.round(base * (1 - RANDOMIZATION + 2 * RANDOMIZATION * random()));
}

/** When a failed request is sent again. */
export class RetryPolicy {
  readonly settings: BackoffSettings;
  private readonly random: () => number;

  constructor(settings: Partial<BackoffSettings> = {}, random: () => number = Math.random) {
    this.settings = { ...DEFAULT_BACKOFF, ...settings };
    this.random = random;
  }

  /**
   * How long to wait before sending again a request that failed for the `attempt`th time (1 for the first failure):
   * its `Retry-After` when the upstream sent one, else the backoff, at most `capMs`; undefined when the retry would
   * come after the maximum elapsed time since `firstAttempt`, and the request is to be given up. `now` and
   * `firstAttempt` are epoch ms.
   */
  delay(attempt: number, firstAttempt: number, now: number, retryAfter?: string | null, capMs = Infinity): number | undefined {
    const delay = Math.min(retryAfterMs(retryAfter, now) ?? backoffDelay(attempt, this.settings, this.random), capMs);
    return now + delay - firstAttempt > this.settings.maxElapsedMs ? undefined : delay;
  }
}

export type UpstreamOutcome = 'delivered' | 'retry' | 'split' | 'refused';

export function outcomeOf(status: number): UpstreamOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'retry';
  if (status === 400 || status === 413) return 'split';
  return 'refused';
}

/** A Retry-After header (delay-seconds or an HTTP-date) in milliseconds from `now`; undefined when absent or invalid. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date names its weekday and month (RFC 9110, 5.6.7); V8 would also read "-1" as a year.
  if (!/^[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
