// tokenledger whatif: recorded calls re-priced lever by lever, with prices chosen so every saving can be checked by
// hand (acme-large, USD per million tokens: input 10, cache read 1, cache write 12.5 for 5 min / 20 for 1 h, output 50).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.ts';
import { agentSpan, callSpan, TEST_PRICES, writeRecording } from './recording-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokenledger-whatif-'));
const prices = join(dir, 'prices.json');
const plain = join(dir, 'plain.jsonl');
const cached = join(dir, 'cached.jsonl');
const unknownModel = join(dir, 'unknown-model.jsonl');

before(() => {
  writeFileSync(prices, JSON.stringify(TEST_PRICES));
  // Two tasks of one agent, nothing cached, one prompt prefix. Task 1 at 0 s and 60 s; task 2 at 600 s and 660 s.
  //   call 1: 10,000 in, 1,000 out → 0.1 + 0.05 = $0.15      call 3: 10,000 in,   500 out → 0.1 + 0.025 = $0.125
  //   call 2: 12,000 in, 2,000 out → 0.12 + 0.1 = $0.22      call 4: 14,000 in, 3,000 out (1,000 reasoning) → 0.14 + 0.15 = $0.29
  // $0.785 in all; both tasks succeed: $0.3925 per successful task.
  writeRecording(plain, [
    callSpan({ trace: 1, id: 2, start: 0, input: 10_000, output: 1000, prefix: 'p1' }),
    callSpan({ trace: 1, id: 3, start: 60, input: 12_000, output: 2000, prefix: 'p1' }),
    agentSpan(1, 'support', 0, 62),
    callSpan({ trace: 2, id: 2, start: 600, input: 10_000, output: 500, prefix: 'p1' }),
    callSpan({ trace: 2, id: 3, start: 660, input: 14_000, output: 3000, reasoning: 1000, prefix: 'p1' }),
    agentSpan(2, 'support', 600, 662),
  ]);
  // The same calls caching their 10,000-token prefix with the 5-minute TTL: written at 0 s, read at 60 s, written again
  // at 600 s (expired), read at 660 s.
  writeRecording(cached, [
    callSpan({ trace: 1, id: 2, start: 0, input: 10_000, output: 1000, cacheWrite5m: 10_000, prefix: 'p1' }),
    callSpan({ trace: 1, id: 3, start: 60, input: 12_000, output: 2000, cacheRead: 10_000, prefix: 'p1' }),
    agentSpan(1, 'support', 0, 62),
    callSpan({ trace: 2, id: 2, start: 600, input: 10_000, output: 500, cacheWrite5m: 10_000, prefix: 'p1' }),
    callSpan({ trace: 2, id: 3, start: 660, input: 14_000, output: 3000, cacheRead: 10_000, prefix: 'p1' }),
    agentSpan(2, 'support', 600, 662),
  ]);
  writeRecording(unknownModel, [
    callSpan({ trace: 1, id: 2, start: 0, input: 10_000, output: 1000 }),
    callSpan({ trace: 1, id: 3, start: 60, model: 'acme-mystery', input: 12_000, output: 2000 }),
    agentSpan(1, 'support', 0, 62),
    callSpan({ trace: 2, id: 2, start: 600, input: 10_000, output: 500 }),
    agentSpan(2, 'support', 600, 662),
  ]);
});

async function run(args: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text), env: {} });
  return { code, out, err };
}

interface LeverJson {
  lever: string;
  label: string;
  assumption: string;
  saving_usd: number;
  usd_after: number;
  saving_per_task_usd: number | null;
  usd_per_successful_task_before: number | null;
  usd_per_successful_task_after: number | null;
  calls_changed: number;
}

async function levers(args: string[]): Promise<{ json: Record<string, unknown>; levers: Map<string, LeverJson> }> {
  const result = await run(['whatif', ...args, '--prices', prices, '--json']);
  assert.equal(result.code, 0, result.err);
  const json = JSON.parse(result.out) as Record<string, unknown> & { levers: LeverJson[] };
  return { json, levers: new Map(json.levers.map((lever) => [lever.lever, lever])) };
}

test("whatif: the stable prefix served from the cache, by the calls' timing against the 5-minute TTL", async () => {
  const { json, levers: byId } = await levers([plain, '--cache-prefix']);
  assert.equal(json.usd, 0.785);
  const lever = byId.get('cache_prefix')!;
  // The prefix is 10,000 tokens (the smallest input with it). Call 1 writes it: 10,000 × 12.5 + 1,000 × 50 = $0.175;
  // call 2 (60 s later) reads it: 2,000 × 10 + 10,000 × 1 + 2,000 × 50 = $0.13; call 3 (540 s after call 2, past the
  // TTL) writes it again: $0.15; call 4 reads it: 4,000 × 10 + 10,000 × 1 + 3,000 × 50 = $0.2. $0.655 in all.
  assert.equal(lever.usd_after, 0.655);
  assert.equal(lever.saving_usd, 0.13);
  assert.equal(lever.saving_per_task_usd, 0.065);
  assert.equal(lever.usd_per_successful_task_before, 0.3925);
  assert.equal(lever.usd_per_successful_task_after, 0.3275);
  assert.equal(lever.calls_changed, 4);
  assert.match(lever.assumption, /smallest input seen with it \(an upper bound/);
});

test('whatif: with the 1-hour TTL the prefix written at 0 s is still cached at 600 s', async () => {
  const { levers: byId } = await levers([plain, '--cache-prefix', '--cache-ttl', '1h']);
  // Call 1 writes at the 1-hour rate: 10,000 × 20 + 1,000 × 50 = $0.25; calls 2, 3 and 4 read:
  // $0.13 + (10,000 × 1 + 500 × 50 = $0.035) + $0.2. $0.615 in all.
  assert.equal(byId.get('cache_prefix')!.usd_after, 0.615);
  assert.equal(byId.get('cache_prefix')!.saving_usd, 0.17);
  assert.equal(byId.get('cache_ttl')!.saving_usd, 0, 'nothing was cached, so the TTL alone changes nothing');
  assert.equal(byId.get('combined')!.usd_after, 0.615);
});

test('whatif: the other cache TTL turns a write made again within the hour into a read, at the 1-hour write rate', async () => {
  const { json, levers: byId } = await levers([cached, '--cache-ttl', '1h']);
  // As recorded: call 1 10,000 × 12.5 + 1,000 × 50 = $0.175; call 2 $0.13; call 3 10,000 × 12.5 + 500 × 50 = $0.15; call 4 $0.2.
  assert.equal(json.usd, 0.655);
  // 1 h: call 1's write costs 10,000 × (20 − 12.5) = $0.075 more; call 3, 540 s after call 2, reads: 10,000 × (12.5 − 1) = $0.115 less.
  assert.equal(byId.get('cache_ttl')!.saving_usd, 0.04);
  assert.equal(byId.get('cache_ttl')!.calls_changed, 2);
});

test('whatif: the batch rate, an output cap, and another model with the tokens held constant', async () => {
  const { json, levers: byId } = await levers([plain, '--batch', '--max-output-tokens', '1500', '--model', 'acme-small']);
  assert.equal(json.tokens_held_constant, true);
  assert.equal(byId.get('batch')!.saving_usd, 0.3925); // half of $0.785
  // Call 2 writes 1,500 instead of 2,000 (500 × 50 = $0.025), call 4 1,500 instead of 3,000 ($0.075).
  assert.equal(byId.get('output_cap')!.saving_usd, 0.1);
  // acme-small: 10,000 × 1 + 1,000 × 5 = $0.015; $0.022; $0.0125; $0.029 — $0.0785 in all.
  assert.equal(byId.get('model')!.usd_after, 0.0785);
  assert.match(byId.get('model')!.assumption, /tokens held constant/);
  // All three: acme-small, output capped, at half price: (0.015 + 0.012 + 0.0075 + 0.0125 + 0.014 + 0.0075) / 2.
  assert.equal(byId.get('combined')!.usd_after, 0.03425);
  const ranked = (json.levers as LeverJson[]).map((lever) => lever.lever);
  assert.deepEqual(ranked, ['combined', 'model', 'batch', 'output_cap']);
});

test('whatif: with no lever flag every lever is ranked, and the text says tokens are held constant', async () => {
  const { out, code } = await run(['whatif', plain, '--prices', prices]);
  assert.equal(code, 0);
  assert.match(out, /Tokens are held constant: each lever re-prices the tokens the calls used; it does not run them again\./);
  const order = [...out.matchAll(/^\d\.\s+(.+?)\s{2,}/gm)].map((match) => match[1]);
  // Batch saves $0.3925; the prefix $0.13; output capped at the 90th percentile (3,000: no call wrote more) nothing;
  // the 1-hour TTL nothing (nothing cached).
  assert.deepEqual(order, [
    'batch API',
    'cache the stable prompt prefix (5-minute TTL)',
    'cache writes with the 1-hour TTL',
    'cap output at 3,000 tokens (the 90th percentile of recorded output)',
  ]);
  assert.match(out, /000000000000000[0-9a-f] {2}support {2}success {2}\$0\.4150/);
});

test('whatif: a call that cannot be priced is left out and said so; its run has no saving figure', async () => {
  const { json } = await levers([unknownModel, '--batch']);
  assert.equal(json.calls, 3);
  assert.equal(json.priced_calls, 2);
  assert.equal(json.usd, 0.275); // $0.15 + $0.125
  const runs = json.runs as Array<{ usd: number | null; savings_usd: Record<string, number | null>; unpriced_calls: number }>;
  assert.deepEqual(
    runs.map((r) => [r.usd, r.savings_usd.batch, r.unpriced_calls]),
    [
      [null, null, 1],
      [0.125, 0.0625, 0],
    ],
  );
  const lever = (json.levers as LeverJson[])[0]!;
  assert.equal(lever.saving_usd, 0.1375);
  assert.equal(lever.usd_per_successful_task_before, null, "the tasks' spend is unknown");
});

test('whatif: a model no price data knows is a usage error', async () => {
  const { code, err } = await run(['whatif', plain, '--prices', prices, '--model', 'acme-nonexistent']);
  assert.equal(code, 2);
  assert.match(err, /--model acme-nonexistent: no price data knows this model/);
});
