// What `--baggage-hash-keys` costs collector mode: the pipeline (decode, normalise, price, hold, roll up, encode for
// the upstream) on spans that carry `tenant.id` and `user.id` as the app copied them, side by side in each round,
// rotating order: without attribution, keeping both keys for the metrics' labels (`--baggage-keys`), and also
// hashing `user.id` on every span (`--baggage-hash-keys user.id`, with a salt). 200 distinct users, so most hashes
// come from the remembered ones, as for a busy service. Each trace is 1 run span + 5 LLM call spans + 2 tool spans.
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { MemoryBudget } from '../collector/memory-budget.ts';
import { CollectorPipeline, type OtlpRequest } from '../collector/pipeline.ts';
import { decodeProtobuf } from '../collector/otlp-decode.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { Refusals } from '../collector/otlp-validate.ts';
import { TraceStore } from '../collector/trace-store.ts';
import { AttributionHasher } from '../metrics/attribution-hash.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TRACES_PER_REQUEST = 50;
const REQUESTS = 40;
const SPANS_PER_TRACE = 8;
const USERS = 200;
const KEYS = ['tenant.id', 'user.id'];

const kv = (key: string, value: string | number) => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: value } });
let traceCounter = 0;

function request(): Uint8Array {
  const spans = [];
  for (let t = 0; t < TRACES_PER_REQUEST; t += 1) {
    traceCounter += 1;
    const traceId = Buffer.alloc(16);
    traceId.writeUInt32BE(traceCounter, 12);
    const id = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeUInt32BE(n + 1, 4);
      return b;
    };
    const who = [kv('tenant.id', `tenant-${traceCounter % 7}`), kv('user.id', `user-${traceCounter % USERS}@example.com`)];
    const base = { traceId, startTimeUnixNano: 1_764_300_000_000_000_000, endTimeUnixNano: 1_764_300_000_100_000_000 };
    spans.push({
      ...base,
      spanId: id(0),
      name: 'invoke_agent support',
      attributes: [kv('gen_ai.operation.name', 'invoke_agent'), kv('gen_ai.agent.name', 'support'), ...who],
    });
    for (let i = 1; i <= 5; i += 1) {
      spans.push({
        ...base,
        spanId: id(i),
        parentSpanId: id(0),
        name: 'chat gpt-4o',
        attributes: [
          kv('gen_ai.operation.name', 'chat'),
          kv('gen_ai.provider.name', 'openai'),
          kv('gen_ai.request.model', 'gpt-4o'),
          kv('gen_ai.usage.input_tokens', 5000 + i),
          kv('gen_ai.usage.output_tokens', 300),
          kv('gen_ai.usage.cache_read.input_tokens', 4096),
          ...who,
        ],
      });
    }
    for (let i = 6; i <= 7; i += 1) {
      spans.push({
        ...base,
        spanId: id(i),
        parentSpanId: id(0),
        name: 'execute_tool lookup',
        attributes: [kv('gen_ai.operation.name', 'execute_tool'), kv('gen_ai.tool.name', 'lookup'), ...who],
      });
    }
  }
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: [{ resource: { attributes: [kv('service.name', 'agent')] }, scopeSpans: [{ scope: { name: 'app' }, spans }] }],
  });
  return ExportTraceServiceRequest.encode(message).finish();
}

const bodies = Array.from({ length: REQUESTS }, request);
const spans = REQUESTS * TRACES_PER_REQUEST * SPANS_PER_TRACE;

type Mode = 'plain' | 'keys' | 'hashed';
const MODES: Mode[] = ['plain', 'keys', 'hashed'];

/** CPU µs per span through the whole pipeline in one mode. */
function service(mode: Mode): number {
  const options =
    mode === 'plain'
      ? {}
      : { attributionKeys: KEYS, hasher: mode === 'hashed' ? new AttributionHasher({ hashKeys: ['user.id'], hashSalt: 'bench' }, KEYS) : undefined };
  const pipeline = new CollectorPipeline(new CallPricer(), new TraceStore({ maxTraces: 1e6, maxSpans: 1e7 }), {}, new MemoryBudget(Infinity), options);
  const start = process.cpuUsage();
  for (const body of bodies) pipeline.accept(decodeProtobuf(body, new Refusals(), { wireBytes: true }) as unknown as OtlpRequest);
  pipeline.flush();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / spans;
}

for (const mode of MODES) service(mode);
const micros: Record<Mode, number[]> = { plain: [], keys: [], hashed: [] };
for (let round = 0; round < ROUNDS; round += 1) {
  const order = [...MODES.slice(round % 3), ...MODES.slice(0, round % 3)];
  for (const mode of order) micros[mode].push(service(mode));
}
const differences = micros.hashed.map((value, round) => value - micros.keys[round]!);
printTable(
  `collector attribution (${spans} spans per round, ${ROUNDS} rounds, medians; process CPU)`,
  ['pipeline', 'µs/span'],
  [
    ['no attribution', median(micros.plain).toFixed(2)],
    ['--baggage-keys tenant.id,user.id (kept for the labels)', median(micros.keys).toFixed(2)],
    ['+ --baggage-hash-keys user.id (HMAC, remembered per value)', median(micros.hashed).toFixed(2)],
  ],
);
console.log(`hashing adds ${median(differences).toFixed(2)} µs a span (median of per-round differences)`);
