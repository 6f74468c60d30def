// Frameworks that keep their own notion of "the current agent or tool" (the OpenAI Agents SDK's trace context)
// run model calls inside it without an OpenTelemetry context to match. A framework bridge registers here a way to
// find the OpenTelemetry span it made for the framework's current span; an LLM call span starts under it, so the
// calls land in the agent run and tool they belong to. Process-global (a Symbol.for key), like the call gate.
import { context, type Context } from '@opentelemetry/api';

/** The framework span's OpenTelemetry context for a call starting now, or undefined. */
export type FrameworkContext = (active: Context) => Context | undefined;

const KEY = Symbol.for('tokenledger.framework-contexts');
type Holder = { [KEY]?: FrameworkContext[] };

export function registerFrameworkContext(find: FrameworkContext): void {
  const holder = globalThis as Holder;
  (holder[KEY] ??= []).push(find);
}

export function unregisterFrameworkContext(find: FrameworkContext): void {
  const list = (globalThis as Holder)[KEY];
  const index = list?.indexOf(find) ?? -1;
  if (index >= 0) list!.splice(index, 1);
}

/** The context an LLM call span starts in: a framework's current span where one is found, else the active one. */
export function callParentContext(): Context {
  const active = context.active();
  const list = (globalThis as Holder)[KEY];
  if (!list || list.length === 0) return active;
  for (const find of list) {
    try {
      const found = find(active);
      if (found) return found;
    } catch {
      // A bridge that fails is ignored: the call keeps the active context.
    }
  }
  return active;
}
