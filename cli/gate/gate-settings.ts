// `tokenledger gate`: its flags (the one table: parsing, --help and docs/cost-lab.md come from it).
import { pathListSetting, type CommandSpec } from '../../config/command-line.ts';
import { booleanSetting, fractionSetting, positiveSetting, stringSetting } from '../../config/setting.ts';
import { READING_FLAGS } from '../recording/reading-settings.ts';

/** Fewer tasks than this get a warning: a cost per task from so few is noisy. */
export const SMALL_SAMPLE_TASKS = 30;

export const GATE_FLAGS = {
  maxUsdPerTask: positiveSetting('--max-usd-per-task', false, undefined, 'the budget: fail when $ per successful task is above it'),
  baseline: pathListSetting('--baseline', 'recordings of the baseline (say, the last release): fail when this one is worse by more than the tolerance'),
  tolerance: fractionSetting(
    '--tolerance',
    0.2,
    'how much worse than the baseline is allowed: $ per successful task and steps per task may be this much higher, the cache hit rate this much lower (0.2 = 20%)',
  ),
  minTasks: positiveSetting('--min-tasks', true, 1, 'fail when the recording has fewer tasks'),
  agent: stringSetting('--agent', 'name', "judge only this agent's tasks (`gen_ai.agent.name`)"),
  json: booleanSetting('--json', false, 'print the verdict as JSON instead of Markdown'),
  allowSampled: booleanSetting(
    '--allow-sampled',
    false,
    'judge a sampled recording (a sampler below 100% was in force, or spans were left out); without it such a recording exits 2, since its figures describe a sample, not every task',
  ),
  ...READING_FLAGS,
};

export const GATE_COMMAND: CommandSpec<typeof GATE_FLAGS> = {
  name: 'gate',
  usage: 'tokenledger gate <files…> [--max-usd-per-task X] [--baseline <files…>] [--tolerance 0.2] [--min-tasks N] [--json]',
  summary:
    'Treats cost like a failing test: compares $ per successful task (and steps per task, cache hit rate) of the recorded tasks with a budget and/or a baseline recording, prints a Markdown summary (also appended to `$GITHUB_STEP_SUMMARY` when set) and exits 1 when it fails.',
  flags: GATE_FLAGS,
  variables: [{ name: 'GITHUB_STEP_SUMMARY', type: 'path', meaning: 'when set (GitHub Actions sets it), the Markdown summary is appended to this file' }],
  epilogue: [
    'Exit codes: 0 pass; 1 fail (over budget, worse than the baseline, too few tasks, or a figure unknown: unpriced calls, runs that could not be rolled up); 2 a usage error, unreadable input, or a sampled recording without `--allow-sampled`.',
    `Fewer than ${SMALL_SAMPLE_TASKS} tasks pass or fail as the figures say, with a warning that the sample is small.`,
  ],
};
