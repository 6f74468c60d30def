// Recordings written by hand for the cost lab's tests: spans in the GenAI conventions (as any instrumentation writes
// them), as OTLP/JSON lines, on a made-up provider whose prices (in the override file) make the arithmetic easy.
import { writeFileSync } from 'node:fs';

export const TEST_PRICES = {
  version: 'test-prices-1',
  providers: [
    {
      id: 'acme',
      models: [
        // USD per million tokens: input 10, cache read 1, cache write 12.5 (5 min) / 20 (1 h), output 50.
        {
          id: 'acme-large',
          match: { equals: 'acme-large' },
          prices: { input_mtok: 10, cache_read_mtok: 1, cache_write_mtok: 12.5, cache_write_1h_mtok: 20, output_mtok: 50 },
        },
        // Input 1, cache read 0.1, cache write 1.25, output 5.
        { id: 'acme-small', match: { equals: 'acme-small' }, prices: { input_mtok: 1, cache_read_mtok: 0.1, cache_write_mtok: 1.25, output_mtok: 5 } },
      ],
    },
  ],
};

export const EPOCH_MS = 1_764_300_000_000;

export interface SpanSpec {
  trace: number;
  id: number;
  parent?: number;
  name: string;
  /** Seconds after EPOCH_MS. */
  start: number;
  end: number;
  attributes?: Record<string, string | number | boolean>;
  error?: boolean;
}

export const hex = (n: number, bytes: number) => n.toString(16).padStart(2 * bytes, '0');

function keyValue(key: string, value: string | number | boolean) {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
}

const nanos = (seconds: number) => (BigInt(EPOCH_MS) * 1_000_000n + BigInt(Math.round(seconds * 1e9))).toString();

export function otlpSpan(spec: SpanSpec): Record<string, unknown> {
  return {
    traceId: hex(spec.trace, 16),
    spanId: hex(spec.id, 8),
    ...(spec.parent === undefined ? {} : { parentSpanId: hex(spec.parent, 8) }),
    name: spec.name,
    kind: 1,
    startTimeUnixNano: nanos(spec.start),
    endTimeUnixNano: nanos(spec.end),
    attributes: Object.entries(spec.attributes ?? {}).map(([key, value]) => keyValue(key, value)),
    status: spec.error ? { code: 2 } : { code: 0 },
  };
}

/** One ExportTraceServiceRequest of these spans, as one OTLP/JSON line. */
export function otlpLine(specs: SpanSpec[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [keyValue('service.name', 'support')] },
        scopeSpans: [{ scope: { name: 'test-instrumentation' }, spans: specs.map(otlpSpan) }],
      },
    ],
  });
}

/** Writes the spans as OTLP/JSON lines, `perLine` spans a line. */
export function writeRecording(path: string, specs: SpanSpec[], perLine = 3): void {
  const lines: string[] = [];
  for (let i = 0; i < specs.length; i += perLine) lines.push(otlpLine(specs.slice(i, i + perLine)));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

export function agentSpan(trace: number, name: string, start: number, end: number, extra: Partial<SpanSpec> = {}): SpanSpec {
  return {
    trace,
    id: 1,
    name: `invoke_agent ${name}`,
    start,
    end,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name },
    ...extra,
  };
}

export interface CallSpec {
  trace: number;
  id: number;
  parent?: number;
  start: number;
  model?: string;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  reasoning?: number;
  prefix?: string;
  error?: boolean;
}

/** A chat call on the acme provider, in the GenAI conventions; it ends a second after it starts. */
export function callSpan(call: CallSpec): SpanSpec {
  const model = call.model ?? 'acme-large';
  const attributes: Record<string, string | number | boolean> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'acme',
    'gen_ai.request.model': model,
    'gen_ai.usage.input_tokens': call.input,
    'gen_ai.usage.output_tokens': call.output,
    'gen_ai.usage.cache_read.input_tokens': call.cacheRead ?? 0,
    'gen_ai.usage.cache_write.input_tokens': (call.cacheWrite5m ?? 0) + (call.cacheWrite1h ?? 0),
  };
  if (call.cacheWrite1h) attributes['tokenledger.usage.cache_write.ttl_1h.input_tokens'] = call.cacheWrite1h;
  if (call.cacheWrite5m) attributes['tokenledger.usage.cache_write.ttl_5m.input_tokens'] = call.cacheWrite5m;
  if (call.reasoning !== undefined) attributes['gen_ai.usage.reasoning.output_tokens'] = call.reasoning;
  if (call.prefix) attributes['tokenledger.request.prefix_hash'] = call.prefix;
  if (call.error) attributes['error.type'] = 'InternalServerError';
  return {
    trace: call.trace,
    id: call.id,
    parent: call.parent ?? 1,
    name: `chat ${model}`,
    start: call.start,
    end: call.start + 1,
    attributes,
    error: call.error,
  };
}
