// One row of a deployable's configuration table: where the setting comes from (a variable or a flag), its type,
// default and meaning, and how a raw value is checked. The tables (setup/settings.ts for tokenledger in process,
// collector/settings.ts for `tokenledger collect`, cli/*/…-settings.ts for the cost lab's commands) are the one place
// each setting is described: parsing, `--help` and the docs' tables come from them. A default is a typed value
// (what the code uses when the setting is not given); `shownDefault` writes it as the docs show it.

export interface Setting<T> {
  /** The environment variable or `--flag` it is read from. */
  name: string;
  /** The type as documented: `boolean`, `number`, `a | b`, `path`, `URL`, … */
  type: string;
  /** The value used when the setting is not given; undefined when there is none. */
  default: T | undefined;
  /** What it does, as one table cell (Markdown). */
  meaning: string;
  /** The raw value checked and converted; throws an Error naming the setting and the value when it is invalid. */
  parse(raw: string): T;
  /** A value as the docs write it (Markdown). */
  show(value: T): string;
}

/** A setting the OpenTelemetry SDK (or another package) reads itself: documented beside ours, parsed by it. */
export interface PassedSetting {
  name: string;
  type: string;
  /** The default as the docs show it (Markdown); absent when there is none. */
  default?: string;
  meaning: string;
}

/** A row of a settings table, ours or passed on. */
export type DocumentedSetting = Setting<unknown> | PassedSetting;

/** The default as the docs and `--help` show it; undefined when there is none. */
export function shownDefault(setting: DocumentedSetting): string | undefined {
  if (!('parse' in setting)) return setting.default;
  return setting.default === undefined ? undefined : setting.show(setting.default);
}

export function booleanSetting(name: string, fallback: boolean, meaning: string): Setting<boolean> {
  return {
    name,
    type: 'boolean',
    default: fallback,
    meaning,
    show: String,
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
    default: fallback,
    meaning,
    show: (value) => `\`${value}\``,
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if ((choices as readonly string[]).includes(value)) return value as C;
      throw new Error(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
    },
  };
}

export function stringSetting(name: string, type: string, meaning: string, fallback?: string): Setting<string> {
  return {
    name,
    type,
    default: fallback,
    meaning,
    show: (value) => value,
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
    default: undefined,
    meaning,
    show: (mapping) =>
      Object.entries(mapping)
        .map(([url, value]) => `${url}=${value}`)
        .join(','),
    parse(raw) {
      const mapping: Record<string, string> = {};
      for (const entry of raw
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
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
    default: undefined,
    meaning,
    show: (items) => items.join(','),
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
    default: fallback,
    meaning,
    show: String,
    parse(raw) {
      const value = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
        throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
      }
      return value;
    },
  };
}

/** A number from 0 up (a tolerance, a share). */
export function fractionSetting(name: string, fallback: number, meaning: string): Setting<number> {
  return {
    name,
    type: 'number ≥ 0',
    default: fallback,
    meaning,
    show: String,
    parse(raw) {
      const value = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got "${raw}"`);
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
export function settingsTable(rows: ReadonlyArray<DocumentedSetting>, firstColumn: string): string {
  const lines = [`| ${firstColumn} | type | default | meaning |`, '|---|---|---|---|'];
  for (const row of rows) {
    const fallback = shownDefault(row);
    lines.push(`| \`${row.name}\` | ${row.type} | ${fallback === undefined ? '—' : wrap(fallback)} | ${row.meaning} |`);
  }
  return lines.join('\n');
}

function wrap(value: string): string {
  return value.startsWith('`') ? value : `\`${value}\``;
}
