// What every source convention module says about a span (ledger/sources/*.ts): whether it wrote the span, what kind
// of span it is at its start, and, at its end, the usage it states. The registry (registry.ts) asks them in order;
// a new convention is one module here and a line in the registry's list.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
  type TokenledgerUsageSourceConvention,
} from '../../conventions/attributes.ts';
import type { NormalizedUsage } from '../usage.ts';

/**
 * What a span is, as far as the ledger goes: one provider `call` (normalised, priced, counted as a step), an `agent`
 * span (an explicit run), a `tool` execution, or `other` (a plain span: a root one may be an implicit run).
 */
export type SpanKind = 'call' | 'agent' | 'tool' | 'other';

/** The usage a span states, read in its own convention. */
export interface SpanUsage {
  usage: NormalizedUsage;
  /** The convention it was read in; undefined for tokenledger's own spans. */
  convention?: TokenledgerUsageSourceConvention;
  /** Attributes the span needs to be priced and counted and does not have (operation, provider, model, tier). */
  describing: Attributes;
}

export interface SourceConvention {
  /** For tests and diagnostics. */
  readonly id: string;
  /**
   * Whether the span was written in this convention (by its scope, or attributes it has at its start). An
   * `exclusive` source that owns a span is the only one asked for its usage; otherwise the next owner is asked too.
   */
  owns(attributes: Attributes, scope: string): boolean;
  readonly exclusive: boolean;
  /** What the span says it is at its start. */
  kind(attributes: Attributes): SpanKind;
  /** The name of the run an agent span starts (else its `gen_ai.agent.name`, else its span name). */
  runName?(attributes: Attributes): string | undefined;
  /** The usage the span states at its end; undefined when it states none. */
  usage(attributes: Attributes, scope: string, scopeVersion: string | undefined): SpanUsage | undefined;
}

/** The GenAI operations that are one provider call. */
export const LLM_OPERATIONS = new Set(['chat', 'generate_content', 'text_completion', 'embeddings']);

/** `added`: attributes about to be added to the span (what a reader found it lacks), read before its own. */
export function isLlmCall(attributes: Attributes, added?: Attributes): boolean {
  const operation = added?.[ATTR_GEN_AI_OPERATION_NAME] ?? attributes[ATTR_GEN_AI_OPERATION_NAME];
  const provider = added?.[ATTR_GEN_AI_PROVIDER_NAME] ?? attributes[ATTR_GEN_AI_PROVIDER_NAME];
  return typeof operation === 'string' && LLM_OPERATIONS.has(operation) && provider !== undefined;
}

/** The kind the GenAI conventions' operation name gives (`invoke_agent`, `execute_tool`, a call's operation). */
export function genAiKind(attributes: Attributes): SpanKind {
  const operation = attributes[ATTR_GEN_AI_OPERATION_NAME];
  if (operation === GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT) return 'agent';
  if (operation === GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL) return 'tool';
  return isLlmCall(attributes) ? 'call' : 'other';
}

/** `gen_ai.system` and OpenInference provider values → `gen_ai.provider.name`. */
const PROVIDERS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  'gcp.gemini': 'gcp.gemini',
  vertex_ai: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  'gcp.vertex_ai': 'gcp.vertex_ai',
  'aws.bedrock': 'aws.bedrock',
  aws: 'aws.bedrock',
  azure: 'azure.ai.openai',
  'az.ai.openai': 'azure.ai.openai',
  'azure.ai.openai': 'azure.ai.openai',
};

/** Another convention's provider name in `gen_ai.provider.name`'s values (unknown names pass through). */
export function providerName(name: string): string {
  return PROVIDERS[name.toLowerCase()] ?? name;
}

/** The operation, provider and model a span must have to be priced, where it lacks them. */
export function describing(attributes: Attributes, provider: string | undefined, model: string | undefined): Attributes {
  const added: Attributes = {};
  if (attributes[ATTR_GEN_AI_OPERATION_NAME] === undefined) added[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  if (attributes[ATTR_GEN_AI_PROVIDER_NAME] === undefined && provider) added[ATTR_GEN_AI_PROVIDER_NAME] = provider;
  if (attributes[ATTR_GEN_AI_REQUEST_MODEL] === undefined && model) added[ATTR_GEN_AI_REQUEST_MODEL] = model;
  return added;
}
