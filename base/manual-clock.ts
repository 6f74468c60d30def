// A clock tests advance by hand: `advance(ms)` runs, in time order, every timer due by then, each seeing `now()` at
// its own due time. Nothing runs on its own, so a test waits on exactly the moment it means.
import type { Clock, Timer } from './clock.ts';

interface Scheduled {
  due: number;
  order: number;
  every: number | undefined;
  callback: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private time: number;
  private order = 0;
  private readonly timers = new Set<Scheduled>();

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  after(ms: number, callback: () => void): Timer {
    return this.schedule(ms, undefined, callback);
  }

  every(ms: number, callback: () => void): Timer {
    return this.schedule(ms, Math.max(1, ms), callback);
  }

  /** Timers waiting now. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, running every timer due on the way (an interval as often as it falls due). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let next = this.nextDue(end); next !== undefined; next = this.nextDue(end)) {
      this.time = Math.max(this.time, next.due);
      if (next.every === undefined) this.timers.delete(next);
      else next.due += next.every;
      next.callback();
    }
    this.time = end;
  }

  private schedule(ms: number, every: number | undefined, callback: () => void): Timer {
    const entry: Scheduled = { due: this.time + Math.max(0, ms), order: this.order++, every, callback, cancelled: false };
    this.timers.add(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
        this.timers.delete(entry);
      },
    };
  }

  private nextDue(end: number): Scheduled | undefined {
    let first: Scheduled | undefined;
    for (const entry of this.timers) {
      if (entry.due > end) continue;
      if (first === undefined || entry.due < first.due || (entry.due === first.due && entry.order < first.order)) first = entry;
    }
    return first;
  }
}
