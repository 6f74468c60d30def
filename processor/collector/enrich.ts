// Collector mode's per-span work, on decoded OTLP messages: read a span's attributes, normalise LLM spans written
// in any supported convention (the same code the in-process processor runs), price them, and write the added
// attributes back as OTLP key-values. Spans it cannot interpret keep every field they came with.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { ATTR_TOKENLEDGER_COST_UNKNOWN_REASON, ATTR_TOKENLEDGER_COST_USD } from '../../conventions/attributes.ts';
import { isLlmCall } from '../llm-spans.ts';
import type { CallPricer } from '../pricing/call-pricer.ts';
import { sourceConventionAttributes } from '../source-conventions.ts';

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: unknown;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
export type KeyValue = { key: string; value?: AnyValue };
export type OtlpSpan = { attributes?: KeyValue[]; startTimeUnixNano?: unknown };
/** Adds tokenledger's figures to one span; returns all its attributes, as read and added. */
export function enrichSpan(span: OtlpSpan, scope: string, pricer: CallPricer): Attributes {
  const attributes = toAttributes(span.attributes ?? []);
  const normalised = sourceConventionAttributes(attributes, scope);
  if (normalised) Object.assign(attributes, normalised);
  let added: Attributes = normalised ?? {};
  const alreadyPriced = attributes[ATTR_TOKENLEDGER_COST_USD] !== undefined || attributes[ATTR_TOKENLEDGER_COST_UNKNOWN_REASON] !== undefined;
  if (isLlmCall(attributes) && !alreadyPriced) {
    const cost = pricer.price(attributes, new Date(nanosToMillis(span.startTimeUnixNano))).attributes;
    Object.assign(attributes, cost);
    added = { ...added, ...cost };
  }
  if (Object.keys(added).length > 0) span.attributes = withAttributes(span.attributes ?? [], added);
  return attributes;
}

function nanosToMillis(value: unknown): number {
  const time = nanos(value);
  return Number.isFinite(time) && time > 0 ? time / 1e6 : Date.now();
}

/** A fixed64 as decoded (a Long, a number, or a string from JSON) as a number; times only need that precision. */
export function nanos(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return Number(String(value ?? 0));
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

function fromAnyValue(value: AnyValue | undefined): AttributeValue | undefined {
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
  const index = new Map<string, number>();
  for (let i = 0; i < keyValues.length; i += 1) index.set(keyValues[i]!.key, i);
  for (const key of Object.keys(added)) {
    const value = added[key];
    if (value === undefined) continue;
    const keyValue = { key, value: toAnyValue(value) };
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, keyValues.length);
      keyValues.push(keyValue);
    } else {
      keyValues[at] = keyValue;
    }
  }
  return keyValues;
}
