// `tokenledger report`: one read of the recordings — the totals, the runs to show and what the levers need — then
// every call under each lever (from the traces that read kept, or a second read of a recording too large to keep),
// and one HTML file written.
import { writeFileSync } from 'node:fs';
import { commandHelp, parseCommandLine, UsageError, type CommandIo } from '../../config/command-line.ts';
import { dollars, plural } from '../format.ts';
import { replayOptions } from '../recording/reading-settings.ts';
import { readRecordings } from '../recording/read-recordings.ts';
import { RecordingFacts } from '../recording/recording-facts.ts';
import type { ReplayStats } from '../recording/replay.ts';
import { billFiles, reconcileRecordings } from '../reconcile/reconcile-command.ts';
import type { Reconciliation } from '../reconcile/reconciliation.ts';
import { RecordingTotals } from '../recording/recording-totals.ts';
import { KeptTraces } from '../whatif/kept-traces.ts';
import { PrefixSurvey } from '../whatif/prefix-survey.ts';
import { repriceRecordings } from '../whatif/whatif-command.ts';
import { reportPage } from './report-page.ts';
import { ReportRuns } from './report-runs.ts';
import { REPORT_COMMAND } from './report-settings.ts';

export async function report(argv: readonly string[], io: CommandIo): Promise<number> {
  const { files, values, help } = parseCommandLine(REPORT_COMMAND, argv);
  if (help) {
    io.out(`${commandHelp(REPORT_COMMAND)}\n`);
    return 0;
  }
  const options = replayOptions(values);
  const totals = new RecordingTotals();
  const runsLimit = values.runs ?? 12;
  const runs = new ReportRuns(runsLimit);
  const survey = new PrefixSurvey();
  const kept = new KeptTraces(options.maxSpans);
  const bill = billFiles(values);
  let facts = new RecordingFacts();
  let stats: ReplayStats;
  let reconciliation: Reconciliation | undefined;
  if (Object.values(bill).some((list) => list.length > 0)) {
    // With a bill, the one read of the recordings also feeds the reconciliation.
    const reconciled = await reconcileRecordings(files, values, bill, [totals, runs, survey, kept]);
    ({ facts, stats, reconciliation } = reconciled);
  } else stats = await readRecordings(files, options, [totals, runs, survey, facts, kept]);
  const levers = await repriceRecordings(files, options, survey, values, { stats, traces: kept.traces });
  const out = values.out ?? 'tokenledger-report.html';
  const html = reportPage({
    title: values.title ?? `tokenledger report: ${files.join(', ')}`,
    files,
    stats,
    totals,
    facts,
    reconciliation,
    runs: runs.runs,
    levers,
    maxUsdPerTask: values.maxUsdPerTask,
    runsLimit,
  });
  try {
    writeFileSync(out, html);
  } catch (error) {
    throw new UsageError(`--out ${out}: cannot write the report (${(error as Error).message})`);
  }
  io.out(
    `tokenledger report: ${plural(totals.tasks.runs, 'task')}, ${dollars(totals.tasks.cost.total)} in tasks, ${plural(stats.calls, 'LLM call')} → ${out}\n`,
  );
  return 0;
}
