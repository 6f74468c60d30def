// `tokenledger gate`: reads the recording (and the baseline's), judges its tasks, prints the verdict and returns the
// exit code: 0 pass, 1 fail, 2 a usage error or unreadable input (the caller prints those).
import { appendFileSync } from 'node:fs';
import { commandHelp, parseCommandLine, UsageError, type CommandIo } from '../../config/command-line.ts';
import { replayOptions } from '../recording/reading-settings.ts';
import { readRecordings } from '../recording/read-recordings.ts';
import { RecordingTotals } from '../recording/recording-totals.ts';
import { RecordingFacts } from '../recording/recording-facts.ts';
import type { ReplayOptions, ReplayStats } from '../recording/replay.ts';
import { gateJson, gateMarkdown } from './gate-summary.ts';
import { GATE_COMMAND } from './gate-settings.ts';
import { gateFigures, judge, type GateFigures } from './verdict.ts';

export async function gate(argv: readonly string[], io: CommandIo): Promise<number> {
  const { files, values, help } = parseCommandLine(GATE_COMMAND, argv);
  if (help) {
    io.out(`${commandHelp(GATE_COMMAND)}\n`);
    return 0;
  }
  if (values.maxUsdPerTask === undefined && values.baseline === undefined) {
    throw new UsageError('nothing to gate on: give --max-usd-per-task and/or --baseline');
  }
  const options = replayOptions(values);
  const candidate = await figuresOf(files, options, values.agent);
  const base = values.baseline ? await figuresOf(values.baseline, options, values.agent) : undefined;
  // A sampled recording's tasks are a sample: its $ per task may hold, its spend and task counts do not.
  for (const [read, which] of [
    [candidate, 'the recording'],
    [base, 'the baseline'],
  ] as const) {
    if (read?.facts.sampled === 'yes' && !values.allowSampled) {
      io.err(
        `tokenledger gate: ${which} is sampled, so its figures describe a sample of the tasks, not all of them: ${read.facts.summary(read.stats)}.\nRecord without a sampler (OTEL_TRACES_SAMPLER=always_on), or give --allow-sampled to judge it anyway.\n`,
      );
      return 2;
    }
  }
  const figures = candidate.figures;
  const baseline = base?.figures;
  const criteria = { maxUsdPerTask: values.maxUsdPerTask, baseline, tolerance: values.tolerance ?? 0.2, minTasks: values.minTasks ?? 1 };
  const verdict = judge(figures, criteria);
  const recording = candidate.facts.summary(candidate.stats);
  const markdown = gateMarkdown(figures, criteria, verdict, values.agent, recording);
  io.out(values.json ? `${JSON.stringify(gateJson(figures, criteria, verdict, recordingJson(candidate)), null, 2)}\n` : markdown);
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      appendFileSync(summaryFile, `${markdown}\n`);
    } catch (error) {
      throw new UsageError(`GITHUB_STEP_SUMMARY: cannot append to ${summaryFile} (${(error as Error).message})`);
    }
  }
  return verdict.verdict === 'pass' ? 0 : 1;
}

interface ReadRecording {
  figures: GateFigures;
  facts: RecordingFacts;
  stats: ReplayStats;
}

async function figuresOf(files: readonly string[], options: ReplayOptions, agent: string | undefined): Promise<ReadRecording> {
  const totals = new RecordingTotals(agent);
  const facts = new RecordingFacts();
  const stats = await readRecordings(files, options, [totals, facts]);
  return { figures: gateFigures(totals, stats), facts, stats };
}

function recordingJson({ facts, stats }: ReadRecording): Record<string, unknown> {
  return {
    files: stats.files,
    spans: stats.spans,
    calls: stats.calls,
    sampled: facts.sampled,
    samplers: facts.samplers,
    unsampled_calls: facts.unsampledCalls,
  };
}
