// One rollup engine: random traces (test/random-traces.ts) — requests around agents, nested agents, retries, refused
// calls, failed tools, malformed usage, calls that end after their run, two spans of one call (a framework's around
// the SDK's; a second source's beside it with the same response id), agents learning
// their ideal steps — go once through the
// in-process span processor (started and ended in time order, as an app would) and once through collector mode
// (the same spans as OTLP/JSON from three services, in shuffled order and several requests). Every run attribute,
// every call's cost, and every metric must come out the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { collectorMode, generateTrace, inProcess, random } from './random-traces.ts';

const RUN_AND_COST = /^tokenledger\.(run|cost|usage)\./;

/** What is compared of a span: tokenledger's run, cost and usage figures. */
function figuresOf(attributes: Attributes | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes ?? {})
      .filter(([key]) => RUN_AND_COST.test(key))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** A metric's points as sorted [attributes, value] pairs; histograms by count, sum, min and max. */
function pointsOf(metric: MetricData | undefined): string[] {
  return (metric?.dataPoints ?? [])
    .map((point) => {
      const value = point.value as number | { count: number; sum?: number };
      const shown = typeof value === 'number' ? value.toFixed(9) : `${value.count} ${value.sum?.toFixed(9)}`;
      return `${JSON.stringify(Object.entries(point.attributes).sort())} ${shown}`;
    })
    .sort();
}

/** The metrics both deployables record (the self-metrics of each differ by design). */
const COMPARED_METRICS = [
  'tokenledger.tokens',
  'tokenledger.tokens.subset',
  'tokenledger.cost',
  'tokenledger.cost.subset',
  'tokenledger.calls.unpriced',
  'tokenledger.runs',
  'tokenledger.run.cost',
  'tokenledger.run.steps',
  'tokenledger.run.step_inflation',
  'tokenledger.run.cache_hit_rate',
  'tokenledger.run.token_efficiency',
  'tokenledger.processor.spans.late',
  'gen_ai.client.inference.usage.input_tokens',
  'gen_ai.client.inference.usage.output_tokens',
  'gen_ai.client.inference.usage.cache_read.input_tokens',
  'gen_ai.client.inference.usage.cache_write.input_tokens',
  'gen_ai.client.inference.usage.reasoning.output_tokens',
  'gen_ai.client.inference.operation.input_tokens',
  'gen_ai.client.inference.operation.output_tokens',
  'gen_ai.client.operation.duration',
];

for (const seed of [1, 2, 3]) {
  test(`rollup parity (seed ${seed}): in-process and collector mode give the same runs, costs and metrics`, { timeout: 60_000 }, async () => {
    const rng = random(seed);
    const traces = Array.from({ length: 40 }, (_, index) => generateTrace(rng, index, { duplicates: true }));
    const spanCount = traces.reduce((sum, spans) => sum + spans.length, 0);
    const ours = await inProcess(traces);
    const collected = await collectorMode(traces, random(seed + 100));
    assert.equal(collected.attributes.size, spanCount, 'every span forwarded');
    let runs = 0;
    let nested = 0;
    let learned = 0;
    for (const spans of traces) {
      for (const span of spans) {
        const expected = figuresOf(ours.attributes.get(span.id));
        assert.deepEqual(figuresOf(collected.attributes.get(span.id)), expected, `${span.name} ${span.id}`);
        if (expected['tokenledger.run.steps'] !== undefined) runs += 1;
        if (expected['tokenledger.run.nested'] === true) nested += 1;
        if (expected['tokenledger.run.ideal_steps.source'] === 'learned') learned += 1;
      }
    }
    // The traces exercise what they are meant to: runs, nested runs, learned ideal steps.
    assert.ok(runs >= 40 && nested > 0 && learned > 0, `runs ${runs}, nested ${nested}, learned ${learned}`);
    for (const name of COMPARED_METRICS) assert.deepEqual(pointsOf(collected.metrics.get(name)), pointsOf(ours.metrics.get(name)), name);
  });
}
