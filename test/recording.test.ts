// Recording without a backend: TOKENLEDGER_RECORD makes the register entry append every finished span to a file as
// OTLP/JSON lines (one ExportTraceServiceRequest per line), and `tokenledger collect --record` appends every request
// it forwards. The register test needs the build (`npm test` runs it first).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJson } from '../collector/otlp-decode.ts';
import { toAttributes, type KeyValue } from '../collector/enrich.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { Refusals } from '../collector/otlp-validate.ts';
import { CollectorPipeline, type HeldSpan, type OtlpRequest } from '../collector/pipeline.ts';
import { forwardedRecorder, otlpJson } from '../collector/record-forwarded.ts';
import { TraceStore } from '../collector/trace-store.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { FakeProvider } from './fake-provider.ts';
import { CollectorProcess } from './collector-process.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokenledger-recording-'));
let provider: FakeProvider;

before(async () => {
  provider = await new FakeProvider().start();
});
after(async () => {
  await provider.stop();
  rmSync(dir, { recursive: true, force: true });
});

type JsonSpan = { traceId: string; spanId: string; name: string; attributes: KeyValue[] };
type JsonLine = { resourceSpans: Array<{ resource: { attributes: KeyValue[] }; scopeSpans: Array<{ scope: { name: string }; spans: JsonSpan[] }> }> };

function spansOf(lines: JsonLine[]): Array<JsonSpan & { scope: string }> {
  return lines.flatMap((line) =>
    line.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ ...span, scope: ss.scope.name })))),
  );
}

function runApp(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tokenledger/register', 'test/apps/three-providers.mjs'], {
      cwd: root,
      // The fake provider is on this machine, which tokenledger would take for a local model server (unpriced).
      env: {
        PATH: process.env.PATH ?? '',
        FAKE_PROVIDER_URL: provider.url,
        TOKENLEDGER_PROVIDER_URLS: `${provider.url}/v1=openai`,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    // A hang guard only; 'close', not 'exit': every byte the app wrote has been read.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('recording: TOKENLEDGER_RECORD appends every finished span as OTLP/JSON lines, with its figures and cost', async () => {
  const file = join(dir, 'app.jsonl');
  const result = await runApp({ TOKENLEDGER_RECORD: file });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /"openai":"chatcmpl/);
  const lines = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonLine);
  const spans = spansOf(lines);
  assert.deepEqual(spans.map((span) => span.scope).sort(), [
    'tokenledger-instrumentation-anthropic',
    'tokenledger-instrumentation-google-genai',
    'tokenledger-instrumentation-openai',
  ]);
  const openai = spans.find((span) => span.scope === 'tokenledger-instrumentation-openai')!;
  assert.match(openai.traceId, /^[0-9a-f]{32}$/, 'OTLP/JSON ids are hex');
  assert.match(openai.spanId, /^[0-9a-f]{16}$/);
  const attributes = toAttributes(openai.attributes);
  assert.equal(attributes['tokenledger.usage.uncached.input_tokens'], 230);
  // gpt-5.5 on the flex tier: (230 × $5 + 1920 × $0.50 + 420 × $30) / 1e6 × 0.5 = $0.007355
  assert.equal(attributes['tokenledger.cost.usd'], 0.007355);
  const resource = toAttributes(lines[0]!.resourceSpans[0]!.resource.attributes);
  assert.equal(resource['telemetry.sdk.language'], 'nodejs');
});

test('recording: a second run appends to the file', async () => {
  const file = join(dir, 'twice.jsonl');
  assert.equal((await runApp({ TOKENLEDGER_RECORD: file })).code, 0);
  assert.equal((await runApp({ TOKENLEDGER_RECORD: file })).code, 0);
  const lines = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonLine);
  assert.equal(spansOf(lines).length, 6);
});

test('recording: a TOKENLEDGER_RECORD file that cannot be opened is named, and the app runs without telemetry', async () => {
  const result = await runApp({ TOKENLEDGER_RECORD: join(dir, 'no-such-dir', 'app.jsonl') });
  assert.equal(result.code, 0);
  assert.match(result.stdout, /"openai":"chatcmpl/);
  assert.match(result.stderr, /tokenledger: not started: TOKENLEDGER_RECORD: cannot open .*no-such-dir\/app\.jsonl for appending \(ENOENT/);
});

test('recording: collect --record appends each forwarded request as an OTLP/JSON line, as forwarded', async () => {
  const file = join(dir, 'collector.jsonl');
  const recorder = forwardedRecorder(file);
  const forwarded: Uint8Array[] = [];
  const pipeline = new CollectorPipeline(new CallPricer(), new TraceStore<HeldSpan>(), { onForward: recorder.record });
  const kv = (key: string, value: string | number) => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: value } });
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', 'agents')] },
        scopeSpans: [
          {
            scope: { name: 'openinference' },
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                name: 'invoke_agent support',
                startTimeUnixNano: '1764300000000000000',
                endTimeUnixNano: '1764300001000000000',
                attributes: [kv('gen_ai.operation.name', 'invoke_agent'), kv('gen_ai.agent.name', 'support')],
              },
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: '00f067aa0ba902b7',
                parentSpanId: 'b7ad6b7169203331',
                name: 'ChatCompletion',
                startTimeUnixNano: '1764300000100000000',
                endTimeUnixNano: '1764300000900000000',
                attributes: [
                  kv('openinference.span.kind', 'LLM'),
                  kv('llm.provider', 'openai'),
                  kv('llm.model_name', 'gpt-4.1'),
                  kv('llm.token_count.prompt', 1000),
                  kv('llm.token_count.completion', 100),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  forwarded.push(
    ...[...pipeline.accept(decodeJson(Buffer.from(JSON.stringify(body)), new Refusals()) as unknown as OtlpRequest), ...pipeline.flush()].map(
      (request) => request.body,
    ),
  );
  await recorder.close();
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, forwarded.length);
  const recorded = spansOf(lines.map((line) => JSON.parse(line) as JsonLine));
  const sent = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(forwarded[0]!), { longs: String }) as JsonLine;
  assert.deepEqual(
    recorded.map((span) => span.spanId),
    ['b7ad6b7169203331', '00f067aa0ba902b7'],
  );
  assert.equal(recorded[0]!.traceId, '0af7651916cd43dd8448eb211c80319c');
  for (const [i, span] of spansOf([sent]).entries()) assert.deepEqual(toAttributes(recorded[i]!.attributes), toAttributes(span.attributes));
  const run = toAttributes(recorded[0]!.attributes);
  // gpt-4.1: 1000 × $2 + 100 × $8 per MTok = $0.0028
  assert.equal(run['tokenledger.run.cost.usd'], 0.0028);
  assert.equal(JSON.parse(otlpJson(forwarded[0]!)).resourceSpans[0].scopeSpans[0].spans[1].parentSpanId, 'b7ad6b7169203331');
});

test('recording: `tokenledger collect --record` records what it forwards, and closes the file at SIGTERM', async () => {
  const file = join(dir, 'collect.jsonl');
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const collector = await CollectorProcess.start([
    '--upstream',
    `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    '--record',
    file,
    '--quiet-ms',
    '60000',
    '--prometheus',
    '127.0.0.1:0',
  ]);
  try {
    const kv = (key: string, value: string | number) => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: value } });
    const traceId = '5bf92f3577b34da6a3ce929d0e0e4736';
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              scope: { name: 'app' },
              spans: [
                {
                  traceId,
                  spanId: 'a000000000000001',
                  name: 'invoke_agent cli',
                  startTimeUnixNano: '1764300000000000000',
                  endTimeUnixNano: '1764300002000000000',
                  attributes: [kv('gen_ai.operation.name', 'invoke_agent'), kv('gen_ai.agent.name', 'cli')],
                },
                {
                  traceId,
                  spanId: 'a000000000000002',
                  parentSpanId: 'a000000000000001',
                  name: 'chat gpt-4.1',
                  startTimeUnixNano: '1764300000100000000',
                  endTimeUnixNano: '1764300001000000000',
                  attributes: [
                    kv('gen_ai.operation.name', 'chat'),
                    kv('gen_ai.provider.name', 'openai'),
                    kv('gen_ai.request.model', 'gpt-4.1'),
                    kv('gen_ai.usage.input_tokens', 1000),
                    kv('gen_ai.usage.output_tokens', 100),
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    assert.equal((await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).status, 200);
    assert.equal(await collector.stop('SIGTERM'), 0, collector.output);
    const spans = spansOf(
      readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as JsonLine),
    );
    assert.deepEqual(spans.map((span) => span.name).sort(), ['chat gpt-4.1', 'invoke_agent cli']);
    // gpt-4.1: 1000 × $2 + 100 × $8 per MTok
    assert.equal(toAttributes(spans.find((span) => span.name === 'invoke_agent cli')!.attributes)['tokenledger.run.cost.usd'], 0.0028);
  } finally {
    await collector.stop('SIGKILL');
    upstream.close();
  }
});
