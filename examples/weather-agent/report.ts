// Prints each LLM call's six token types and cost, read back from the spans tokenledger wrote.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_COST_PRICE_ENTRY,
  ATTR_TOKENLEDGER_COST_USD,
  ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS,
} from '../../conventions/index.ts';

const COLUMNS: Array<[string, string]> = [
  ['input', ATTR_GEN_AI_USAGE_INPUT_TOKENS],
  ['uncached', ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS],
  ['cache read', ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS],
  ['cache write', ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS],
  ['output', ATTR_GEN_AI_USAGE_OUTPUT_TOKENS],
  ['reasoning', ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS],
  ['tool result*', ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS],
  ['cost USD', ATTR_TOKENLEDGER_COST_USD],
];

export function printRunReport(spans: ReadableSpan[]): void {
  const calls = spans.filter((span) => span.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] !== undefined);
  const header = ['step', ...COLUMNS.map(([label]) => label)];
  const rows = calls.map((span, i) => [String(i + 1), ...COLUMNS.map(([, key]) => String(span.attributes[key] ?? '—'))]);
  const totals = COLUMNS.map(([, key]) => calls.reduce((sum, span) => sum + Number(span.attributes[key] ?? 0), 0));
  rows.push(['total', ...totals.map((total) => String(Math.round(total * 1e10) / 1e10))]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const [input, , cacheRead] = totals;
  const cost = totals.at(-1)!;
  console.log(
    `\n${calls.length} LLM calls, $${cost.toFixed(6)} in all (priced as ${calls[0]?.attributes[ATTR_TOKENLEDGER_COST_PRICE_ENTRY]}); cache hit rate ${((100 * cacheRead!) / input!).toFixed(1)}% of input tokens.`,
  );
  console.log('* tool result: estimated share of input (a subset of input, not added to it).');
}
