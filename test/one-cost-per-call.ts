// "One counted span carries the cost": a span marked `tokenledger.call.duplicate_of` keeps its usage figures but
// states no cost in any convention tokenledger writes (its own `tokenledger.cost.*`, the proposed
// `gen_ai.usage.cost.*`, OpenInference's `llm.cost.*`, Langfuse's cost details), so the sum of
// `tokenledger.cost.usd` over all spans is the bill. Checked on the spans a test exported in process and on the
// same spans as `tokenledger collect` forwards them (test/collect-spans.ts).
import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { collectSpans } from './collect-spans.ts';

const COST_KEY = /^(tokenledger\.cost\.|gen_ai\.usage\.cost\.|llm\.cost\.)|^langfuse\.observation\.cost_details$/;

export interface Bill {
  /** Spans marked duplicates. */
  duplicates: number;
  /** Spans that carry `tokenledger.cost.usd`. */
  priced: number;
  /** The sum of `tokenledger.cost.usd` over all spans, rounded to 1e-10 USD as tokenledger writes amounts. */
  costUsd: number;
}

export const roundUsd = (amount: number): number => Math.round(amount * 1e10) / 1e10;

/** Fails when a duplicate states a cost; returns what the spans add up to. */
export function billOf(spans: ReadonlyArray<{ name: string; attributes: Attributes }>, where = 'in process'): Bill {
  let duplicates = 0;
  let priced = 0;
  let costUsd = 0;
  for (const span of spans) {
    const cost = span.attributes['tokenledger.cost.usd'];
    if (span.attributes['tokenledger.call.duplicate_of'] !== undefined) {
      duplicates += 1;
      const stated = Object.keys(span.attributes).filter((key) => COST_KEY.test(key));
      assert.deepEqual(stated, [], `${where}: the duplicate ${span.name} states a cost`);
    }
    if (typeof cost === 'number') {
      priced += 1;
      costUsd += cost;
    }
  }
  return { duplicates, priced, costUsd: roundUsd(costUsd) };
}

/**
 * The spans a test exported, in process and then as collector mode forwards them (the same OTLP sent to a
 * CollectorServer): no duplicate states a cost either way, and each adds up to the expected bill (the same, unless
 * collector mode counts another span of a call: `collector`).
 */
export async function assertOneCostPerCall(spans: readonly ReadableSpan[], expected: Bill, collector: Bill = expected): Promise<void> {
  assert.deepEqual(billOf(spans), expected, 'in process');
  const forwarded = await collectSpans(spans);
  assert.equal(forwarded.length, spans.length, 'every span forwarded');
  assert.deepEqual(billOf(forwarded, 'collector mode'), collector, 'collector mode');
}
