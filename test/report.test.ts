// tokenledger report, read as HTML: what each waterfall marks (cache busts, retries, failed and unpriced calls,
// quadratic context growth, nested runs), the warnings for what could not be read whole, and that nothing from a
// recording reaches the page unescaped or makes it load anything.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.ts';
import { agentSpan, callSpan, TEST_PRICES, writeRecording } from './recording-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokenledger-report-html-'));
let html = '';

before(async () => {
  writeFileSync(join(dir, 'prices.json'), JSON.stringify(TEST_PRICES));
  const recording = join(dir, 'runs.jsonl');
  writeRecording(recording, [
    // Task 1: input grows 1,000 → 9,000 a step (quadratic); step 2 changes the prompt prefix (a cache bust) and
    // fails; step 3 repeats it on the same model (a retry); step 4 is on a model no price data knows; a sub-agent.
    callSpan({ trace: 1, id: 2, start: 0, input: 1000, output: 100, prefix: 'p1' }),
    callSpan({ trace: 1, id: 3, start: 2, input: 3000, output: 100, prefix: 'p2', error: true }),
    callSpan({ trace: 1, id: 4, start: 4, input: 5000, output: 100, prefix: 'p2' }),
    callSpan({ trace: 1, id: 5, start: 6, model: 'acme-mystery', input: 7000, output: 100, prefix: 'p2' }),
    callSpan({ trace: 1, id: 7, parent: 6, start: 8, input: 9000, output: 100 }),
    {
      trace: 1,
      id: 6,
      parent: 1,
      name: 'invoke_agent helper',
      start: 7.5,
      end: 9.5,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'helper' },
    },
    agentSpan(1, 'support', 0, 10),
    // Task 2: an agent whose name is markup.
    callSpan({ trace: 2, id: 2, start: 20, input: 1000, output: 100 }),
    agentSpan(2, '<img src=x onerror=alert(1)>', 20, 22),
    // A trace whose root never arrived.
    callSpan({ trace: 3, id: 2, parent: 9, start: 30, input: 1000, output: 100 }),
  ]);
  const out = join(dir, 'report.html');
  let err = '';
  const code = await main(['report', recording, '--out', out, '--prices', join(dir, 'prices.json')], {
    out: () => undefined,
    err: (text) => (err += text),
    env: {},
  });
  assert.equal(code, 0, err);
  html = readFileSync(out, 'utf8');
});

function element(pattern: RegExp): string {
  const match = html.match(pattern);
  assert.ok(match, `no element matching ${pattern}`);
  return match[0];
}

test('report: a task says its retries, failed and unpriced calls, cache busts and quadratic growth', () => {
  const section = element(/<section class="run" data-run-id="0000000000000001" data-agent="support"[^>]*>/);
  assert.match(section, /data-steps="5"/);
  assert.match(section, /data-retries="1"/);
  assert.match(section, /data-failed-calls="1"/);
  assert.match(section, /data-unpriced-calls="1"/);
  assert.match(section, /data-quadratic="true"/);
  assert.match(section, /data-tokens-per-step="2000"/); // 1,000 → 9,000 over 4 steps
  assert.match(html, /quadratic context growth: \+2,000 input tokens a step/);
  assert.match(html, /1 unpriced call: the spend is a lower bound/);
  assert.match(element(/<tr class="step" data-step="2"[^>]*>/), /data-failed="true" data-retry="false" data-cache-bust="true"/);
  assert.match(element(/<tr class="step" data-step="3"[^>]*>/), /data-retry="true" data-cache-bust="false"/);
  const unpriced = element(/<tr class="step" data-step="4"[^>]*>.*?<\/tr>/);
  assert.doesNotMatch(unpriced, /data-usd=/, 'an unpriced step has no cost figure');
  assert.match(unpriced, /unpriced \(unknown_model\)/);
  assert.match(element(/<tr class="step" data-step="5"[^>]*>.*?<\/tr>/), /<td>helper<\/td>/);
  assert.match(html, /with helper nested/);
  assert.match(html, /<text class="mark bust"[^>]*>cache bust<\/text>/);
});

test('report: agents, sub-agents and what could not be read whole', () => {
  assert.match(html, /<section class="agent" data-agent="helper" data-nested="true"/);
  assert.match(html, /1 trace could not be rolled up whole \(the root span is missing, or the read limits cut it\): their runs are not shown\./);
  assert.match(html, /1 LLM call \(\$0\.0150\) counted in no run\./);
  assert.match(html, /1 call in tasks could not be priced/);
});

test('report: names from a recording are escaped, and the page loads nothing', () => {
  assert.doesNotMatch(html, /<img/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.doesNotMatch(html, /<script/i);
  // No attribute that loads anything (values blanked first: an escaped name may read `src=`).
  assert.doesNotMatch(html.replace(/"[^"]*"/g, '""'), /<[^>]*\s(?:src|href|srcset|action)=/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
});
