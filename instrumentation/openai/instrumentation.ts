// Patches the `openai` package: chat.completions.create, responses.create and embeddings.create.
// The helpers (`.stream()`, `.parse()`, `runTools`, `responses.stream()`) all call these, so patching them
// too would make two spans per call. `AzureOpenAI` extends `OpenAI`, so it shares the same prototypes.
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { TokenledgerProviderInstrumentation } from '../common/base-instrumentation.ts';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import { tracedStainlessMethod, type CallPlan } from '../common/traced-method.ts';
import { planChatCall } from './chat.ts';
import { planEmbeddingsCall } from './embeddings.ts';
import { providerName } from './provider.ts';
import { providerUrlMapping, type ProviderUrlMapping } from './provider-hosts.ts';
import { planResponsesCall } from './responses.ts';

export interface OpenAIInstrumentationConfig extends TokenledgerInstrumentationConfig {
  /**
   * Streams without `stream_options.include_usage` report no usage. `inject` (default) asks for it on the
   * app's behalf and hides the extra usage-only chunk, so the app sees exactly the chunks it asked for;
   * `off` leaves the request alone and records `tokenledger.usage.unknown_reason = stream_usage_not_requested`.
   * Use `off` for OpenAI-compatible servers that reject `stream_options`.
   */
  streamUsage?: 'inject' | 'off';
  /**
   * Base URL → `gen_ai.provider.name`, for servers tokenledger cannot tell from their host: `local` (or a name of
   * your own) for a self-hosted server, or a hosted provider's name for a gateway in front of it. The longest
   * matching prefix wins. Default: none (see provider-hosts.ts for what each host is taken for).
   */
  providerUrls?: Record<string, string>;
}

/** The versions the test suite runs against. */
export const SUPPORTED_OPENAI_VERSIONS = ['>=6.0.0 <8'];

type Planner = (self: unknown, args: unknown[]) => CallPlan | undefined;
type Prototype = Record<string, unknown>;

/**
 * Records every call of the `openai` SDK (`>=6 <8`) — chat completions, responses and embeddings, on OpenAI, Azure
 * OpenAI and OpenAI-compatible hosts — as one GenAI span with its six token types.
 */
export class OpenAIInstrumentation extends TokenledgerProviderInstrumentation<OpenAIInstrumentationConfig> {
  constructor(config: OpenAIInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-openai', config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      'openai',
      SUPPORTED_OPENAI_VERSIONS,
      (moduleExports) => {
        this.patchAPIPromise(moduleExports);
        for (const [prototype, planner] of this.targets(moduleExports)) this.patchCreate(prototype, planner);
        return moduleExports;
      },
      (moduleExports) => {
        for (const [prototype] of this.targets(moduleExports)) this.unwrapAll(prototype, ['create']);
        this.unpatchAPIPromise(moduleExports);
      },
    );
  }

  private targets(moduleExports: unknown): Array<[Prototype, Planner]> {
    const OpenAI = this.exportOf<Record<string, { prototype?: Prototype } & Record<string, unknown>>>(moduleExports, 'OpenAI');
    const chat = (OpenAI?.Chat as { Completions?: { prototype?: Prototype } } | undefined)?.Completions?.prototype;
    const responses = OpenAI?.Responses?.prototype;
    const embeddings = OpenAI?.Embeddings?.prototype;
    const targets: Array<[Prototype | undefined, Planner]> = [
      [
        chat,
        (self, args) =>
          planChatCall(self, args, {
            captureContent: this.captureContent,
            injectStreamUsage: this.getConfig().streamUsage !== 'off',
            provider: this.provider(self),
          }),
      ],
      [responses, (self, args) => planResponsesCall(self, args, this.captureContent, this.provider(self))],
      [embeddings, (self, args) => planEmbeddingsCall(self, args, this.provider(self))],
    ];
    return targets.filter((target): target is [Prototype, Planner] => typeof target[0]?.create === 'function');
  }

  /** The provider behind the client of a resource; the mapping is prepared once per configuration. */
  private provider(resource: unknown): string {
    const config = this.getConfig();
    if (this.mapping?.config !== config) this.mapping = { config, mapping: providerUrlMapping(config.providerUrls) };
    return providerName(resource, this.mapping.mapping);
  }

  private mapping: { config: OpenAIInstrumentationConfig; mapping: ProviderUrlMapping } | undefined;

  private patchCreate(prototype: Prototype, planner: Planner): void {
    this.rewrap(prototype, 'create', (original) => tracedStainlessMethod(this.host, original, planner));
  }
}
