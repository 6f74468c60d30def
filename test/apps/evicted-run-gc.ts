// Run with --expose-gc by test/defects-runs.test.ts: is the state of a run evicted past maxRuns collectable?
// A run span that never ends (with one child span that does) is evicted by later runs; the processor's state
// for it holds the span, so once the processor lets go of that state the span can be garbage-collected.
// Prints one JSON line: { collected, activeRuns }.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
// Project module (its path moves in the refactor):
import { TokenledgerSpanProcessor } from '../../index.ts';
import { testMeterProvider } from '../metric-reader.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const { meterProvider } = testMeterProvider();
const processor = new TokenledgerSpanProcessor({ meterProvider, runLimits: { maxRuns: 10 } });
const provider = new TracerProvider({ spanProcessors: [processor] });
const tracer = provider.getTracer('gc');

function startRun(name: string): WeakRef<object> {
  const run = tracer.startSpan(`invoke_agent ${name}`, { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name } }, ROOT_CONTEXT);
  tracer.startSpan('step', {}, trace.setSpan(ROOT_CONTEXT, run)).end();
  return new WeakRef(run);
}

const evicted = startRun('first');
for (let i = 0; i < 20; i += 1) startRun(`later-${i}`); // evicts 'first' and ten more
for (let i = 0; i < 5 && evicted.deref() !== undefined; i += 1) {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
console.log(JSON.stringify({ collected: evicted.deref() === undefined, activeRuns: processor.activeRuns }));
await processor.shutdown();
await provider.shutdown();
