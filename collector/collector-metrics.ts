// Collector mode's own metrics, observed from its counts at each collection (beside the per-call and per-run
// metrics both deployables record): what was forwarded, dropped by reason, refused by reason, retried, evicted,
// late, and the bytes held against the memory limit.
import type { Meter } from '@opentelemetry/api';
import {
  ATTR_TOKENLEDGER_COLLECTOR_DROP_REASON,
  ATTR_TOKENLEDGER_COLLECTOR_MEMORY_PART,
  ATTR_TOKENLEDGER_COLLECTOR_REFUSAL_REASON,
  METRIC_TOKENLEDGER_COLLECTOR_MEMORY_USED,
  METRIC_TOKENLEDGER_COLLECTOR_REQUESTS_REFUSED,
  METRIC_TOKENLEDGER_COLLECTOR_SPANS_DROPPED,
  METRIC_TOKENLEDGER_COLLECTOR_SPANS_FORWARDED,
  METRIC_TOKENLEDGER_COLLECTOR_SPANS_LATE,
  METRIC_TOKENLEDGER_COLLECTOR_TRACES_EVICTED,
  METRIC_TOKENLEDGER_COLLECTOR_UPSTREAM_RETRIES,
  TOKENLEDGER_COLLECTOR_DROP_REASON_VALUES,
  TOKENLEDGER_COLLECTOR_MEMORY_PART_VALUES,
  TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUES,
  type TokenledgerCollectorDropReason,
  type TokenledgerCollectorRefusalReason,
} from '../conventions/attributes.ts';
import type { MemoryBudget } from './memory-budget.ts';

/** Everything collector mode counts over its life. */
export interface CollectorCounts {
  /** Spans taken from clients (answered 200). */
  acceptedSpans: number;
  /** Spans the upstream took. */
  forwardedSpans: number;
  droppedSpans: Record<TokenledgerCollectorDropReason, number>;
  refusedRequests: Record<TokenledgerCollectorRefusalReason, number>;
  upstreamRetries: number;
  evictedTraces: number;
  lateSpans: number;
}

export function emptyCounts(): Pick<CollectorCounts, 'acceptedSpans' | 'forwardedSpans' | 'droppedSpans' | 'refusedRequests'> {
  return {
    acceptedSpans: 0,
    forwardedSpans: 0,
    droppedSpans: Object.fromEntries(TOKENLEDGER_COLLECTOR_DROP_REASON_VALUES.map((reason) => [reason, 0])) as CollectorCounts['droppedSpans'],
    refusedRequests: Object.fromEntries(TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUES.map((reason) => [reason, 0])) as CollectorCounts['refusedRequests'],
  };
}

export function observeCollector(meter: Meter, counts: () => CollectorCounts, budget: MemoryBudget): void {
  const counter = (name: string, unit: string, read: (c: CollectorCounts) => number) =>
    meter.createObservableCounter(name, { unit }).addCallback((result) => result.observe(read(counts())));
  counter(METRIC_TOKENLEDGER_COLLECTOR_TRACES_EVICTED, '{trace}', (c) => c.evictedTraces);
  counter(METRIC_TOKENLEDGER_COLLECTOR_SPANS_LATE, '{span}', (c) => c.lateSpans);
  counter(METRIC_TOKENLEDGER_COLLECTOR_SPANS_FORWARDED, '{span}', (c) => c.forwardedSpans);
  counter(METRIC_TOKENLEDGER_COLLECTOR_UPSTREAM_RETRIES, '{request}', (c) => c.upstreamRetries);
  meter.createObservableCounter(METRIC_TOKENLEDGER_COLLECTOR_SPANS_DROPPED, { unit: '{span}' }).addCallback((result) => {
    const { droppedSpans } = counts();
    for (const reason of TOKENLEDGER_COLLECTOR_DROP_REASON_VALUES) result.observe(droppedSpans[reason], { [ATTR_TOKENLEDGER_COLLECTOR_DROP_REASON]: reason });
  });
  meter.createObservableCounter(METRIC_TOKENLEDGER_COLLECTOR_REQUESTS_REFUSED, { unit: '{request}' }).addCallback((result) => {
    const { refusedRequests } = counts();
    for (const reason of TOKENLEDGER_COLLECTOR_REFUSAL_REASON_VALUES) {
      result.observe(refusedRequests[reason], { [ATTR_TOKENLEDGER_COLLECTOR_REFUSAL_REASON]: reason });
    }
  });
  meter.createObservableUpDownCounter(METRIC_TOKENLEDGER_COLLECTOR_MEMORY_USED, { unit: 'By' }).addCallback((result) => {
    for (const part of TOKENLEDGER_COLLECTOR_MEMORY_PART_VALUES) result.observe(budget.part(part), { [ATTR_TOKENLEDGER_COLLECTOR_MEMORY_PART]: part });
  });
}
