// One row of a deployable's configuration table: where the setting comes from (a variable or a flag), its type,
// default and meaning, and how a raw value is checked. The tables (setup/settings.ts, collector/settings.ts) are
// the one place each setting is described: the option parsing, the CLI's help and the docs' tables come from them.

export interface Setting<T> {
  /** The environment variable or `--flag` it is read from. */
  name: string;
  /** The type as documented: `boolean`, `number`, `a | b`, `path`, `URL`, … */
  type: string;
  /** The default as documented (`—` for none). */
  default: string;
  /** What it does, as one table cell (Markdown). */
  meaning: string;
  /** The raw value checked and converted; throws an Error naming the setting and the value when it is invalid. */
  parse(raw: string): T;
}

/** A setting the OpenTelemetry SDK (or another package) reads itself: documented beside ours, parsed by it. */
export type PassedSetting = Omit<Setting<never>, 'parse'>;

export function booleanSetting(name: string, fallback: boolean, meaning: string): Setting<boolean> {
  return {
    name,
    type: 'boolean',
    default: String(fallback),
    meaning,
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      throw new Error(`${name} must be true or false, got "${raw}"`);
    },
  };
}

export function choiceSetting<C extends string>(name: string, choices: readonly C[], fallback: C | undefined, meaning: string): Setting<C> {
  return {
    name,
    type: choices.map((choice) => `\`${choice}\``).join(' \\| '),
    default: fallback === undefined ? '—' : `\`${fallback}\``,
    meaning,
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if ((choices as readonly string[]).includes(value)) return value as C;
      throw new Error(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
    },
  };
}

export function stringSetting(name: string, type: string, meaning: string): Setting<string> {
  return {
    name,
    type,
    default: '—',
    meaning,
    parse(raw) {
      const value = raw.trim();
      if (!value) throw new Error(`${name} must not be empty`);
      return value;
    },
  };
}

/** Comma-separated `key=value` pairs, each key a URL (split at the last `=`, since a URL may hold one). */
export function urlMappingSetting(name: string, type: string, meaning: string): Setting<Record<string, string>> {
  return {
    name,
    type,
    default: '—',
    meaning,
    parse(raw) {
      const mapping: Record<string, string> = {};
      for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
        const at = entry.lastIndexOf('=');
        const url = entry.slice(0, at).trim();
        const value = entry.slice(at + 1).trim();
        if (at <= 0 || !value || !URL.canParse(url)) throw new Error(`${name} must be URL=name pairs separated by commas, got "${entry}"`);
        mapping[url] = value;
      }
      return mapping;
    },
  };
}

/** Comma-separated names, each non-empty, none twice (`choices`: each one of them). */
export function listSetting<C extends string = string>(name: string, type: string, meaning: string, choices?: readonly C[]): Setting<C[]> {
  return {
    name,
    type,
    default: '—',
    meaning,
    parse(raw) {
      const items = raw.split(',').map((item) => item.trim());
      if (items.some((item) => item === '')) throw new Error(`${name} must be comma-separated names, got "${raw}"`);
      const duplicate = items.find((item, index) => items.indexOf(item) !== index);
      if (duplicate !== undefined) throw new Error(`${name} names ${duplicate} twice`);
      const unknown = choices ? items.find((item) => !(choices as readonly string[]).includes(item)) : undefined;
      if (unknown !== undefined) throw new Error(`${name} must list some of ${choices!.join(', ')}, got "${unknown}"`);
      return items as C[];
    },
  };
}

/** A positive number (`integer`: a positive integer). */
export function positiveSetting(name: string, integer: boolean, fallback: number | undefined, meaning: string): Setting<number> {
  return {
    name,
    type: integer ? 'positive integer' : 'positive number',
    default: fallback === undefined ? '—' : String(fallback),
    meaning,
    parse(raw) {
      const value = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
        throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
      }
      return value;
    },
  };
}

/** The value of `setting` in `source` (undefined or empty: undefined); throws when it is invalid. */
export function readSetting<T>(setting: Setting<T>, source: Record<string, string | undefined>): T | undefined {
  const raw = source[setting.name];
  return raw === undefined || raw.trim() === '' ? undefined : setting.parse(raw);
}

/** The rows as a Markdown table, for the docs (test/settings.test.ts keeps them in step). */
export function settingsTable(rows: ReadonlyArray<PassedSetting>, firstColumn: string): string {
  const lines = [`| ${firstColumn} | type | default | meaning |`, '|---|---|---|---|'];
  for (const row of rows) lines.push(`| \`${row.name}\` | ${row.type} | ${row.default === '—' ? '—' : wrap(row.default)} | ${row.meaning} |`);
  return lines.join('\n');
}

function wrap(value: string): string {
  return value.startsWith('`') ? value : `\`${value}\``;
}
