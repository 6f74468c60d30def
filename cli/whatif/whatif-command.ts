// `tokenledger whatif`: two reads of the recordings — what the levers need to know of the whole (PrefixSurvey),
// then every call priced as it was and under each lever (Repricing) — and the levers ranked by saving.
import { commandHelp, parseCommandLine, UsageError, type CommandIo } from '../../config/command-line.ts';
import { replayOptions } from '../recording/reading-settings.ts';
import { readRecordings } from '../recording/read-recordings.ts';
import type { ReplayOptions } from '../recording/replay.ts';
import { chooseLevers, type LeverChoice } from './lever-choice.ts';
import { PrefixSurvey } from './prefix-survey.ts';
import { Repricing } from './repricing.ts';
import { rankLevers, whatifJson, whatifText, type WhatIf } from './whatif-output.ts';
import { WHATIF_COMMAND } from './whatif-settings.ts';

export async function whatif(argv: readonly string[], io: CommandIo): Promise<number> {
  const { files, values, help } = parseCommandLine(WHATIF_COMMAND, argv);
  if (help) {
    io.out(`${commandHelp(WHATIF_COMMAND)}\n`);
    return 0;
  }
  const options = replayOptions(values);
  const survey = new PrefixSurvey();
  await readRecordings(files, options, [survey]);
  const result = await repriceRecordings(files, options, survey, values);
  io.out(values.json ? `${JSON.stringify(whatifJson(result), null, 2)}\n` : whatifText(result, values.runs ?? 10));
  return 0;
}

/** The second read: every call under each lever chosen. A `--model` no price data knows is a UsageError. */
export async function repriceRecordings(files: readonly string[], options: ReplayOptions, survey: PrefixSurvey, choice: LeverChoice): Promise<WhatIf> {
  const { levers, notes } = chooseLevers(choice, survey);
  const repricing = new Repricing(options.pricer, levers);
  const stats = await readRecordings(files, options, [repricing]);
  const model = repricing.levers.find((totals) => totals.lever.id === 'model');
  if (model && repricing.pricedCalls > 0 && model.callsUnpricedAfter === repricing.pricedCalls) {
    throw new UsageError(
      `--model ${choice.model}: no price data knows this model for the recorded calls' providers (name another provider's model as provider/model, e.g. openai/gpt-5.5; or add it with --prices)`,
    );
  }
  return { repricing, stats, levers: rankLevers(repricing), notes };
}
