// The levers whatif re-prices a recording under. Each turns a recorded call into the call it would have been —
// its token figures and what it was — and the same CallPricer, price data and overrides price both. What a lever
// cannot know it holds constant, and its `assumption` says so: no lever re-runs a call.
//
// A lever keeps state over one read (when each prompt prefix was last sent), so `start()` gives a fresh pass; calls
// are seen trace by trace, in the order they ended within a trace.
import type { CallRecord } from '../recording/recorded-span.ts';
import type { PrefixSurvey } from './prefix-survey.ts';
import { inputParts, withInputParts, withOutputCap, type CacheTtl, type Scenario } from './scenario.ts';

export interface LeverPass {
  /** The call under the lever (the same object when the lever changes nothing). */
  apply(call: Pick<CallRecord, 'prefixHash' | 'startMs'>, scenario: Scenario): Scenario;
}

export interface Lever {
  /** `model`, `cache_prefix`, `batch`, `cache_ttl`, `output_cap`, or `combined`. */
  id: string;
  label: string;
  /** What is assumed and held constant, said plainly. */
  assumption: string;
  start(): LeverPass;
}

export const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };
/** The smallest prefix the providers cache (Anthropic's 1,024-token minimum for Sonnet and Opus, OpenAI's 1,024; smaller prefixes are not cached). */
export const MIN_CACHEABLE_TOKENS = 1024;

/** When each prompt prefix was last sent, to tell whether a cache with a TTL would still hold it. */
class PrefixClock {
  private readonly lastSent = new Map<string, number>();

  /** Milliseconds between this call and the last one with its prefix (either way: traces are read in batches); Infinity for the first. */
  gap(prefixHash: string, startMs: number): number {
    const last = this.lastSent.get(prefixHash);
    return last === undefined ? Number.POSITIVE_INFINITY : Math.abs(startMs - last);
  }

  sent(prefixHash: string, startMs: number): void {
    const last = this.lastSent.get(prefixHash);
    if (last === undefined || startMs > last) this.lastSent.set(prefixHash, startMs);
  }
}

/** The same tokens priced as another model (`provider/model` for another provider's). */
export function modelLever(model: string): Lever {
  return {
    id: 'model',
    label: `model ${model}, same tokens`,
    assumption: `every call re-priced as ${model} with its tokens held constant: another model would tokenize, cache and answer differently, and may not succeed at the same tasks`,
    start: () => ({
      apply: (_call, scenario) => ({ ...scenario, description: { ...scenario.description, requestModel: model, responseModel: undefined } }),
    }),
  };
}

/**
 * The stable prefix served from the cache: a call whose prefix (see PrefixSurvey) was sent within the TTL before
 * reads it from the cache, else writes it; only the part of the prefix a call did not already read or write moves,
 * and only out of its uncached input.
 */
export function cachePrefixLever(survey: PrefixSurvey, ttl: CacheTtl): Lever {
  return {
    id: 'cache_prefix',
    label: `cache the stable prompt prefix (${ttl === '5m' ? '5-minute' : '1-hour'} TTL)`,
    assumption:
      `each prompt-prefix fingerprint's size is the provider's count of what was cached where any call with it cached, else the smallest input seen with it (an upper bound: the prefix plus the first messages); ` +
      `a call reads it when the same fingerprint was sent within ${ttl} before, else writes it; prefixes under ${MIN_CACHEABLE_TOKENS} tokens and calls without a fingerprint are left as they were`,
    start: () => {
      const clock = new PrefixClock();
      return {
        apply(call, scenario) {
          const hash = call.prefixHash;
          if (hash === undefined) return scenario;
          const gap = clock.gap(hash, call.startMs);
          clock.sent(hash, call.startMs);
          const prefix = survey.prefixTokens(hash);
          if (prefix === undefined || prefix.tokens < MIN_CACHEABLE_TOKENS) return scenario;
          const parts = inputParts(scenario.usage.tokens);
          const moved = Math.min(prefix.tokens - (parts.cacheRead + parts.write5m + parts.write1h), parts.uncached);
          if (moved <= 0) return scenario;
          parts.uncached -= moved;
          if (gap <= TTL_MS[ttl]) parts.cacheRead += moved;
          else if (ttl === '5m') parts.write5m += moved;
          else parts.write1h += moved;
          return withInputParts(scenario, parts);
        },
      };
    },
  };
}

/**
 * Every cache write at the other TTL: 1-hour writes cost more per token (Anthropic: 2× input against 1.25×) but a
 * prefix sent again between 5 minutes and an hour later is read rather than written again; 5-minute writes cost
 * less, but such a read becomes a write.
 */
export function cacheTtlLever(ttl: CacheTtl): Lever {
  const other: CacheTtl = ttl === '1h' ? '5m' : '1h';
  return {
    id: 'cache_ttl',
    label: `cache writes with the ${ttl === '5m' ? '5-minute' : '1-hour'} TTL`,
    assumption:
      `cache writes priced at the ${ttl} rate; with a prompt-prefix fingerprint, a write sent again within ${ttl === '1h' ? 'an hour' : '5 minutes'} of the last call with it ` +
      `${ttl === '1h' ? 'becomes a read' : 'stays a write, and a read more than 5 minutes after it becomes a write'}; what each call cached is otherwise held constant (recorded ${other} writes included)`,
    start: () => {
      const clock = new PrefixClock();
      return {
        apply(call, scenario) {
          const parts = inputParts(scenario.usage.tokens);
          const gap = call.prefixHash === undefined ? undefined : clock.gap(call.prefixHash, call.startMs);
          if (call.prefixHash !== undefined) clock.sent(call.prefixHash, call.startMs);
          let writes = parts.write5m + parts.write1h;
          if (writes === 0 && parts.cacheRead === 0) return scenario;
          if (gap !== undefined) {
            if (ttl === '1h' && writes > 0 && gap > TTL_MS['5m'] && gap <= TTL_MS['1h']) {
              parts.cacheRead += writes;
              writes = 0;
            } else if (ttl === '5m' && writes === 0 && parts.cacheRead > 0 && gap > TTL_MS['5m']) {
              writes = parts.cacheRead;
              parts.cacheRead = 0;
            }
          }
          parts.write5m = ttl === '5m' ? writes : 0;
          parts.write1h = ttl === '1h' ? writes : 0;
          return withInputParts(scenario, parts);
        },
      };
    },
  };
}

/** Every call through the provider's batch API, at its batch rate. */
export function batchLever(): Lever {
  return {
    id: 'batch',
    label: 'batch API',
    assumption:
      'every call billed at the batch rate (half price at OpenAI, Anthropic and Google); batches answer within 24 hours, so this fits evaluations and backfills, not a user waiting for an agent',
    start: () => ({
      apply: (_call, scenario) => (scenario.description.batch ? scenario : { ...scenario, description: { ...scenario.description, batch: true } }),
    }),
  };
}

/** Output capped at `cap` tokens a call. */
export function outputCapLever(cap: number, derived: string | undefined): Lever {
  return {
    id: 'output_cap',
    label: `cap output at ${cap.toLocaleString('en-US')} tokens${derived ? ` (${derived})` : ''}`,
    assumption: `a call that wrote more than ${cap.toLocaleString('en-US')} output tokens is billed for ${cap.toLocaleString('en-US')} (reasoning inside them capped too); a capped answer may be cut short and the task fail, and later steps' input, which resends it, is held constant`,
    start: () => ({ apply: (_call, scenario) => withOutputCap(scenario, cap) }),
  };
}

/** Several levers at once, applied in the order given. */
export function combinedLever(levers: readonly Lever[]): Lever {
  return {
    id: 'combined',
    label: `all of: ${levers.map((lever) => lever.label).join(' + ')}`,
    assumption: 'the levers above applied together, each with its own assumption',
    start: () => {
      const passes = levers.map((lever) => lever.start());
      return { apply: (call, scenario) => passes.reduce((current, pass) => pass.apply(call, current), scenario) };
    },
  };
}
