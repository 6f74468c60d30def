// Collector mode's ingest cost, side by side in one run: protobuf requests decoded and re-encoded for forwarding
// alone; with each span normalised and priced but not held; the whole service (normalise, price, hold each trace,
// roll its runs up, encode for the upstream); and the service on gzip and zstd bodies (inflated on libuv's thread
// pool first; process CPU, all threads). The goal line compares like with like, compression on: gzip bodies in and
// gzip requests out (what `OTEL_EXPORTER_OTLP_COMPRESSION=gzip` sends upstream), the service against a collector that
// only inflates, decodes, re-encodes and compresses (its decoding does not look for the spans' bytes, which the
// service does to forward them as they came). Each trace is 1 run span + 5 LLM call spans (OpenInference names) + 2 tool
// spans. Also the memory held per buffered trace against what the memory limit counts for it, and a real
// `tokenledger collect` process's resident memory while clients send 4 MB requests to it with its upstream down,
// at 32 MiB, the default --max-memory-bytes (64 MiB) and 128 MiB (BENCH_OUTAGE_SECONDS, default 8, per
// configuration). That process runs the build (bin/tokenledger.cjs): run `npm run build` first.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { gzip as gzipCallback, gzipSync, zstdCompressSync } from 'node:zlib';
import { promisify } from 'node:util';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { MemoryBudget } from '../collector/memory-budget.ts';
import { CollectorPipeline, type OtlpRequest } from '../collector/pipeline.ts';
import { inflate, type ContentEncoding } from '../collector/request-body.ts';
import { freePort } from '../test/free-port.ts';
import { decodeProtobuf } from '../collector/otlp-decode.ts';
import { readSpan, withAttributes, type OtlpSpan } from '../collector/enrich.ts';
import { callDescription } from '../ledger/llm-spans.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { Refusals } from '../collector/otlp-validate.ts';
import { TraceStore } from '../collector/trace-store.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TRACES_PER_REQUEST = 50;
const REQUESTS = 40;
const SPANS_PER_TRACE = 8;
const gc = (globalThis as { gc?: () => void }).gc;

const kv = (key: string, value: string | number) => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: value } });
let traceCounter = 0;

function request(): Uint8Array {
  const spans = [];
  for (let t = 0; t < TRACES_PER_REQUEST; t += 1) {
    const traceId = Buffer.alloc(16);
    traceId.writeUInt32BE((traceCounter += 1), 12);
    const id = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeUInt32BE(n + 1, 4);
      return b;
    };
    const base = { traceId, startTimeUnixNano: 1_764_300_000_000_000_000, endTimeUnixNano: 1_764_300_000_100_000_000 };
    spans.push({
      ...base,
      spanId: id(0),
      name: 'invoke_agent support',
      attributes: [kv('gen_ai.operation.name', 'invoke_agent'), kv('gen_ai.agent.name', 'support')],
    });
    for (let i = 1; i <= 5; i += 1) {
      spans.push({
        ...base,
        spanId: id(i),
        parentSpanId: id(0),
        name: 'ChatCompletion',
        attributes: [
          kv('openinference.span.kind', 'LLM'),
          kv('llm.provider', 'openai'),
          kv('llm.model_name', 'gpt-4o'),
          kv('llm.token_count.prompt', 5000 + i),
          kv('llm.token_count.completion', 300),
          kv('llm.token_count.prompt_details.cache_read', 4096),
        ],
      });
    }
    for (let i = 6; i <= 7; i += 1) {
      spans.push({
        ...base,
        spanId: id(i),
        parentSpanId: id(0),
        name: 'execute_tool lookup',
        attributes: [kv('gen_ai.operation.name', 'execute_tool'), kv('gen_ai.tool.name', 'lookup')],
      });
    }
  }
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: [{ resource: { attributes: [kv('service.name', 'agent')] }, scopeSpans: [{ scope: { name: 'openinference' }, spans }] }],
  });
  return ExportTraceServiceRequest.encode(message).finish();
}

const bodies = Array.from({ length: REQUESTS }, request);
const spans = REQUESTS * TRACES_PER_REQUEST * SPANS_PER_TRACE;

function forwardOnly(): number {
  const start = process.cpuUsage();
  for (const body of bodies) ExportTraceServiceRequest.encode(decodeProtobuf(body, new Refusals())).finish();
  const used = process.cpuUsage(start);
  return spans / ((used.user + used.system) / 1e6);
}

/** What a collector that prices but does not hold or roll up would do: enrich each span, forward the request. */
function pricingOnly(): number {
  const pricer = new CallPricer();
  const start = process.cpuUsage();
  for (const body of bodies) {
    const message = decodeProtobuf(body, new Refusals()) as unknown as OtlpRequest;
    for (const resourceSpans of message.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          const { enriched, added } = readSpan(span as OtlpSpan, { name: scopeSpans.scope?.name ?? '' });
          if (added) span.attributes = withAttributes(span.attributes ?? [], added);
          if (enriched.usage) pricer.price(enriched.usage, callDescription(enriched.attributes, new Date()));
        }
      }
    }
    ExportTraceServiceRequest.encode(message as never).finish();
  }
  const used = process.cpuUsage(start);
  return spans / ((used.user + used.system) / 1e6);
}

const gzip = promisify(gzipCallback);

type Measured = Extract<ContentEncoding, 'identity' | 'gzip' | 'zstd'>;
const compressed: Record<Measured, Buffer[]> = {
  identity: bodies.map((body) => Buffer.from(body)),
  gzip: bodies.map((body) => gzipSync(body)),
  zstd: bodies.map((body) => zstdCompressSync(body)),
};

/** The service without HTTP: inflate (unless identity), decode, hold, roll up, encode for the upstream (gzipped: `gzipOut`). */
async function service(encoding: Measured, gzipOut = false): Promise<number> {
  const pipeline = new CollectorPipeline(new CallPricer(), new TraceStore({ maxTraces: 1e6, maxSpans: 1e7 }), {}, new MemoryBudget(Infinity));
  // What is forwarded is let go at once (gzipped first with `gzipOut`), as the service sends it: kept to the end, it
  // would be copied to the old generation and weigh on the garbage collector as no running service's does.
  const forward = async (requests: ReturnType<CollectorPipeline['flush']>) => {
    if (gzipOut) for (const request of requests) await gzip(request.body);
  };
  const start = process.cpuUsage();
  for (const body of compressed[encoding]) {
    const inflated = await inflate(body, encoding, 64 * 1024 * 1024);
    if (inflated.kind !== 'body') throw new Error(`could not inflate: ${inflated.kind}`);
    await forward(pipeline.accept(decodeProtobuf(inflated.bytes, new Refusals(), { wireBytes: true }) as unknown as OtlpRequest));
  }
  await forward(pipeline.flush());
  const used = process.cpuUsage(start);
  return spans / ((used.user + used.system) / 1e6);
}

/** Decode and forward with compression on: inflate a gzip body, decode, re-encode, gzip for the upstream. */
async function forwardCompressed(): Promise<number> {
  const start = process.cpuUsage();
  for (const body of compressed.gzip) {
    const inflated = await inflate(body, 'gzip', 64 * 1024 * 1024);
    if (inflated.kind !== 'body') throw new Error(`could not inflate: ${inflated.kind}`);
    await gzip(ExportTraceServiceRequest.encode(decodeProtobuf(inflated.bytes, new Refusals())).finish());
  }
  const used = process.cpuUsage(start);
  return spans / ((used.user + used.system) / 1e6);
}

forwardOnly();
pricingOnly();
await service('identity');
await service('gzip', true);
await forwardCompressed();
const forward: number[] = [];
const priced: number[] = [];
const full: number[] = [];
const gzipped: number[] = [];
const zstd: number[] = [];
const forwardGzip: number[] = [];
const serviceGzip: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  forward.push(1e6 / forwardOnly());
  priced.push(1e6 / pricingOnly());
  full.push(1e6 / (await service('identity')));
  gzipped.push(1e6 / (await service('gzip')));
  zstd.push(1e6 / (await service('zstd')));
  forwardGzip.push(1e6 / (await forwardCompressed()));
  serviceGzip.push(1e6 / (await service('gzip', true)));
}
const f = median(forward);
const n = median(priced);
const p = median(full);
const row = (label: string, micros: number) => [
  label,
  Math.round(1e6 / micros).toLocaleString('en-US'),
  micros.toFixed(2),
  `${((100 * micros) / p).toFixed(0)}%`,
];
const ratio = (bodiesOf: Buffer[]) => (bodies.reduce((sum, body) => sum + body.length, 0) / bodiesOf.reduce((sum, body) => sum + body.length, 0)).toFixed(1);
printTable(
  `collector ingest, protobuf (${spans} spans per round, ${ROUNDS} rounds, medians; process CPU)`,
  ['pipeline', 'spans/s', 'µs/span', 'of the service'],
  [
    row('decode + re-encode for forwarding', f),
    row('+ normalise and price each span (no holding)', n),
    row('+ hold each trace, roll its runs up (the service, plain bodies)', p),
    row(`the service, gzip bodies (${ratio(compressed.gzip)}× smaller)`, median(gzipped)),
    row(`the service, zstd bodies (${ratio(compressed.zstd)}× smaller)`, median(zstd)),
  ],
);
console.log(
  `of the service's per-span time: holding and rollup ${((100 * (p - n)) / p).toFixed(0)}%, normalising and pricing ${((100 * (n - f)) / p).toFixed(0)}%, ` +
    `everything beyond decode-and-forward ${((100 * (p - f)) / p).toFixed(0)}%`,
);
// Each round's ratio, the service against decode-and-forward measured beside it.
const rounds = serviceGzip.map((micros, round) => micros / forwardGzip[round]!);
const compressionOn = median(serviceGzip) / median(forwardGzip);
console.log(
  `compression on (gzip in and out): decode and forward ${median(forwardGzip).toFixed(2)} µs/span (${Math.round(1e6 / median(forwardGzip)).toLocaleString('en-US')} spans/s), ` +
    `the service ${median(serviceGzip).toFixed(2)} µs/span (${Math.round(1e6 / median(serviceGzip)).toLocaleString('en-US')} spans/s): ` +
    `${compressionOn.toFixed(2)}× [${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)} over ${ROUNDS} rounds] (goal ≤ 3×: ${compressionOn <= 3 ? 'met' : 'not met'})`,
);

// Memory held per buffered trace (2000 traces accepted, not yet released) against what the limit counts for it.
const memory = () => {
  gc?.();
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
};
const budget = new MemoryBudget(Infinity);
const pipeline = new CollectorPipeline(
  new CallPricer(),
  new TraceStore({ quietMs: 3_600_000, maxAgeMs: 3_600_000, maxTraces: 1e6, maxSpans: 1e7 }),
  {},
  budget,
);
const before = memory();
for (const body of bodies) pipeline.accept(decodeProtobuf(body, new Refusals(), { wireBytes: true }) as unknown as OtlpRequest);
const after = memory();
const traceCount = REQUESTS * TRACES_PER_REQUEST;
const perTrace = (bytes: number) => `${(bytes / traceCount).toFixed(0)} B`;
console.log(
  `per buffered trace (${SPANS_PER_TRACE} spans): heap ${perTrace(after.heapUsed - before.heapUsed)} + buffers ${perTrace(after.arrayBuffers - before.arrayBuffers)}; ` +
    `the memory limit counts ${perTrace(budget.part('held'))}${gc ? '' : ' (run with --expose-gc for exact figures)'}`,
);

// A real process with its upstream down, fed 4 MB requests by four clients: resident memory over time.
const OUTAGE_SECONDS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 8);
const BIG_SPANS = 1000;
function bigRequest(seed: number): Buffer {
  const spansOf = Array.from({ length: BIG_SPANS }, (_, i) => {
    const traceId = Buffer.alloc(16);
    traceId.writeUInt32BE(seed, 8);
    traceId.writeUInt32BE(Math.floor(i / 10) + 1, 12);
    const spanId = Buffer.alloc(8);
    spanId.writeUInt32BE(i + 1, 4);
    return {
      traceId,
      spanId,
      name: 'work',
      startTimeUnixNano: 1_764_300_000_000_000_000,
      endTimeUnixNano: 1_764_300_000_100_000_000,
      attributes: [kv('payload', 'p'.repeat(4000))],
    };
  });
  return Buffer.from(
    ExportTraceServiceRequest.encode(
      ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'outage' }, spans: spansOf }] }] }),
    ).finish(),
  );
}

function post(port: number, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const residentKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

async function outage(flags: string[]): Promise<string[]> {
  const [port, deadPort] = [await freePort(), await freePort()];
  const bin = new URL('../bin/tokenledger.cjs', import.meta.url).pathname;
  const args = [
    'collect',
    '--listen',
    `127.0.0.1:${port}`,
    '--upstream',
    `http://127.0.0.1:${deadPort}`,
    '--prometheus',
    `127.0.0.1:${await freePort()}`,
    ...flags,
  ];
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { PATH: process.env.PATH ?? '', OTEL_LOG_LEVEL: 'error' },
  });
  await new Promise<void>((resolve) => child.stdout!.on('data', (data: Buffer) => data.toString().includes('listening') && resolve()));
  const requests = Array.from({ length: 8 }, (_, i) => bigRequest(i + 1));
  const statuses = new Map<number, number>();
  let sentBytes = 0;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, residentKb(child.pid!))), 100);
  const end = Date.now() + OUTAGE_SECONDS * 1000;
  const client = async (c: number) => {
    for (let i = c; Date.now() < end; i += 4) {
      const status = await post(port, requests[i % requests.length]!);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) sentBytes += requests[i % requests.length]!.length;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all([0, 1, 2, 3].map(client));
  clearInterval(sampler);
  const final = residentKb(child.pid!);
  child.kill('SIGKILL');
  const accepted = statuses.get(200) ?? 0;
  return [
    flags.length ? flags.join(' ') : 'default (--max-memory-bytes 67108864)',
    `${accepted} (${(sentBytes / 1048576).toFixed(0)} MiB)`,
    String(statuses.get(503) ?? 0),
    `${(peak / 1024).toFixed(0)} MiB`,
    `${(final / 1024).toFixed(0)} MiB`,
  ];
}

const rows = [
  await outage(['--max-memory-bytes', String(32 * 1024 * 1024)]),
  await outage([]),
  await outage(['--max-memory-bytes', String(128 * 1024 * 1024)]),
];
printTable(
  `tokenledger collect with its upstream down, ${OUTAGE_SECONDS} s of 4 MB requests from 4 clients (before the byte limit: 2 GB accepted in 20 s, RSS 2.2 GB and rising)`,
  ['configuration', 'accepted', '503', 'peak RSS', 'RSS at end'],
  rows,
);
