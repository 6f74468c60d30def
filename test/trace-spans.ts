// Held spans for tests and benchmarks of the trace rollup (collector/trace-rollup.ts), made the way collector mode
// reads them: classified from their attributes, an LLM call with its usage and the cost it was priced at.
import type { Attributes } from '@opentelemetry/api';
import type { TraceSpan } from '../collector/trace-rollup.ts';
import type { PricedCall } from '../ledger/pricing/call-pricer.ts';
import { classifySpan } from '../ledger/sources/registry.ts';
import type { TokenCounts } from '../ledger/token-types.ts';

export interface HeldSpanFixture {
  spanId: string;
  parentSpanId?: string;
  traceId?: string;
  name?: string;
  startNanos: bigint;
  endNanos: bigint;
  statusCode?: number;
  attributes: Attributes;
  /** For an LLM call: its cost in USD (its usage is 1000 input, 100 output tokens). */
  cost?: number;
  tokens?: TokenCounts;
  weight?: number;
  /** Collects what the rollup writes. */
  written?: Attributes;
}

const TOKENS: TokenCounts = { input: 1000, output: 100, uncached_input: 1000, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 };

export function heldSpan(fixture: HeldSpanFixture): TraceSpan {
  const written = fixture.written ?? {};
  const priced: PricedCall | undefined =
    fixture.cost === undefined
      ? undefined
      : {
          cost: { total: fixture.cost, uncached_input: fixture.cost, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 0, request_fees: 0 },
          multiplier: 1,
          source: 'bundled',
          priceEntry: 'test/model',
          dataVersion: 'test',
        };
  return {
    spanId: fixture.spanId,
    parentSpanId: fixture.parentSpanId ?? '',
    traceId: fixture.traceId ?? 't1',
    name: fixture.name ?? fixture.spanId,
    startNanos: fixture.startNanos,
    endNanos: fixture.endNanos,
    statusCode: fixture.statusCode ?? 0,
    attributes: fixture.attributes,
    spanClass: classifySpan(fixture.attributes, 'test', fixture.name ?? fixture.spanId),
    usage: priced ? { tokens: fixture.tokens ?? TOKENS } : undefined,
    pricedElsewhere: priced,
    weight: fixture.weight,
    setAttributes(attributes) {
      Object.assign(written, attributes);
      Object.assign(fixture.attributes, attributes);
    },
    removeAttributes(keys) {
      for (const key of keys) delete fixture.attributes[key];
    },
  };
}
