// A sample of the support agent's tasks, for a cost gate in CI: the agent runs against the local fake Claude with
// tokenledger started as the register entry starts it, so TOKENLEDGER_RECORD records every span.
//
//   TOKENLEDGER_RECORD=candidate.jsonl node examples/support-agent/sample.ts --config optimised --tasks 30
//   npx tokenledger gate candidate.jsonl --max-usd-per-task 0.05 --min-tasks 30
//
// See examples/github-actions/cost-gate.yml. No API key, no network.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type AnthropicClient from '@anthropic-ai/sdk';
import { startTokenledger } from '../../index.ts';
import { FakeProvider } from '../../test/fake-provider.ts';
import { scriptedClaude } from './scripted-claude.ts';
import { CONFIGS, solveTicket } from './support-agent.ts';

const { values } = parseArgs({ options: { config: { type: 'string', default: 'optimised' }, tasks: { type: 'string', default: '30' } } });
const config = CONFIGS.find((candidate) => candidate.name === values.config);
const tasks = Number(values.tasks);
if (!config || !Number.isInteger(tasks) || tasks < 1) {
  console.error(`usage: node examples/support-agent/sample.ts [--config ${CONFIGS.map((c) => c.name).join('|')}] [--tasks N]`);
  process.exit(2);
}
if (!process.env.TOKENLEDGER_RECORD) console.error('sample: TOKENLEDGER_RECORD is not set, so nothing is recorded');
// Nothing to export to in CI: the recording is the output.
process.env.OTEL_TRACES_EXPORTER ??= 'none';
process.env.OTEL_METRICS_EXPORTER ??= 'none';
const telemetry = startTokenledger();
// Required after tokenledger started, so the SDK is patched as it loads.
const Anthropic = createRequire(import.meta.url)('@anthropic-ai/sdk').default as typeof AnthropicClient;

const provider = await new FakeProvider().start();
provider.respondWith('anthropic.messages', scriptedClaude);
const client = new Anthropic({ apiKey: 'no-key-needed', baseURL: provider.url, maxRetries: 0 });
for (let i = 0; i < tasks; i += 1) await solveTicket(client, config, `T-${2000 + i}`);
await provider.stop();
await telemetry?.shutdown();
console.log(`sample: ${tasks} tasks of support-${config.name}${process.env.TOKENLEDGER_RECORD ? `, recorded to ${process.env.TOKENLEDGER_RECORD}` : ''}`);
