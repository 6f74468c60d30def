// `tokenledger report`: its flags (the one table: parsing, --help and docs/cost-lab.md come from it).
import type { CommandSpec } from '../../config/command-line.ts';
import { positiveSetting, stringSetting } from '../../config/setting.ts';
import { READING_FLAGS } from '../recording/reading-settings.ts';
import { BILL_FLAGS } from '../reconcile/reconcile-settings.ts';
import { LEVER_FLAGS } from '../whatif/whatif-settings.ts';

export const REPORT_FLAGS = {
  out: stringSetting('--out', 'path', 'where the HTML file is written', 'tokenledger-report.html'),
  title: stringSetting('--title', 'text', "the page's title (default: the files read)"),
  maxUsdPerTask: positiveSetting('--max-usd-per-task', false, undefined, 'the target for $ per successful task (the other KPIs have reference targets)'),
  runs: positiveSetting('--runs', true, 12, 'tasks shown step by step: the costliest this many, and up to this many failed ones'),
  ...LEVER_FLAGS,
  ...BILL_FLAGS,
  ...READING_FLAGS,
};

export const REPORT_COMMAND: CommandSpec<typeof REPORT_FLAGS> = {
  name: 'report',
  usage: 'tokenledger report <files…> [--out report.html] [--max-usd-per-task X] [lever flags as whatif] [bill files as reconcile]',
  summary:
    'Writes one self-contained HTML file (no network access, no script): per agent the four KPIs against their targets and the cost by token type; per task a step waterfall of token types with the tool-result share, the context-growth line, cache busts, retries, failed and unpriced calls; and the whatif lever table (the lever flags choose the levers, as for whatif); with the bill files (as for reconcile), how the recording compares with the bill, every difference explained.',
  flags: REPORT_FLAGS,
};
