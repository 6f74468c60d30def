// `tokenledger export --focus OUT.csv`: the recordings read once into FOCUS rows, written as CSV.
import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { commandHelp, parseCommandLine, UsageError } from '../../config/command-line.ts';
import { plural } from '../format.ts';
import type { CommandIo } from '../../config/command-line.ts';
import { readRecordings } from '../recording/read-recordings.ts';
import { replayOptions } from '../recording/reading-settings.ts';
import { EXPORT_COMMAND } from './export-settings.ts';
import { FOCUS_COLUMNS, FocusRows } from './focus-rows.ts';

export async function exportCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { files, values, help } = parseCommandLine(EXPORT_COMMAND, argv);
  if (help) {
    io.out(`${commandHelp(EXPORT_COMMAND)}\n`);
    return 0;
  }
  if (!values.focus) throw new UsageError('nothing to export: give --focus OUT.csv');
  const rows = new FocusRows();
  const stats = await readRecordings(files, replayOptions(values), [rows]);
  const written = rows.rows();
  const csv = stringify(written, { header: true, columns: [...FOCUS_COLUMNS] });
  try {
    writeFileSync(values.focus, csv);
  } catch (error) {
    throw new UsageError(`--focus ${values.focus}: cannot write it (${(error as Error).message})`);
  }
  const unknown = rows.unknownUsageCalls > 0 ? `; ${plural(rows.unknownUsageCalls, 'call')} without usage left out` : '';
  io.out(`tokenledger export: ${plural(written.length, 'FOCUS row')} from ${plural(stats.calls, 'LLM call')} → ${values.focus}${unknown}\n`);
  return 0;
}
