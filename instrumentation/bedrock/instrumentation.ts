// Patches `@aws-sdk/client-bedrock-runtime`: `BedrockRuntimeClient.prototype.send` for the Converse,
// ConverseStream, InvokeModel and InvokeModelWithResponseStream commands (the aggregated `BedrockRuntime` client's
// methods call `send` too). Other commands pass through untouched. `send` returns a plain Promise of the command's
// output; a streamed output's event stream is replaced by one that observes it before the app reads it.
import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { TokenledgerProviderInstrumentation } from '../common/base-instrumentation.ts';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import { gateCall } from '../common/gate-call.ts';
import { serverAttributes } from '../common/request-attributes.ts';
import { callInSpan, startCall } from '../common/traced-method.ts';
import { BEDROCK_OPERATIONS, planBedrockCommand, type BedrockOperation } from './commands.ts';

/** The versions the test suite runs against. */
export const SUPPORTED_BEDROCK_RUNTIME_VERSIONS = ['>=3.700.0 <4'];

type Prototype = Record<string, unknown>;
type Method = (this: unknown, ...args: unknown[]) => unknown;
type Command = { input?: unknown; constructor: new (input: unknown) => unknown };
type ClientConfig = {
  region?: () => Promise<string>;
  endpoint?: () => Promise<{ protocol?: string; hostname?: string; port?: number }>;
  isCustomEndpoint?: boolean;
};

/**
 * Records every `Converse`, `ConverseStream`, `InvokeModel` and `InvokeModelWithResponseStream` call of
 * `@aws-sdk/client-bedrock-runtime` (`>=3.700 <4`) as one GenAI span, each model family's usage normalised.
 */
export class BedrockRuntimeInstrumentation extends TokenledgerProviderInstrumentation {
  constructor(config: TokenledgerInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-bedrock-runtime', config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      '@aws-sdk/client-bedrock-runtime',
      SUPPORTED_BEDROCK_RUNTIME_VERSIONS,
      (moduleExports) => {
        const prototype = this.clientPrototype(moduleExports);
        if (prototype) this.rewrap(prototype, 'send', (original) => this.tracedSend(original));
        return moduleExports;
      },
      (moduleExports) => {
        const prototype = this.clientPrototype(moduleExports);
        if (prototype) this.unwrapAll(prototype, ['send']);
      },
    );
  }

  private clientPrototype(moduleExports: unknown): Prototype | undefined {
    const prototype = this.exportOf<{ prototype?: Prototype }>(moduleExports, 'BedrockRuntimeClient')?.prototype;
    return typeof prototype?.send === 'function' ? prototype : undefined;
  }

  private tracedSend(original: Method): Method {
    const instrumentation = this;
    return function tracedSend(this: unknown, ...args: unknown[]) {
      const started = instrumentation.start(this, args[0]);
      if (!started) return original.apply(this, args);
      const { call, plan } = started;
      const gated = gateCall(call, plan.gate);
      if ('stop' in gated) return Promise.reject(gated.stop);
      const callArgs = gated.args ? [gated.args[0], ...args.slice(1)] : args;
      // The callback form (`send(command, options, callback)`) resolves nothing: the callback gets the output.
      const callbackAt = callArgs.findIndex((arg, index) => index > 0 && typeof arg === 'function');
      if (callbackAt > 0) {
        const callback = callArgs[callbackAt] as (error: unknown, output?: unknown) => void;
        callArgs[callbackAt] = (error: unknown, output?: unknown) => {
          if (error) call.fail(error);
          else safely(() => plan.observe(output, call));
          callback(error, output);
        };
        return callInSpan(call, () => original.apply(this, callArgs));
      }
      const result = callInSpan(call, () => original.apply(this, callArgs)) as Promise<unknown>;
      return result.then(
        (output) => {
          safely(() => plan.observe(output, call));
          return output;
        },
        (error: unknown) => {
          call.fail(error);
          throw error;
        },
      );
    };
  }

  /** Starts the span of a command tokenledger records, or returns undefined (the original then runs untraced). */
  private start(client: unknown, command: unknown) {
    if (!this.isEnabled()) return undefined;
    try {
      const operation = (command as Command | undefined)?.constructor?.name?.replace(/Command$/, '');
      if (!operation || !BEDROCK_OPERATIONS.has(operation)) return undefined;
      const plan = planBedrockCommand(operation as BedrockOperation, command as Command);
      if (!plan) return undefined;
      const call = startCall(this.host, plan);
      addServerAttributes(client, call);
      return { call, plan };
    } catch (error) {
      diag.error('tokenledger: could not start a Bedrock span', error);
      return undefined;
    }
  }
}

/**
 * `server.address` / `server.port`: the client's own endpoint when one was configured, else the regional Bedrock
 * Runtime endpoint. Both are resolved asynchronously by the SDK, before the request is sent.
 */
function addServerAttributes(client: unknown, call: ReturnType<typeof startCall>): void {
  const config = (client as { config?: ClientConfig } | undefined)?.config;
  if (!config) return;
  const url =
    config.isCustomEndpoint && config.endpoint
      ? config.endpoint().then((endpoint) => `${endpoint.protocol ?? 'https:'}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`)
      : config.region?.().then((region) => `https://bedrock-runtime.${region}.amazonaws.com`);
  url?.then(
    (baseURL) => call.setAttributes(serverAttributes(baseURL)),
    () => undefined,
  );
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    diag.error('tokenledger: could not read a Bedrock response', error);
  }
}
