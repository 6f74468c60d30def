// A process that is not instrumented by tokenledger: it writes LLM spans the way other instrumentations do and
// exports them with a real OTLP exporter (PROTOCOL=proto or json) to COLLECTOR_URL. Run by test/collector.test.ts.
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';

const Exporter = process.env.PROTOCOL === 'json' ? JsonExporter : ProtoExporter;
const exporter = new Exporter({ url: `${process.env.COLLECTOR_URL}/v1/traces` });
const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });

provider
  .getTracer('openinference.instrumentation.openai')
  .startSpan('ChatCompletion', {
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.model_name': 'gpt-4o',
      'llm.token_count.prompt': 5000,
      'llm.token_count.completion': 300,
      'llm.token_count.prompt_details.cache_read': 4096,
    },
  })
  .end();

provider
  .getTracer('@traceloop/instrumentation-anthropic')
  .startSpan('anthropic.chat', {
    attributes: {
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.prompt_tokens': 50,
      'gen_ai.usage.completion_tokens': 530,
      'gen_ai.usage.cache_read.input_tokens': 12000,
      'gen_ai.usage.cache_creation.input_tokens': 3000,
    },
  })
  .end();

provider
  .getTracer('@opentelemetry/instrumentation-openai')
  .startSpan('chat gpt-4.1', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.usage.input_tokens': 2000,
      'gen_ai.usage.output_tokens': 100,
      'gen_ai.usage.cache_read.input_tokens': 1000,
    },
  })
  .end();

provider
  .getTracer('com.anthropic.sdk.typescript')
  .startSpan('anthropic.messages.create', {
    attributes: {
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.usage.input_tokens': 15050,
      'gen_ai.usage.output_tokens': 530,
      'gen_ai.usage.cache_read.input_tokens': 12000,
      'gen_ai.usage.cache_write.input_tokens': 3000,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 1000,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 2000,
    },
  })
  .end();

provider
  .getTracer('@opentelemetry/instrumentation-http')
  .startSpan('POST', {
    attributes: { 'http.request.method': 'POST', 'http.response.status_code': 200 },
  })
  .end();

await provider.shutdown();
