// Sums kept in-process per series and reported by observable counters at collection time. A synchronous counter
// hashes its whole attribute set on every add (about a microsecond) and a call adds to a dozen series; here an
// add is one map lookup on a key the caller builds from strings the span already holds, and a slot update.
import type { Attributes, ObservableResult } from '@opentelemetry/api';

interface Series {
  attributes: Attributes;
  slots: Float64Array;
}

export class SeriesTable {
  private readonly series = new Map<string, Series>();
  private readonly width: number;

  /** `width`: the number of slots (figures) each series sums. */
  constructor(width: number) {
    this.width = width;
  }

  /** The slots of the series `key`, made with `attributes()` the first time. */
  slots(key: string, attributes: () => Attributes): Float64Array {
    let series = this.series.get(key);
    if (series === undefined) {
      series = { attributes: attributes(), slots: new Float64Array(this.width) };
      this.series.set(key, series);
    }
    return series.slots;
  }

  /** Reports slot `index` of every series that has a value, with `extra` attributes added. */
  observe(result: ObservableResult, index: number, extra?: Attributes): void {
    for (const { attributes, slots } of this.series.values()) {
      const value = slots[index]!;
      if (value === 0) continue;
      result.observe(value, extra ? { ...attributes, ...extra } : attributes);
    }
  }
}
