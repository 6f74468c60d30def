// Collector mode's per-span work, on decoded OTLP messages: read a span's attributes (the edge where attributes are
// parsed), read its usage in whatever convention it was written (the same readers and validity rule the
// in-process processor uses), price it unless it was priced where it was made, and write what it adds back as
// OTLP key-values. The call's figures are worked out here, once, and held for the rollup. Spans it cannot
// interpret keep every field they came with.
import { SpanStatusCode, type Attributes, type AttributeValue } from '@opentelemetry/api';
import { backendAttributes, type BackendConvention } from '../ledger/backend-attributes.ts';
import { callFigures, type CallFigures } from '../ledger/call-figures.ts';
import { costFromAttributes, isPriced, writeCostAttributes } from '../ledger/cost-attributes.ts';
import { callDescription, isLlmCall, isRefusedCall, requestModelOf } from '../ledger/llm-spans.ts';
import type { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { normalisedAttributes, spanUsage } from '../ledger/source-conventions.ts';
import { unknownUsage, usageFigures, type UsageFigures } from '../ledger/usage-figures.ts';

export type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: unknown;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
export type KeyValue = { key: string; value?: AnyValue };
export type OtlpSpan = { attributes?: KeyValue[]; startTimeUnixNano?: unknown; status?: { code?: number } | null };

export interface EnrichedSpan {
  /** All the span's attributes, as read and added. */
  attributes: Attributes;
  /** The call's figures, when the span is an LLM call. */
  figures: CallFigures | undefined;
  /** The call's usage as read and checked, when the span states any (what re-pricing it starts from). */
  usage: UsageFigures | undefined;
}

/** The instrumentation scope a span came with (its version tells some conventions apart). */
export interface SpanScope {
  name: string;
  version?: string | null;
}

/** Adds tokenledger's figures to one span (and, when asked, the same figures in other backends' conventions). */
export function enrichSpan(span: OtlpSpan, scope: SpanScope, pricer: CallPricer, backendConventions: readonly BackendConvention[] = []): EnrichedSpan {
  const attributes = toAttributes(span.attributes ?? []);
  const added: Attributes = {};
  let usage: UsageFigures | undefined;
  const read = spanUsage(attributes, scope.name, scope.version ?? undefined);
  if (read && isLlmCall(attributes, read.describing)) {
    usage = usageFigures(read.usage);
    Object.assign(added, normalisedAttributes(attributes, read, usage));
    Object.assign(attributes, added);
  }
  let figures: CallFigures | undefined;
  if (isLlmCall(attributes)) {
    const failed = Number(span.status?.code ?? 0) === SpanStatusCode.ERROR;
    const model = requestModelOf(attributes);
    if (isRefusedCall(attributes)) {
      figures = { model, failed, refused: true };
    } else {
      const known = usage ?? unknownUsage('usage_missing');
      let priced;
      if (isPriced(attributes)) {
        priced = costFromAttributes(attributes);
      } else {
        priced = pricer.price(known, callDescription(attributes, new Date(nanosToMillis(span.startTimeUnixNano))));
        const cost = writeCostAttributes(priced, {});
        Object.assign(attributes, cost);
        Object.assign(added, cost);
      }
      figures = callFigures(known, priced, model, failed);
      if (backendConventions.length > 0) {
        const backend = backendAttributes(backendConventions, figures, attributes);
        Object.assign(attributes, backend);
        Object.assign(added, backend);
      }
    }
  }
  if (Object.keys(added).length > 0) span.attributes = withAttributes(span.attributes ?? [], added);
  return { attributes, figures, usage };
}

/** A start time to price by: milliseconds are all a price date needs, so no exact arithmetic here. */
function nanosToMillis(value: unknown): number {
  let nanos = Number.NaN;
  if (typeof value === 'number') nanos = value;
  else if (typeof value === 'string') nanos = Number(value);
  else if (typeof value === 'object' && value !== null && typeof (value as { toNumber?: unknown }).toNumber === 'function') nanos = (value as { toNumber(): number }).toNumber();
  return Number.isFinite(nanos) && nanos > 0 ? nanos / 1e6 : Date.now();
}

/** A fixed64 time as decoded (a Long, a number, or a string from JSON), exactly: the order of spans depends on it. */
export function unixNanos(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? BigInt(value) : 0n;
  if (typeof value === 'string') return /^\d{1,20}$/.test(value) ? BigInt(value) : 0n;
  if (typeof value === 'object' && value !== null && 'high' in value && 'low' in value) {
    const { high, low } = value as { high: number; low: number };
    return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  }
  return 0n;
}

export function toAttributes(keyValues: KeyValue[]): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of keyValues) {
    const converted = fromAnyValue(value);
    if (converted !== undefined) attributes[key] = converted;
  }
  return attributes;
}

// Decoded protobuf messages keep field defaults on their prototype: only own properties were on the wire.
const has = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

export function fromAnyValue(value: AnyValue | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  if (has(value, 'stringValue')) return value.stringValue;
  if (has(value, 'boolValue')) return value.boolValue;
  if (has(value, 'intValue')) return Number(String(value.intValue));
  if (has(value, 'doubleValue')) return value.doubleValue;
  if (has(value, 'arrayValue') && value.arrayValue) {
    const items = (value.arrayValue.values ?? []).map(fromAnyValue);
    if (items.every((item) => typeof item === 'string')) return items as string[];
    if (items.every((item) => typeof item === 'number')) return items as number[];
    if (items.every((item) => typeof item === 'boolean')) return items as boolean[];
  }
  return undefined;
}

export function toAnyValue(value: AttributeValue): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  return { arrayValue: { values: (value as Array<string | number | boolean>).map((item) => toAnyValue(item)) } };
}

/** The key-values with `added` set: existing keys given their new value, new keys appended (in place). */
export function withAttributes(keyValues: KeyValue[], added: Attributes): KeyValue[] {
  // One pass over the span's own keys (a handful) rather than an index of them: most added keys are new.
  let replaced: Set<string> | undefined;
  for (let i = 0; i < keyValues.length; i += 1) {
    const key = keyValues[i]!.key;
    const value = Object.prototype.hasOwnProperty.call(added, key) ? added[key] : undefined;
    if (value === undefined) continue;
    keyValues[i] = { key, value: toAnyValue(value) };
    (replaced ??= new Set()).add(key);
  }
  for (const key in added) {
    const value = added[key];
    if (value !== undefined && !replaced?.has(key)) keyValues.push({ key, value: toAnyValue(value) });
  }
  return keyValues;
}
