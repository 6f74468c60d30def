// `tokenledger whatif`: what the levers need to know of the whole recording (PrefixSurvey), then every call priced as
// it was and under each lever (Repricing) — the traces kept from that one read, or from a second read of a recording
// too large to keep (kept-traces.ts) — and the levers ranked by saving.
import { commandHelp, parseCommandLine, UsageError, type CommandIo } from '../../config/command-line.ts';
import { replayOptions } from '../recording/reading-settings.ts';
import { readRecordings } from '../recording/read-recordings.ts';
import type { ReplayOptions, ReplayStats } from '../recording/replay.ts';
import { KeptTraces } from './kept-traces.ts';
import { chooseLevers, type LeverChoice } from './lever-choice.ts';
import { PrefixSurvey } from './prefix-survey.ts';
import { Repricing, type RepricedTrace } from './repricing.ts';
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
  const kept = new KeptTraces(options.maxSpans);
  const stats = await readRecordings(files, options, [survey, kept]);
  const result = await repriceRecordings(files, options, survey, values, { stats, traces: kept.traces });
  io.out(values.json ? `${JSON.stringify(whatifJson(result), null, 2)}\n` : whatifText(result, values.runs ?? 10));
  return 0;
}

/**
 * Every call under each lever chosen: the traces kept from the first read, else read again. A `--model` no price data
 * knows is a UsageError.
 */
export async function repriceRecordings(
  files: readonly string[],
  options: ReplayOptions,
  survey: PrefixSurvey,
  choice: LeverChoice,
  firstRead: { stats: ReplayStats; traces: readonly RepricedTrace[] | undefined },
): Promise<WhatIf> {
  const { levers, notes } = chooseLevers(choice, survey);
  const repricing = new Repricing(options.pricer, levers);
  let stats = firstRead.stats;
  if (firstRead.traces) for (const trace of firstRead.traces) repricing.reprice(trace);
  else stats = await readRecordings(files, options, [repricing]);
  const model = repricing.levers.find((totals) => totals.lever.id === 'model');
  if (model && repricing.pricedCalls > 0 && model.callsUnpricedAfter === repricing.pricedCalls) {
    throw new UsageError(
      `--model ${choice.model}: no price data knows this model for the recorded calls' providers (name another provider's model as provider/model, e.g. openai/gpt-5.5; or add it with --prices)`,
    );
  }
  return { repricing, stats, levers: rankLevers(repricing), notes };
}
