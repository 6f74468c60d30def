// Amounts as the billing APIs write them, read as decimals: a number is taken as the nearest double to the decimal
// written, and a scaled amount (cents) is scaled by moving the decimal point in the text, never by dividing a
// double, so "123.45" cents is exactly what "1.2345" dollars parses to. Money is summed once read; figures are
// rounded to 1e-10 USD where they are shown.
import { BillError } from './bill-line.ts';

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Dollars from a JSON number or a decimal string (OpenAI `amount.value`, FOCUS costs). */
export function dollars(value: unknown, where: string, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
  throw new BillError(where, `${what} must be a decimal amount, got ${JSON.stringify(value)}`);
}

/**
 * Dollars from cents written as a decimal string (Anthropic's `amount` and `list_amount`: "123.45" is $1.2345).
 * Only a string is taken: a JSON number here is not what the API writes, and may be an amount someone already
 * converted (the 100× mistake this guards against).
 */
export function centsAsDollars(value: unknown, where: string, what: string): number {
  const match = typeof value === 'string' ? DECIMAL.exec(value.trim()) : null;
  if (!match) {
    throw new BillError(
      where,
      `${what} must be a decimal string in cents, as Anthropic's API writes it (e.g. "123.45" for $1.2345), got ${JSON.stringify(value)}`,
    );
  }
  const [, sign, whole, fraction = ''] = match;
  const digits = whole!.padStart(3, '0');
  return Number(`${sign}${digits.slice(0, -2)}.${digits.slice(-2)}${fraction}`);
}
