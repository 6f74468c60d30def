// Which levers a whatif (or a report) evaluates: the ones asked for, each alone and all together; or, when none is
// asked for, every lever that needs no argument.
import type { PrefixSurvey } from './prefix-survey.ts';
import { batchLever, cachePrefixLever, cacheTtlLever, combinedLever, modelLever, outputCapLever, type Lever } from './levers.ts';
import type { CacheTtl } from './scenario.ts';

export interface LeverChoice {
  model?: string;
  cachePrefix?: boolean;
  batch?: boolean;
  cacheTtl?: CacheTtl;
  maxOutputTokens?: number;
}

/** The output percentile the default output cap is set at. */
export const DEFAULT_CAP_PERCENTILE = 0.9;

export function chooseLevers(choice: LeverChoice, survey: PrefixSurvey): { levers: Lever[]; notes: string[] } {
  const notes: string[] = [];
  const asked = choice.model !== undefined || choice.cachePrefix || choice.batch || choice.cacheTtl !== undefined || choice.maxOutputTokens !== undefined;
  if (!asked) {
    const levers = [cachePrefixLever(survey, '5m'), batchLever(), cacheTtlLever(survey.recordedTtl === '5m' ? '1h' : '5m')];
    const cap = survey.outputPercentile(DEFAULT_CAP_PERCENTILE);
    if (cap !== undefined && cap > 0) levers.push(outputCapLever(cap, 'the 90th percentile of recorded output'));
    notes.push('--model NAME prices the same tokens as another model; --max-output-tokens N sets another cap');
    return { levers, notes };
  }
  const levers: Lever[] = [];
  if (choice.model !== undefined) levers.push(modelLever(choice.model));
  if (choice.cacheTtl !== undefined) levers.push(cacheTtlLever(choice.cacheTtl));
  if (choice.cachePrefix) levers.push(cachePrefixLever(survey, choice.cacheTtl ?? '5m'));
  if (choice.maxOutputTokens !== undefined) levers.push(outputCapLever(choice.maxOutputTokens, undefined));
  if (choice.batch) levers.push(batchLever());
  if (levers.length > 1) levers.push(combinedLever([...levers]));
  return { levers, notes };
}
