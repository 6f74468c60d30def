// The token-type table (generated from the registry into conventions/token-types.ts) as the code uses it: the
// figures a call can have, keyed by the table's ids, and the rows grouped the ways every projection walks them.
// Nothing here names a token type: adding a row to the registry adds it to every projection.
import { TOKEN_TOTALS, TOKEN_TYPES, type TokenTypeId } from '../conventions/token-types.ts';

export { TOKEN_TOTALS, TOKEN_TYPES, type TokenTypeId };
export type TokenTypeRow = (typeof TOKEN_TYPES)[number];
export type TokenTotalId = (typeof TOKEN_TOTALS)[number]['id'];

/** A call's token figures by type and total id; a figure left undefined is unknown. */
export type TokenCounts = { [K in TokenTypeId | TokenTotalId]?: number };

/** A call's cost by type (USD), with the total. A part left undefined is unknown. */
export type CostAmounts = { [K in TokenTypeId | 'total']?: number };

/** The rows counted in tokens (every row but the per-request fees). */
export const TOKEN_ROWS: readonly TokenTypeRow[] = TOKEN_TYPES.filter((row) => row.side !== 'fees');
/** The parts of a call's bill: their costs add up to the total. */
export const PART_ROWS: readonly TokenTypeRow[] = TOKEN_TYPES.filter((row) => row.role === 'part');
/** The token parts: they add up to all input + all output. */
export const TOKEN_PART_ROWS: readonly TokenTypeRow[] = PART_ROWS.filter((row) => row.side !== 'fees');
/** The subsets: inside a part, never added on top of it. */
export const SUBSET_ROWS: readonly TokenTypeRow[] = TOKEN_TYPES.filter((row) => row.role === 'subset');

/** The total of the given parts, or undefined when any of them is unknown. */
export function sumOf(counts: TokenCounts, parts: readonly string[]): number | undefined {
  let sum = 0;
  for (const part of parts) {
    const value = counts[part as TokenTypeId];
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}

/** Whether every token part is known: only then do the call's tokens count in a run's totals. */
export function partsKnown(counts: TokenCounts): boolean {
  for (const row of TOKEN_PART_ROWS) if (counts[row.id] === undefined) return false;
  return true;
}
