// Reading span attribute values that other code wrote, so a wrong type reads as unknown, never as a number.
import type { AttributeValue } from '@opentelemetry/api';

/** A token or request count: a non-negative safe integer, else undefined. */
export function countAttribute(value: AttributeValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** An amount already worked out (a token total or a cost): a finite non-negative number, else undefined. */
export function amountAttribute(value: AttributeValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A non-empty string, else undefined. */
export function stringAttribute(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** One of an attribute's closed set of values (the registry's `values`), else undefined. */
export function closedValue<T extends string>(values: readonly T[], value: AttributeValue | undefined): T | undefined {
  return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}
