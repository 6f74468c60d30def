// The request sensor: watches outgoing HTTP requests through Node's diagnostics channels — `undici:request:create`
// (fetch and undici) and `http.client.request.start` (the http/https client) — and, for each request to an LLM
// provider's API (provider-endpoints.ts), notes it on the span active when it was made. The span processor then
// checks that an LLM span covered it (the active span or one above it is an LLM call); a request no LLM span
// covered — a client or framework tokenledger does not instrument — makes its run incomplete, so a run never
// claims a completeness it does not have.
//
// A subscriber only reads the request's host and path: it never touches headers or bodies, never changes or
// delays the request, and costs a string test per request. Nothing is patched.
import diagnosticsChannel from 'node:diagnostics_channel';
import { context, diag, trace } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { noteProviderRequest } from '../common/provider-requests.ts';
import { VERSION } from '../../base/version.ts';
import { isProviderRequest } from './provider-endpoints.ts';

const UNDICI_REQUEST = 'undici:request:create';
const HTTP_REQUEST = 'http.client.request.start';

/** The sensor subscribed in this process: one only, so the ESM and CJS copies of tokenledger never count twice. */
const ACTIVE = Symbol.for('tokenledger.request-sensor');
type Holder = { [ACTIVE]?: object };

type UndiciMessage = { request?: { origin?: unknown; path?: unknown } };
type HttpMessage = { request?: { host?: unknown; path?: unknown } };

/**
 * Notes every HTTP request to a known LLM provider API on the span active when it is made, so a run with a request no
 * LLM span covered is marked incomplete. Reads the request's host and path only; patches nothing.
 */
export class ProviderRequestSensor extends InstrumentationBase<InstrumentationConfig> {
  constructor(config: InstrumentationConfig = {}) {
    super('tokenledger-request-sensor', VERSION, config);
  }

  protected init() {
    return [];
  }

  /** Subscribes to Node's `undici:request:create` and `http.client.request.start` channels (one sensor per process). */
  override enable(): void {
    super.enable();
    const holder = globalThis as Holder;
    if (holder[ACTIVE] !== undefined) return;
    holder[ACTIVE] = this;
    diagnosticsChannel.subscribe(UNDICI_REQUEST, onUndiciRequest);
    diagnosticsChannel.subscribe(HTTP_REQUEST, onHttpRequest);
  }

  /** Unsubscribes from both channels. */
  override disable(): void {
    super.disable();
    const holder = globalThis as Holder;
    if (holder[ACTIVE] !== this) return;
    holder[ACTIVE] = undefined;
    diagnosticsChannel.unsubscribe(UNDICI_REQUEST, onUndiciRequest);
    diagnosticsChannel.unsubscribe(HTTP_REQUEST, onHttpRequest);
  }
}

function onUndiciRequest(message: unknown): void {
  const request = (message as UndiciMessage).request;
  if (typeof request?.origin !== 'string' || typeof request.path !== 'string') return;
  observe(hostOf(request.origin), request.path);
}

function onHttpRequest(message: unknown): void {
  const request = (message as HttpMessage).request;
  if (typeof request?.host !== 'string' || typeof request.path !== 'string') return;
  observe(request.host, request.path);
}

function observe(host: string, path: string): void {
  try {
    if (!isProviderRequest(host, path)) return;
    const span = trace.getSpan(context.active());
    if (span?.isRecording()) noteProviderRequest(span);
  } catch (error) {
    diag.debug('tokenledger: request sensor failed', error);
  }
}

/** `https://api.openai.com:443` → `api.openai.com`. */
function hostOf(origin: string): string {
  const start = origin.indexOf('//') + 2;
  const end = origin.indexOf(':', start);
  const slash = origin.indexOf('/', start);
  const stop = end === -1 ? (slash === -1 ? origin.length : slash) : end;
  return origin.slice(start, stop);
}
