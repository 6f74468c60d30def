// What a span says about runs, read the same way in process and in collector mode: whether it starts one, and
// how a run span's own attributes shape its outcome.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
} from '../conventions/attributes.ts';
import { aiSdkOperation, isAiSdkRun } from '../ledger/ai-sdk-spans.ts';
import { stringAttribute } from '../ledger/attribute-values.ts';
import { AI_FUNCTION_ID, OI_KIND } from '../ledger/foreign-names.ts';
import { LLM_OPERATIONS } from '../ledger/llm-spans.ts';
import type { RunStart } from './run-tree.ts';
import type { RunOutcome } from './run-summary.ts';

/**
 * The run a span starts, if it starts one: an `invoke_agent` span, an OpenInference AGENT span or the AI SDK's own
 * span of a whole generateText / streamText (`ai.generateText`, `ai.streamText`) always; a root span (local root in
 * process, trace root in collector mode) unless it is itself a single LLM call or tool.
 */
export function runStartedBy(attributes: Attributes, spanName: string, isRoot: boolean): RunStart | undefined {
  const operation = attributes[ATTR_GEN_AI_OPERATION_NAME];
  const agentName = attributes[ATTR_GEN_AI_AGENT_NAME];
  const name = stringAttribute(agentName) ?? spanName;
  if (operation === GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT || attributes[OI_KIND] === 'AGENT') return { name, explicit: true };
  const aiOperation = aiSdkOperation(attributes);
  if (aiOperation !== undefined && isAiSdkRun(aiOperation)) {
    return { name: stringAttribute(attributes[AI_FUNCTION_ID]) ?? aiOperation, explicit: true };
  }
  // No AI SDK span starts a run of its own past this point (its tool call included).
  if (isRoot && aiOperation === undefined && operation !== GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL && !(typeof operation === 'string' && LLM_OPERATIONS.has(operation))) {
    return { name, explicit: false };
  }
  return undefined;
}

/** A tool execution: an `execute_tool` span, or the AI SDK's own `ai.toolCall` span. */
export function isToolExecution(attributes: Attributes): boolean {
  return attributes[ATTR_GEN_AI_OPERATION_NAME] === GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL || aiSdkOperation(attributes) === AI_TOOL_CALL;
}

const AI_TOOL_CALL = 'ai.toolCall';

/** The ideal steps a run span declares (`tokenledger.run.ideal_steps`), when it is a positive number. */
export function declaredIdealSteps(attributes: Attributes): number | undefined {
  const declared = attributes[ATTR_TOKENLEDGER_RUN_IDEAL_STEPS];
  return typeof declared === 'number' && declared > 0 ? declared : undefined;
}

/**
 * A run's outcome: the success its span declares (`tokenledger.run.success`), else whether the span ended
 * without an error; ideal steps as declared, else as learned for its agent, else none.
 */
export function runOutcome(attributes: Attributes, failed: boolean, learnedIdealSteps?: number): RunOutcome {
  const declaredSuccess = attributes[ATTR_TOKENLEDGER_RUN_SUCCESS];
  const success = typeof declaredSuccess === 'boolean' ? declaredSuccess : !failed;
  const declared = declaredIdealSteps(attributes);
  if (declared !== undefined) return { success, idealSteps: declared, idealStepsSource: 'configured' };
  if (learnedIdealSteps !== undefined) return { success, idealSteps: learnedIdealSteps, idealStepsSource: 'learned' };
  return { success };
}
