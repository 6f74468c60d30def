// whatif and report re-price the traces their first read kept, as a second read of the files would give them, and
// read the files again when there were more calls than they keep. Prices (acme-large, USD per million tokens):
// input 10, cache read 1, cache write 12.5, output 50.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallPricer } from '../../ledger/pricing/call-pricer.ts';
import { validatePriceOverrides } from '../../ledger/pricing/price-overrides.ts';
import { agentSpan, callSpan, TEST_PRICES, writeRecording } from '../../test/recording-builder.ts';
import { readRecordings } from '../recording/read-recordings.ts';
import { KeptTraces } from './kept-traces.ts';
import { PrefixSurvey } from './prefix-survey.ts';
import { repriceRecordings } from './whatif-command.ts';
import { whatifJson } from './whatif-output.ts';

const path = join(mkdtempSync(join(tmpdir(), 'tokenledger-kept-')), 'recording.jsonl');
// Two tasks of one agent on one prompt prefix, and a call in no run:
//   task 1: 10,000 in, 1,000 out → $0.15; 12,000 in (10,000 read from the cache), 2,000 out → 0.02 + 0.01 + 0.1 = $0.13
//   task 2: 10,000 in, 500 out → $0.125                  the lone call: 2,000 in, 100 out → $0.025
writeRecording(path, [
  callSpan({ trace: 1, id: 2, start: 0, input: 10_000, output: 1000, prefix: 'p1' }),
  callSpan({ trace: 1, id: 3, start: 60, input: 12_000, output: 2000, cacheRead: 10_000, prefix: 'p1' }),
  agentSpan(1, 'support', 0, 62),
  callSpan({ trace: 2, id: 2, start: 600, input: 10_000, output: 500, prefix: 'p1' }),
  agentSpan(2, 'support', 600, 602),
  { ...callSpan({ trace: 3, id: 1, start: 700, input: 2000, output: 100 }), parent: undefined },
  // A trace of neither runs nor calls: nothing to re-price, so not kept.
  { trace: 4, id: 1, name: 'execute_tool lookup', start: 800, end: 801, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } },
]);
const options = { pricer: new CallPricer({ overrides: validatePriceOverrides(TEST_PRICES) }), holdSpans: 20_000, maxSpans: 100_000 };

/** `maxKept`: the calls and runs the first read keeps at most (4 calls and 2 runs here). */
async function firstRead(maxKept: number) {
  const survey = new PrefixSurvey();
  const kept = new KeptTraces(maxKept);
  const stats = await readRecordings([path], options, [survey, kept]);
  return { survey, stats, traces: kept.traces };
}

test('whatif: the traces kept from the first read are re-priced as a second read gives them', async () => {
  const { survey, stats, traces } = await firstRead(6);
  assert.equal(stats.traces, 4);
  assert.equal(traces?.length, 3);
  const kept = await repriceRecordings([path], options, survey, {}, { stats, traces });
  const readAgain = await repriceRecordings([path], options, survey, {}, { stats, traces: undefined });
  assert.deepEqual(whatifJson(kept), whatifJson(readAgain));
  assert.equal(kept.repricing.calls, 4);
  assert.equal(kept.repricing.usdBefore.toFixed(6), '0.430000');
  assert.equal(kept.repricing.taskUsdBefore.toFixed(6), '0.405000');
  assert.deepEqual(
    kept.repricing.runs.map((run) => [run.id, run.usdBefore.toFixed(6)]),
    [
      ['0000000000000001', '0.280000'],
      ['0000000000000001', '0.125000'],
    ],
  );
});

test('whatif: a first read with more calls and runs than it keeps keeps none, and the files are read again', async () => {
  const { traces } = await firstRead(5);
  assert.equal(traces, undefined);
});
