// Which spans start runs, the same in process and in collector mode: an agent span (`invoke_agent`, an OpenInference
// AGENT span, the AI SDK's own span of a whole generateText / streamText) always, as an explicit run; a root span (a
// local root in process, the trace's root in collector mode) as an implicit run unless it is itself an LLM call or a
// tool, or one of the AI SDK's own spans (none of which starts a run past its whole-operation span).
import type { SpanClass } from '../ledger/sources/registry.ts';
import type { RunStart } from '../runs/run-tree.ts';

export function runStartOf(spanClass: SpanClass, isRoot: boolean): RunStart | undefined {
  if (spanClass.kind === 'agent') return { name: spanClass.runName, explicit: true };
  if (isRoot && spanClass.kind === 'other' && spanClass.source.id !== 'ai_sdk') return { name: spanClass.runName, explicit: false };
  return undefined;
}
