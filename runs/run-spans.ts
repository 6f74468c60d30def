// How a run span's own attributes shape its outcome, read the same way in process and in collector mode (which
// spans start runs is the span ledger's to say: span-ledger/span-start.ts).
import type { Attributes } from '@opentelemetry/api';
import { ATTR_TOKENLEDGER_RUN_IDEAL_STEPS, ATTR_TOKENLEDGER_RUN_SUCCESS } from '../conventions/attributes.ts';
import type { RunOutcome } from './run-summary.ts';

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
