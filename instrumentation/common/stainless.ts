// Hooks for the Stainless-generated SDKs (openai, @anthropic-ai/sdk): observe a call's parsed value without
// changing what the app gets. The SDK's own `APIPromise` is returned (never a plain Promise: helpers use its
// `withResponse` and `_thenUnwrap`), the body is never parsed eagerly (that would break `asResponse()`), and a
// stream's `iterator` is wrapped, which is what `for await`, `tee()` and `toReadableStream()` all go through.
//
// `APIPromise.prototype` is patched once, when the SDK is (parse, asResponse, _thenUnwrap); each call only
// tags its promise with its observation under a symbol. Hooking every promise in place instead (four
// closures and four own properties per call) cost ~16 µs a call, and so did keeping the observations in a
// WeakMap (the garbage collector's ephemeron work for tens of thousands of short-lived keys).
import { diag } from '@opentelemetry/api';
import { readGatewayCostOnParse } from './gateway-cost.ts';
import type { LlmCall } from './llm-call.ts';
import { observeEvents, type StreamObserver } from './observe-stream.ts';

/** What reads a call's parsed value (its plan, traced-method.ts); an error fails the call. */
export interface ParsedValueObserver {
  /** Called once with the parsed body, or with the Stream object of a streamed call. */
  observe(value: unknown, call: LlmCall): void;
}

type Callable = (this: unknown, ...args: unknown[]) => unknown;

/** One call's observation, shared by its APIPromise and the promises derived from it by `_thenUnwrap`. */
interface Observation {
  call: LlmCall;
  observer: ParsedValueObserver;
  seen: boolean;
  parseStarted: boolean;
}

/** A registered promise: its call's observation, and whether its own parse() has been hooked. */
interface Registered {
  observation: Observation;
  parseHooked: boolean;
}

const REGISTERED = Symbol('llm call observation');
const entryOf = (promise: unknown) => (typeof promise === 'object' && promise !== null ? (promise as { [REGISTERED]?: Registered })[REGISTERED] : undefined);

/** Observes an APIPromise and returns that same object. */
export function observeAPIPromise<T>(promise: T, call: LlmCall, observer: ParsedValueObserver): T {
  try {
    register(promise, { call, observer, seen: false, parseStarted: false }, true);
  } catch (error) {
    diag.error('tokenledger: could not observe an SDK promise', error);
  }
  return promise;
}

/** `readCost`: also read a gateway's cost header as the response is parsed (not again for a promise derived from it). */
function register(promise: unknown, observation: Observation, readCost: boolean): void {
  if (typeof promise !== 'object' || promise === null) return;
  const target = promise as Record<string, unknown>;
  if (!isPatched(target)) {
    // An APIPromise class that was not patched (never the case for the SDK versions the instrumentations
    // accept): read the value the way other instrumentations do.
    (promise as Promise<unknown>).then(
      (value) => deliver(observation, value),
      (error: unknown) => observation.call.fail(error),
    );
    return;
  }
  (target as { [REGISTERED]?: Registered })[REGISTERED] = { observation, parseHooked: false };
  if (readCost) readGatewayCostOnParse(target, observation.call);
  // openai 7 gives each promise an own `_thenUnwrap` closing over the original parser: wrap that one in place.
  if (Object.hasOwn(target, '_thenUnwrap') && typeof target._thenUnwrap === 'function') {
    const own = target._thenUnwrap as Callable;
    target._thenUnwrap = function (this: unknown, transform: unknown) {
      return derive(own, this, transform, observation);
    };
  }
}

function isPatched(target: object): boolean {
  const parse = (target as { parse?: { [PATCHED]?: boolean } }).parse;
  return parse?.[PATCHED] === true;
}

const PATCHED = Symbol('api promise patch');

function deliver(observation: Observation, value: unknown): void {
  if (observation.seen) return;
  observation.seen = true;
  try {
    observation.observer.observe(value, observation.call);
  } catch (error) {
    diag.error('tokenledger: could not read a response', error);
  }
}

/** `_thenUnwrap` of an observed promise: the raw value is observed before the transform, and the derived
 * promise shares the call's observation. */
function derive(thenUnwrap: Callable, self: unknown, transform: unknown, observation: Observation): unknown {
  const next = thenUnwrap.call(self, (value: unknown, props: unknown) => {
    deliver(observation, value);
    return (transform as Callable)(value, props);
  });
  register(next, observation, false);
  return next;
}

/** Wrappers for `APIPromise.prototype`, by method name; each does nothing more for a promise not registered. */
export const API_PROMISE_WRAPPERS: Record<'parse' | 'asResponse' | '_thenUnwrap', (original: Callable) => Callable> = {
  // Errors (HTTP status, connection, parse) and the parsed value surface through parse(). Observing its
  // cached promise on a branch of our own leaves the app's chain, and its unhandled-rejection behaviour, as
  // it was; our branch is attached first, so the span has ended when the app's code resumes.
  parse: (original) =>
    markPatched(function (this: unknown, ...args: unknown[]) {
      const parsed = original.apply(this, args);
      const entry = entryOf(this);
      if (entry && !entry.parseHooked) {
        entry.parseHooked = true;
        const { observation } = entry;
        observation.parseStarted = true;
        if (parsed instanceof Promise)
          parsed.then(
            (value) => deliver(observation, value),
            (error: unknown) => observation.call.fail(error),
          );
      }
      return parsed;
    }),
  // A raw `asResponse()` read before any parse never shows us the body: end the span when the response
  // arrives, with the usage unknown.
  asResponse: (original) =>
    function (this: unknown, ...args: unknown[]) {
      const observation = entryOf(this)?.observation;
      const raw = observation !== undefined && !observation.parseStarted;
      const response = original.apply(this, args);
      if (raw && response instanceof Promise) {
        response.then(
          () => (observation.parseStarted ? undefined : observation.call.end('raw_response')),
          (error: unknown) => observation.call.fail(error),
        );
      }
      return response;
    },
  _thenUnwrap: (original) =>
    function (this: unknown, transform: unknown) {
      const observation = entryOf(this)?.observation;
      return observation ? derive(original, this, transform, observation) : original.call(this, transform);
    },
};

function markPatched(wrapper: Callable): Callable {
  Object.defineProperty(wrapper, PATCHED, { value: true });
  return wrapper;
}

/** The base URL of the client behind a Stainless SDK resource (`this` in a patched method). */
export function clientBaseURL(resource: unknown): unknown {
  return (resource as { _client?: { baseURL?: unknown } } | undefined)?._client?.baseURL;
}

export function isStainlessStream(value: unknown): value is { iterator: Callable; controller: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { iterator?: unknown }).iterator === 'function' && 'controller' in value;
}

/** Wraps a Stainless stream's iterator so every consumer path is observed; the stream object stays the same. */
export function observeStainlessStream<Event>(stream: { iterator: Callable; controller?: unknown }, call: LlmCall, observer: StreamObserver<Event>): void {
  const original = stream.iterator;
  // An abort through the stream's AbortController ends the SDK's iteration quietly: not drained.
  const signal = (stream.controller as AbortController | undefined)?.signal;
  const aborted = () => signal?.aborted === true;
  const observed: StreamObserver<Event> = {
    onEvent: (event) => observer.onEvent(event),
    onEnd: (drained) => observer.onEnd(drained && !aborted()),
  };
  stream.iterator = function (this: unknown, ...args: unknown[]) {
    return observeEvents(original.apply(this, args) as AsyncIterator<Event>, call, observed);
  };
}
