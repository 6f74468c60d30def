// The first of whatif's two reads: what the levers need to know of the whole recording before they re-price any
// call. Per prompt-prefix fingerprint (`tokenledger.request.prefix_hash`: system prompt + tool definitions), how
// large the prefix is; which cache TTL the recording writes with; and how much output calls write.
//
// A prefix's size is not recorded, so it is taken from the calls that carry it: the provider's own count of what it
// cached, where any call cached (the most any call read or wrote); else the smallest input of any call with that
// fingerprint — an upper bound, since that input is the prefix plus the first messages.
import type { ReplayedTrace, ReplaySink } from '../recording/replay.ts';

interface PrefixStats {
  calls: number;
  minInput: number;
  maxCached: number;
}

/** Output counts kept at most, to find a percentile (a fixed-seed reservoir beyond it). */
const OUTPUT_SAMPLE = 100_000;

export class PrefixSurvey implements ReplaySink {
  private readonly prefixes = new Map<string, PrefixStats>();
  /** Cache-write tokens recorded by TTL. */
  writes5m = 0;
  writes1h = 0;
  private readonly outputs: number[] = [];
  private outputsSeen = 0;
  private seed = 0x2545f491;

  trace(trace: ReplayedTrace): void {
    for (const { call } of trace.calls) {
      const tokens = call.usage?.tokens;
      if (!tokens) continue;
      this.writes5m += tokens.cache_write_5m ?? 0;
      this.writes1h += tokens.cache_write_1h ?? 0;
      this.sampleOutput(tokens.output ?? 0);
      if (!call.prefixHash) continue;
      let stats = this.prefixes.get(call.prefixHash);
      if (!stats) this.prefixes.set(call.prefixHash, (stats = { calls: 0, minInput: Number.POSITIVE_INFINITY, maxCached: 0 }));
      stats.calls += 1;
      stats.minInput = Math.min(stats.minInput, tokens.input ?? Number.POSITIVE_INFINITY);
      stats.maxCached = Math.max(stats.maxCached, (tokens.cache_read ?? 0) + (tokens.cache_write ?? 0));
    }
  }

  /** The prefix's size in tokens, as the recording shows it (see above); undefined for a fingerprint never seen. */
  prefixTokens(prefixHash: string): { tokens: number; measured: boolean } | undefined {
    const stats = this.prefixes.get(prefixHash);
    if (!stats || !Number.isFinite(stats.minInput)) return undefined;
    return stats.maxCached > 0 ? { tokens: stats.maxCached, measured: true } : { tokens: stats.minInput, measured: false };
  }

  get fingerprints(): number {
    return this.prefixes.size;
  }

  /** The TTL the recording writes most of its cache with (5 minutes when it writes none). */
  get recordedTtl(): '5m' | '1h' {
    return this.writes1h > this.writes5m ? '1h' : '5m';
  }

  /** The output count at this percentile (0–1) of the calls read; undefined before any. */
  outputPercentile(p: number): number | undefined {
    if (this.outputs.length === 0) return undefined;
    const sorted = [...this.outputs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  private sampleOutput(output: number): void {
    this.outputsSeen += 1;
    if (this.outputs.length < OUTPUT_SAMPLE) {
      this.outputs.push(output);
      return;
    }
    // Reservoir sampling with a fixed seed: the same recording gives the same percentile.
    this.seed = (Math.imul(this.seed, 1664525) + 1013904223) >>> 0;
    const at = this.seed % this.outputsSeen;
    if (at < OUTPUT_SAMPLE) this.outputs[at] = output;
  }
}
