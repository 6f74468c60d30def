// Writes the README's configuration tables from the settings tables (setup/settings.ts for tokenledger in process,
// collector/settings.ts for `tokenledger collect`, and each cost-lab command's), between the `<!-- settings: … -->` markers.
// `npm run docs` writes them; test/settings.test.ts fails when the README is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandSettings } from '../config/command-line.ts';
import { GATE_COMMAND } from '../cli/gate/gate-settings.ts';
import { REPORT_COMMAND } from '../cli/report/report-settings.ts';
import { WHATIF_COMMAND } from '../cli/whatif/whatif-settings.ts';
import { COLLECTOR_SETTINGS } from '../collector/settings.ts';
import { settingsTable } from '../config/setting.ts';
import { IN_PROCESS_SETTINGS } from '../setup/settings.ts';

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));

const TABLES: Record<string, () => string> = {
  'in-process': () => settingsTable(IN_PROCESS_SETTINGS, 'variable'),
  collector: () => settingsTable(COLLECTOR_SETTINGS, 'flag or variable'),
  report: () => settingsTable(commandSettings(REPORT_COMMAND), 'flag'),
  whatif: () => settingsTable(commandSettings(WHATIF_COMMAND), 'flag'),
  gate: () => settingsTable(commandSettings(GATE_COMMAND), 'flag or variable'),
};

/** The README with every marked table rendered anew. */
export function renderReadme(readme: string): string {
  return readme.replace(/<!-- settings: ([a-z-]+) -->\n(?:(?!<!-- )[^\n]*\n)*<!-- \/settings -->/g, (_match, name: string) => {
    const table = TABLES[name];
    if (!table) throw new Error(`README: no settings table named ${name}`);
    return `<!-- settings: ${name} -->\n${table()}\n<!-- /settings -->`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README_PATH, renderReadme(readFileSync(README_PATH, 'utf8')));
  console.log(`wrote the settings tables of ${README_PATH}`);
}
