// A call's usage figures, found once at the edge where a span is read: the ones tokenledger's instrumentation handed
// over with the span (in process), else the ones its source convention states in its attributes (another
// instrumentation's span, a provider SDK's own, any span in collector mode and the cost lab). A span that says it is
// an LLM call and states no usage is still a call, with its usage unknown (`usage_missing`), never zero.
import type { Attributes } from '@opentelemetry/api';
import { normalisedAttributes, spanUsage } from './sources/registry.ts';
import { isLlmCall } from './sources/source.ts';
import { unknownUsage, usageFigures, type UsageFigures } from './usage-figures.ts';

export interface CallUsage {
  usage: UsageFigures;
  /** What reading it adds to the span: the figures in tokenledger's names and what it lacks to be priced. */
  added: Attributes;
}

const NOTHING_ADDED: Attributes = Object.freeze({}) as Attributes;

/** The span's call usage; undefined for a span that is no LLM call. */
export function callUsage(attributes: Attributes, scope: string, scopeVersion: string | undefined, handedOver?: UsageFigures): CallUsage | undefined {
  if (handedOver) return isLlmCall(attributes) ? { usage: handedOver, added: NOTHING_ADDED } : undefined;
  const read = spanUsage(attributes, scope, scopeVersion);
  if (!read) return isLlmCall(attributes) ? { usage: unknownUsage('usage_missing'), added: NOTHING_ADDED } : undefined;
  if (!isLlmCall(attributes, read.describing)) return undefined;
  const usage = usageFigures(read.usage);
  return { usage, added: normalisedAttributes(attributes, read, usage) };
}
