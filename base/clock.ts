// Time for everything that waits or expires (held traces, the forward queue and its retries, run limits, open calls
// past their run): one injected clock, so tests drive time instead of sleeping. Production uses `systemClock`;
// tests use a ManualClock (base/manual-clock.ts). Timers do not keep the process alive unless asked to (`keepAlive`).

/** A pending callback of a `Clock`. */
export interface Timer {
  /** Stops the callback from being called (again). */
  cancel(): void;
}

/** The time, and callbacks after a delay or at an interval: what waits or expires reads it, so tests can drive it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `callback` once, `ms` from now. With `keepAlive` the pending timer holds the process open (a deadline the
   * process must wait for, like the collector's drain); otherwise it does not.
   */
  after(ms: number, callback: () => void, options?: { keepAlive?: boolean }): Timer;
  /** Calls `callback` every `ms`, until cancelled. */
  every(ms: number, callback: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, callback, options) {
    const handle = setTimeout(callback, Math.max(0, ms));
    if (!options?.keepAlive) handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  every(ms, callback) {
    const handle = setInterval(callback, Math.max(1, ms));
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};
