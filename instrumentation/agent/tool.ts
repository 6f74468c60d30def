// `tool(name, fn)`: wraps a tool function so each execution is an `execute_tool {name}` span under the current
// run, carrying the hash of its canonical arguments. The wrapped function returns, resolves, throws or rejects
// exactly as `fn` does, unless a guardrail in enforce mode stops a runaway loop (RunawayLoopError).
// With `memoize` (pure tools only) a result is reused for the same canonical arguments within its TTL.
import { context, diag, metrics, SpanKind, trace, type Counter, type Span } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_TOKENLEDGER_TOOL_ARGS_HASH,
  ATTR_TOKENLEDGER_TOOL_CACHE_HIT,
  ATTR_TOKENLEDGER_TOOL_CACHE_RESULT,
  METRIC_TOKENLEDGER_TOOL_CACHE_REQUESTS,
} from '../../conventions/attributes.ts';
import { currentCallGate } from '../common/call-gate.ts';
import { endSpanFailed } from '../common/framework-spans.ts';
import { isGuardError } from '../common/gate-call.ts';
import { VERSION } from '../../base/version.ts';
import { toolArgsHash } from './canonical.ts';
import { LruMemoStore, type MemoStore } from './memo-store.ts';

/** How a pure tool's results are reused for the same canonical arguments. */
export interface MemoizeOptions {
  /** Required: only a tool without side effects may be memoised. */
  pure: true;
  /** How long a result is reused. */
  ttlMs: number;
  /** Where results are kept; default an in-memory LRU of 1000 results. */
  store?: MemoStore;
}

/** Options of `tool`. */
export interface ToolOptions {
  /** Reads the model's tool-call id from the arguments, for `gen_ai.tool.call.id`. */
  callId?: (args: readonly unknown[]) => string | undefined;
  /** Reuse results for the same canonical arguments (pure tools only). The wrapped tool then returns a promise. */
  memoize?: MemoizeOptions;
}

let cacheCounter: Counter | undefined;
const cacheRequests = () =>
  (cacheCounter ??= metrics
    .getMeter('tokenledger', VERSION)
    .createCounter(METRIC_TOKENLEDGER_TOOL_CACHE_REQUESTS, { unit: '{request}', description: 'Memoised tool executions by cache result' }));

/**
 * Wraps a tool function so each execution is an `execute_tool {name}` span of the current run. The wrapped function
 * returns, resolves, throws or rejects exactly as `fn` does, unless a guardrail in enforce mode stops a runaway loop
 * (`RunawayLoopError`). With `memoize` it returns a promise.
 */
export function tool<Args extends unknown[], Result>(name: string, fn: (...args: Args) => Result, options: ToolOptions = {}): (...args: Args) => Result {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('tool: `name` must be a non-empty string');
  if (typeof fn !== 'function') throw new TypeError('tool: `fn` must be a function');
  if (options.memoize) return memoized(name, fn, options, validateMemoize(name, options.memoize));
  const isAsync = fn.constructor?.name === 'AsyncFunction';
  return function traced(this: unknown, ...args: Args): Result {
    const span = startToolSpan(name, options, args, safeHash(name, args));
    const stop = gateTool(span);
    if (stop) return (isAsync ? Promise.reject(stop) : throwError(stop)) as Result;
    let result: Result;
    try {
      result = context.with(trace.setSpan(context.active(), span), () => fn.apply(this, args));
    } catch (error) {
      endSpanFailed(span, error);
      throw error;
    }
    if (result instanceof Promise) {
      // Observe without changing: the caller still gets `fn`'s own promise.
      result.then(
        () => span.end(),
        (error: unknown) => endSpanFailed(span, error),
      );
      return result;
    }
    span.end();
    return result;
  };
}

function memoized<Args extends unknown[], Result>(
  name: string,
  fn: (...args: Args) => Result,
  options: ToolOptions,
  memo: Required<MemoizeOptions>,
): (...args: Args) => Result {
  return function tracedMemoized(this: unknown, ...args: Args): Result {
    const key = safeHash(name, args);
    const span = startToolSpan(name, options, args, key);
    const run = async () => {
      const stop = gateTool(span);
      if (stop) throw stop;
      // Arguments that cannot be serialised canonically are never served from the cache.
      const cached = key === undefined ? undefined : await readCache(memo.store, key);
      if (cached !== undefined) {
        span.setAttribute(ATTR_TOKENLEDGER_TOOL_CACHE_HIT, true);
        cacheRequests().add(1, { [ATTR_GEN_AI_TOOL_NAME]: name, [ATTR_TOKENLEDGER_TOOL_CACHE_RESULT]: 'hit' });
        return cached;
      }
      span.setAttribute(ATTR_TOKENLEDGER_TOOL_CACHE_HIT, false);
      cacheRequests().add(1, { [ATTR_GEN_AI_TOOL_NAME]: name, [ATTR_TOKENLEDGER_TOOL_CACHE_RESULT]: 'miss' });
      const result = await context.with(trace.setSpan(context.active(), span), () => fn.apply(this, args));
      if (key !== undefined) await writeCache(memo.store, key, result, memo.ttlMs);
      return result;
    };
    return run().then(
      (result) => {
        span.end();
        return result;
      },
      (error: unknown) => {
        endSpanFailed(span, error);
        throw error;
      },
    ) as Result;
  };
}

async function readCache(store: MemoStore, key: string): Promise<unknown> {
  try {
    const text = await store.get(key);
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch (error) {
    diag.warn('tokenledger: memo store read failed; the tool runs', error);
    return undefined;
  }
}

async function writeCache(store: MemoStore, key: string, result: unknown, ttlMs: number): Promise<void> {
  try {
    const text = JSON.stringify(result);
    if (text !== undefined) await store.set(key, text, ttlMs);
  } catch (error) {
    diag.warn('tokenledger: memo store write failed; the result is not reused', error);
  }
}

function validateMemoize(name: string, memo: MemoizeOptions): Required<MemoizeOptions> {
  if (memo.pure !== true) throw new TypeError(`tool ${name}: memoize needs \`pure: true\`; a tool with side effects is never memoised`);
  if (!Number.isFinite(memo.ttlMs) || memo.ttlMs <= 0) throw new TypeError(`tool ${name}: memoize.ttlMs must be a positive number, got ${memo.ttlMs}`);
  return { pure: true, ttlMs: memo.ttlMs, store: memo.store ?? new LruMemoStore() };
}

function safeHash(name: string, args: readonly unknown[]): string | undefined {
  try {
    return toolArgsHash(name, args);
  } catch (error) {
    diag.debug(`tokenledger: no argument hash for tool ${name}`, error);
    return undefined;
  }
}

function startToolSpan(name: string, options: ToolOptions, args: readonly unknown[], argsHash: string | undefined): Span {
  const attributes: Record<string, string> = { [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool', [ATTR_GEN_AI_TOOL_NAME]: name };
  if (argsHash) attributes[ATTR_TOKENLEDGER_TOOL_ARGS_HASH] = argsHash;
  try {
    const callId = options.callId?.(args);
    if (callId) attributes[ATTR_GEN_AI_TOOL_CALL_ID] = callId;
  } catch (error) {
    diag.debug(`tokenledger: callId failed for tool ${name}`, error);
  }
  return trace.getTracer('tokenledger', VERSION).startSpan(`execute_tool ${name}`, { kind: SpanKind.INTERNAL, attributes });
}

/** The guardrail error that stops this tool (enforce mode), or undefined. */
function gateTool(span: Span): Error | undefined {
  try {
    currentCallGate()?.beforeTool(span);
    return undefined;
  } catch (error) {
    if (!isGuardError(error)) {
      diag.error('tokenledger: a guardrail failed; the tool runs', error);
      return undefined;
    }
    endSpanFailed(span, error);
    return error;
  }
}

function throwError(error: Error): never {
  throw error;
}
