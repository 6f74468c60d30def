// The before/after table, every figure read from the tokenledger.run.* attributes on the run spans.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_TOKENLEDGER_RUN_CACHE_HIT_RATE,
  ATTR_TOKENLEDGER_RUN_COST_USD,
  ATTR_TOKENLEDGER_RUN_STEP_INFLATION,
  ATTR_TOKENLEDGER_RUN_STEPS,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
  ATTR_TOKENLEDGER_RUN_TOKEN_EFFICIENCY,
  ATTR_TOKENLEDGER_RUN_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_INPUT_TOKENS,
  ATTR_TOKENLEDGER_RUN_USAGE_OUTPUT_TOKENS,
} from '../../conventions/index.ts';

export interface RunFigures {
  steps: number;
  input: number;
  cacheRead: number;
  output: number;
  cost: number;
  success: boolean;
  cacheHitRate: number;
  tokenEfficiency: number;
  stepInflation: number;
}

export function runFigures(spans: ReadableSpan[]): RunFigures[] {
  return spans
    .filter((span) => span.attributes[ATTR_GEN_AI_OPERATION_NAME] === 'invoke_agent')
    .map(({ attributes: a }) => ({
      steps: Number(a[ATTR_TOKENLEDGER_RUN_STEPS]),
      input: Number(a[ATTR_TOKENLEDGER_RUN_USAGE_INPUT_TOKENS]),
      cacheRead: Number(a[ATTR_TOKENLEDGER_RUN_USAGE_CACHE_READ_INPUT_TOKENS]),
      output: Number(a[ATTR_TOKENLEDGER_RUN_USAGE_OUTPUT_TOKENS]),
      cost: Number(a[ATTR_TOKENLEDGER_RUN_COST_USD]),
      success: a[ATTR_TOKENLEDGER_RUN_SUCCESS] === true,
      cacheHitRate: Number(a[ATTR_TOKENLEDGER_RUN_CACHE_HIT_RATE]),
      tokenEfficiency: Number(a[ATTR_TOKENLEDGER_RUN_TOKEN_EFFICIENCY]),
      stepInflation: Number(a[ATTR_TOKENLEDGER_RUN_STEP_INFLATION]),
    }));
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function printComparison(results: Map<string, RunFigures[]>): void {
  const header = [
    'configuration',
    'tasks',
    'steps/task',
    'input tokens/task',
    'cached share',
    'output tokens/task',
    'cost/task',
    'success',
    'token efficiency',
    'step inflation',
  ];
  const rows = [...results].map(([name, runs]) => [
    name,
    String(runs.length),
    mean(runs.map((r) => r.steps)).toFixed(1),
    Math.round(mean(runs.map((r) => r.input))).toLocaleString('en-US'),
    `${((100 * mean(runs.map((r) => r.cacheRead))) / mean(runs.map((r) => r.input))).toFixed(1)}%`,
    Math.round(mean(runs.map((r) => r.output))).toLocaleString('en-US'),
    `$${mean(runs.map((r) => r.cost)).toFixed(4)}`,
    `${runs.filter((r) => r.success).length}/${runs.length}`,
    mean(runs.map((r) => r.tokenEfficiency)).toFixed(3),
    mean(runs.map((r) => r.stepInflation)).toFixed(2),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const [before, after] = [...results.values()].map((runs) => mean(runs.map((r) => r.cost)));
  if (before && after !== undefined)
    console.log(`\nThe optimised agent costs ${(100 * (1 - after / before)).toFixed(0)}% less per task, from the rollup on each run span.`);
  console.log('\nWhat each column is (per task, means over the tasks; the run span attribute in brackets):');
  for (const [column, meaning] of KPI_LEGEND) console.log(`  ${column.padEnd(19)} ${meaning}`);
}

/** One line per column of the table, with the definitions of docs/runs.md. */
export const KPI_LEGEND: ReadonlyArray<[string, string]> = [
  ['steps/task', 'LLM calls the agent made [tokenledger.run.steps]'],
  ['input tokens/task', 'all input sent, cache reads and writes included [tokenledger.run.usage.input_tokens]'],
  ['cached share', 'cache-read input / all input: the input billed at the cache-read rate, a tenth of the input rate [tokenledger.run.cache_hit_rate]'],
  ['output tokens/task', "all output, reasoning included; the optimised agent caps each step's output [tokenledger.run.usage.output_tokens]"],
  ['cost/task', 'USD from the price data, every token type at its own rate [tokenledger.run.cost.usd]'],
  ['success', 'tasks that ended with an answer [tokenledger.run.success]'],
  [
    'token efficiency',
    'useful output / (input + output), in tokens, useful output = output of calls that did not fail [tokenledger.run.token_efficiency]. ' +
      'It counts tokens, not dollars: a cached token still counts in full, so caching cuts the cost but not this ratio, and the ' +
      'output cap shrinks its numerator; that is why the optimised agent is lower here while it costs less',
  ],
  ['step inflation', 'steps / the ideal steps the run declares (5): 1.00 is no wasted step [tokenledger.run.step_inflation]'],
];
