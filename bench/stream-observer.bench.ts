// The per-event cost of observing a stream, without any SDK around it: a 500-event source iterated bare and
// through tokenledger's observer (with the OpenAI chat chunk inspection), side by side in one run.
import { trace } from '@opentelemetry/api';
import { observeEvents } from '../instrumentation/common/observe-stream.ts';
import { LlmCall } from '../instrumentation/common/llm-call.ts';
import { median, printTable } from './report.ts';

const EVENTS = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const chunk = (i: number) => ({
  id: 'c',
  object: 'chat.completion.chunk',
  model: 'm',
  service_tier: 'default',
  choices: [{ index: 0, delta: { content: `t${i}` }, finish_reason: null }],
  usage: null,
});
const events = Array.from({ length: EVENTS }, (_, i) => chunk(i));

async function* source() {
  for (const event of events) yield event;
}

const span = trace.getTracer('bench').startSpan('bench'); // a no-op span: the SDK's span cost is not in this number
const inspectChunk = (event: Record<string, unknown>) => {
  const choices = event.choices as Array<Record<string, unknown>>;
  for (const choice of choices) if (typeof choice.finish_reason === 'string') return true;
  return true;
};

async function run(observed: boolean): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < 50; i += 1) {
    const iterable = observed ? observeEvents(source(), new LlmCall(span), { onEvent: inspectChunk, onEnd() {} }) : source();
    for await (const _ of iterable);
  }
  return Number(process.hrtime.bigint() - start) / 50 / EVENTS;
}

const bare: number[] = [];
const observed: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  bare.push(await run(false));
  observed.push(await run(true));
}
const b = median(bare);
const o = median(observed);
printTable(
  `stream observation, ${EVENTS}-event source`,
  ['configuration', 'ns/event (median)', 'added ns/event'],
  [
    ['bare async generator', b.toFixed(0), '0'],
    ['observed by tokenledger', o.toFixed(0), (o - b).toFixed(0)],
  ],
);
