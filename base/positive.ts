// The one check of a configured limit or budget: a positive number (an integer where it counts things). Zero, a
// negative number or NaN is an error at once, with a message naming the setting.
export function positive(value: unknown, where: string, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`tokenledger: ${where} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
  return value;
}
