// Patches `@google/genai`. Its public `models.generateContent` / `generateContentStream` are arrow functions
// set per instance in the `Models` constructor, so they cannot be patched on a prototype; every path
// (generateContent, generateContentStream, chats, automatic function calling) goes through the prototype
// methods `generateContentInternal` / `generateContentStreamInternal`: one span per HTTP call.
import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { TokenledgerProviderInstrumentation } from '../common/base-instrumentation.ts';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import type { LlmCall } from '../common/llm-call.ts';
import { gateCall } from '../common/gate-call.ts';
import { observeEvents } from '../common/observe-stream.ts';
import { callInSpan, startCall } from '../common/traced-method.ts';
import { isRecord } from '../../ledger/usage.ts';
import { describeRequest, recordResponse, type GeminiRequest } from './generate-content.ts';

/** The versions the test suite runs against. */
export const SUPPORTED_GOOGLE_GENAI_VERSIONS = ['>=2.0.0 <4'];

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Prototype = Record<string, unknown>;

interface ApiClient {
  isVertexAI?(): boolean;
  getBaseUrl?(): string;
}

/** Records every HTTP call of `@google/genai` (2.x, 3.x), on the Gemini API and Vertex AI, as one GenAI span. */
export class GoogleGenAIInstrumentation extends TokenledgerProviderInstrumentation {
  constructor(config: TokenledgerInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-google-genai', config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      '@google/genai',
      SUPPORTED_GOOGLE_GENAI_VERSIONS,
      (moduleExports) => {
        const prototype = this.modelsPrototype(moduleExports);
        if (!prototype) return moduleExports;
        this.rewrap(prototype, 'generateContentInternal', (original) => this.traced(original, false));
        this.rewrap(prototype, 'generateContentStreamInternal', (original) => this.traced(original, true));
        return moduleExports;
      },
      (moduleExports) => {
        const prototype = this.modelsPrototype(moduleExports);
        if (prototype) this.unwrapAll(prototype, ['generateContentInternal', 'generateContentStreamInternal']);
      },
    );
  }

  private modelsPrototype(moduleExports: unknown): Prototype | undefined {
    return this.exportOf<{ prototype?: Prototype }>(moduleExports, 'Models')?.prototype;
  }

  /** Starts the span for one call, or returns undefined (and the original runs untraced). */
  private start(models: unknown, params: unknown, stream: boolean): { call: LlmCall; request: GeminiRequest } | undefined {
    if (!this.isEnabled()) return undefined;
    try {
      const apiClient = (models as { apiClient?: ApiClient } | undefined)?.apiClient;
      const provider = apiClient?.isVertexAI?.() ? 'gcp.vertex_ai' : 'gcp.gemini';
      const request = describeRequest(params, provider, apiClient?.getBaseUrl?.(), this.captureContent, stream);
      if (!request) return undefined;
      return { call: startCall(this.host, request), request };
    } catch (error) {
      diag.error('tokenledger: could not start a Gemini span', error);
      return undefined;
    }
  }

  /** One wrapper for both internals: they differ only in what the resolved value is (a response or a stream). */
  private traced(original: Method, stream: boolean): Method {
    const instrumentation = this;
    return function tracedGenerate(this: unknown, ...args: unknown[]) {
      const started = instrumentation.start(this, args[0], stream);
      if (!started) return original.apply(this, args);
      const { call, request } = started;
      const captureContent = instrumentation.captureContent;
      const gated = gateCall(call, request.gate);
      if ('stop' in gated) return Promise.reject(gated.stop);
      const result = callInSpan(call, () => original.apply(this, gated.args ?? args)) as Promise<unknown>;
      return result.then(
        (value) => {
          if (stream) return observeGeminiStream(value as AsyncIterator<unknown>, call, request, captureContent);
          safely(() => recordResponse(value, call, request, captureContent));
          call.end();
          return value;
        },
        (error: unknown) => {
          call.fail(error);
          throw error;
        },
      );
    };
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    diag.error('tokenledger: could not read a Gemini response', error);
  }
}

/**
 * Every chunk's `usageMetadata` is the running total of the call (not a delta): the last one is the usage.
 * A stream that ends before a chunk with a finishReason has an incomplete count.
 */
function observeGeminiStream(source: AsyncIterator<unknown>, call: LlmCall, request: GeminiRequest, captureContent: boolean) {
  let last: Record<string, unknown> | undefined;
  let finished = false;
  const texts: string[] = [];
  return observeEvents<unknown>(source, call, {
    onEvent(chunk) {
      if (!isRecord(chunk)) return;
      if (chunk.usageMetadata) last = chunk;
      const candidates = Array.isArray(chunk.candidates) ? chunk.candidates : [];
      for (const candidate of candidates) {
        if (!isRecord(candidate)) continue;
        if (candidate.finishReason) finished = true;
        if (captureContent && isRecord(candidate.content) && Array.isArray(candidate.content.parts)) {
          for (const part of candidate.content.parts) if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
        }
      }
    },
    onEnd(drained) {
      if (!last) return;
      const candidates = finished ? withFinishReasons(last, texts) : [];
      recordResponse({ ...last, candidates }, call, request, captureContent);
      if (!(drained && finished)) call.setUsage({ tokens: {}, unknownReason: 'stream_incomplete' });
    },
  });
}

function withFinishReasons(chunk: Record<string, unknown>, texts: string[]): unknown[] {
  const candidates = Array.isArray(chunk.candidates) ? chunk.candidates : [];
  return candidates.map((candidate) => (isRecord(candidate) ? { ...candidate, content: { role: 'model', parts: [{ text: texts.join('') }] } } : candidate));
}
