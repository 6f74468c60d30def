// Writes the settings tables of the docs from the settings tables in the code (setup/settings.ts for tokenledger in
// process, collector/settings.ts for `tokenledger collect`, and each cost-lab command's), between the
// `<!-- settings: … -->` markers of any page in docs/. `npm run docs` writes them; test/settings.test.ts fails when a
// page is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandSettings } from '../config/command-line.ts';
import { GATE_COMMAND } from '../cli/gate/gate-settings.ts';
import { REPORT_COMMAND } from '../cli/report/report-settings.ts';
import { WHATIF_COMMAND } from '../cli/whatif/whatif-settings.ts';
import { COLLECTOR_SETTINGS } from '../collector/settings.ts';
import { settingsTable } from '../config/setting.ts';
import { IN_PROCESS_SETTINGS } from '../setup/settings.ts';

export const DOCS_DIR = fileURLToPath(new URL('../docs/', import.meta.url));

const TABLES: Record<string, () => string> = {
  'in-process': () => settingsTable(IN_PROCESS_SETTINGS, 'variable'),
  collector: () => settingsTable(COLLECTOR_SETTINGS, 'flag or variable'),
  report: () => settingsTable(commandSettings(REPORT_COMMAND), 'flag'),
  whatif: () => settingsTable(commandSettings(WHATIF_COMMAND), 'flag'),
  gate: () => settingsTable(commandSettings(GATE_COMMAND), 'flag or variable'),
};

const MARKED_TABLE = /<!-- settings: ([a-z-]+) -->\n(?:(?!<!-- )[^\n]*\n)*<!-- \/settings -->/g;

/** The pages of docs/ that hold a marked settings table. */
export function pagesWithSettings(): string[] {
  return readdirSync(DOCS_DIR)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(DOCS_DIR, name))
    .filter((path) => readFileSync(path, 'utf8').includes('<!-- settings: '));
}

/** The page with every marked table rendered anew. */
export function renderSettings(page: string): string {
  return page.replace(MARKED_TABLE, (_match, name: string) => {
    const table = TABLES[name];
    if (!table) throw new Error(`docs: no settings table named ${name}`);
    return `<!-- settings: ${name} -->\n${table()}\n<!-- /settings -->`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const path of pagesWithSettings()) {
    writeFileSync(path, renderSettings(readFileSync(path, 'utf8')));
    console.log(`wrote the settings tables of ${path}`);
  }
}
