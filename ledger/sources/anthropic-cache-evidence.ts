// Whether an Anthropic span's input count leaves the prompt cache out. Anthropic's own `input_tokens` excludes cache
// reads and writes; the GenAI conventions' `gen_ai.usage.input_tokens` includes them. Instrumentations differ, and
// some changed between releases, so the decision rests on evidence on the span, never on a scope name alone:
//
// 1. The counts: cache read + cache write above the input count cannot be inside it.
// 2. The instrumentation and its version (the span's instrumentation scope), from each one's public source:
//    | scope                                   | input count                                                      |
//    |-----------------------------------------|------------------------------------------------------------------|
//    | @traceloop/instrumentation-anthropic    | Anthropic's raw input_tokens, without the cache (through 0.27)  |
//    | @openlit/instrumentation-anthropic      | Anthropic's raw input_tokens, without the cache                  |
//    | openlit.instrumentation.anthropic       | the same (OpenLIT for Python from 1.40, anthropic/utils.py; its  |
//    |   (Python OpenLIT, no scope version)    |   earlier releases share `openlit.otel.tracing` with its Claude  |
//    |                                         |   Agent SDK spans, which include the cache: counts decide there) |
//    | opentelemetry.instrumentation.anthropic | with the cache from 0.33.0 (traceloop/openllmetry#2175, Oct 2024); |
//    |   (Python OpenLLMetry)                  |   without it before                                              |
//    | anything else                           | as the GenAI conventions define it: with the cache               |

/** Instrumentations whose Anthropic input count leaves the cache out, and the version from which they include it. */
const EXCLUDING: ReadonlyArray<{ scope: string; includesFrom?: readonly [number, number, number] }> = [
  { scope: '@traceloop/instrumentation-anthropic' },
  { scope: '@openlit/instrumentation-anthropic' },
  { scope: 'openlit.instrumentation.anthropic' },
  { scope: 'opentelemetry.instrumentation.anthropic', includesFrom: [0, 33, 0] },
];

export interface CacheCounts {
  input: number;
  cacheRead: number;
  cacheWrite: number;
}

export function inputExcludesCache(counts: CacheCounts, scope: string, scopeVersion: string | undefined): boolean {
  const cache = counts.cacheRead + counts.cacheWrite;
  if (cache === 0) return false;
  if (counts.input < cache) return true;
  const known = EXCLUDING.find((entry) => entry.scope === scope);
  if (!known) return false;
  if (!known.includesFrom) return true;
  const version = parseVersion(scopeVersion);
  // No version on the scope: the release current today, which includes the cache.
  return version !== undefined && compare(version, known.includesFrom) < 0;
}

function parseVersion(value: string | undefined): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(value ?? '');
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
