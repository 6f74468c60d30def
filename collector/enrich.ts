// Collector mode's edge, on decoded OTLP messages: a span's attributes are parsed here, once; the span is classified
// (ledger/sources/registry.ts) and its call usage read in whatever convention it was written (ledger/call-usage.ts,
// the readers and the validity rule the in-process processor uses), and what reading adds is written back as OTLP
// key-values. It is priced later, when its trace is replayed through the span ledger (trace-rollup.ts), once the
// duplicate judge has said whether it is the call's counted span. Spans it cannot interpret keep every field they
// came with.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { callUsage } from '../ledger/call-usage.ts';
import { costFromAttributes, isPriced } from '../ledger/cost-attributes.ts';
import type { PricedCall } from '../ledger/pricing/call-pricer.ts';
import { classifySpan, type SpanClass } from '../ledger/sources/registry.ts';
import type { UsageFigures } from '../ledger/usage-figures.ts';

export type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: unknown;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
export type KeyValue = { key: string; value?: AnyValue };
export type OtlpSpan = { name?: unknown; attributes?: KeyValue[]; startTimeUnixNano?: unknown; status?: { code?: number } | null };

export interface EnrichedSpan {
  /** All the span's attributes, as read and added. */
  attributes: Attributes;
  spanClass: SpanClass;
  /** The call's usage as read and checked, when the span is an LLM call. */
  usage: UsageFigures | undefined;
  /** The cost it states, when it was priced where it was made (tokenledger in another process). */
  pricedElsewhere: PricedCall | undefined;
}

/** The instrumentation scope a span came with (its version tells some conventions apart). */
export interface SpanScope {
  name: string;
  version?: string | null;
}

/**
 * Reads one span: its class and call usage, and what reading adds (the usage figures in tokenledger's names), which
 * the caller writes where the span is forwarded (its key-values, or after its bytes).
 */
export function readSpan(span: OtlpSpan, scope: SpanScope): { enriched: EnrichedSpan; added: Attributes | undefined } {
  return readSpanAttributes(readAttributes(span.attributes ?? []), scope, typeof span.name === 'string' ? span.name : '');
}

/**
 * Reads a span from its attributes (as toAttributes made them): its class and call usage, and the cost it states.
 * What reading adds (the usage figures in tokenledger's names) is set on `attributes` and returned as `added`, for a
 * caller that forwards the span's key-values.
 */
export function readSpanAttributes(attributes: Attributes, scope: SpanScope, spanName: string): { enriched: EnrichedSpan; added: Attributes | undefined } {
  const spanClass = classifySpan(attributes, scope.name, spanName);
  const found = callUsage(attributes, scope.name, scope.version ?? undefined);
  if (found === undefined) return { enriched: { attributes, spanClass, usage: undefined, pricedElsewhere: undefined }, added: undefined };
  let added: Attributes | undefined;
  for (const _ in found.added) {
    added = found.added;
    Object.assign(attributes, added);
    break;
  }
  return { enriched: { attributes, spanClass, usage: found.usage, pricedElsewhere: isPriced(attributes) ? costFromAttributes(attributes) : undefined }, added };
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
  return fillAttributes({}, keyValues);
}

/**
 * A span's attributes as the edge reads them: what toAttributes gives, in an object without a prototype, which V8
 * keeps as a dictionary from the start. A span's 20–40 attributes then go in without the shape changes a plain
 * object goes through before it turns into a dictionary anyway (building and reading them takes ~40% less). Read and
 * copied from, never compared whole (`deepStrictEqual` sees the missing prototype).
 */
export function readAttributes(keyValues: KeyValue[]): Attributes {
  return fillAttributes(Object.create(null) as Attributes, keyValues);
}

function fillAttributes(attributes: Attributes, keyValues: KeyValue[]): Attributes {
  for (let i = 0; i < keyValues.length; i += 1) {
    const keyValue = keyValues[i]!;
    const converted = fromAnyValue(keyValue.value);
    if (converted !== undefined) attributes[keyValue.key] = converted;
  }
  return attributes;
}

// Decoded protobuf messages keep field defaults on their prototype: only own properties were on the wire.
const has = (value: object, key: string) => Object.hasOwn(value, key);

export function fromAnyValue(value: AnyValue | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  if (has(value, 'stringValue')) return value.stringValue;
  if (has(value, 'boolValue')) return value.boolValue;
  if (has(value, 'intValue')) {
    const int = value.intValue;
    // Number(String(int)) for a number is the number, -0 made 0 (as adding 0 does), without the string.
    return typeof int === 'number' ? int + 0 : Number(String(int));
  }
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
    const value = Object.hasOwn(added, key) ? added[key] : undefined;
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
