// The one argument parser of every `tokenledger` command (collect and the cost lab's): a command's flags come from a
// table of settings (config/setting.ts), so parsing, `--help` and the docs' tables come from one place. A flag
// takes `--flag value` or `--flag=value`; a boolean flag takes no value; a list flag takes the values that follow it
// up to the next flag. What is not a flag is a file. A command line that cannot be understood is a UsageError: the
// command prints it with its usage and exits 2.
import type { PassedSetting, Setting } from './setting.ts';
import { shownDefault } from './setting.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Where a command writes and what environment it reads (the process's, or a test's). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** A flag's row: a Setting, and whether it takes the values after it up to the next flag. */
export type FlagSetting<T> = Setting<T> & { list?: boolean };

export type FlagTable = Record<string, FlagSetting<unknown>>;

/** Each flag's value: given, else its default; absent when neither. */
export type FlagValues<F extends FlagTable> = { [K in keyof F]?: F[K] extends FlagSetting<infer T> ? T : never };

export interface CommandSpec<F extends FlagTable> {
  name: string;
  /** `tokenledger report <files…> [flags]` */
  usage: string;
  /** One paragraph: what it does. */
  summary: string;
  flags: F;
  /** Variables it reads, documented beside its flags. */
  variables?: readonly PassedSetting[];
  /** Lines after the table (exit codes, …). */
  epilogue?: readonly string[];
}

export interface CommandLine<F extends FlagTable> {
  files: string[];
  values: FlagValues<F>;
  help: boolean;
}

/** A list of paths: the values after the flag, up to the next flag. */
export function pathListSetting(name: string, meaning: string): FlagSetting<string[]> {
  return {
    name,
    type: 'path …',
    default: undefined,
    meaning,
    list: true,
    show: (paths) => paths.join(' '),
    parse(raw) {
      const paths = raw.split('\n').filter((path) => path.trim() !== '');
      if (paths.length === 0) throw new Error(`${name} needs at least one file`);
      return paths;
    },
  };
}

export function parseCommandLine<F extends FlagTable>(spec: CommandSpec<F>, argv: readonly string[]): CommandLine<F> {
  const byName = new Map<string, [keyof F, FlagSetting<unknown>]>();
  for (const [key, setting] of Object.entries(spec.flags)) byName.set(setting.name, [key, setting]);
  const files: string[] = [];
  const raw = new Map<keyof F, string>();
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') files.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg : arg.slice(0, equals);
    const found = byName.get(name);
    if (!found) throw new UsageError(`unknown flag ${name} (see tokenledger ${spec.name} --help)`);
    const [key, setting] = found;
    if (raw.has(key)) throw new UsageError(`${name} is given twice`);
    if (setting.type === 'boolean') {
      raw.set(key, equals < 0 ? 'true' : arg.slice(equals + 1));
    } else if (setting.list) {
      const values = equals < 0 ? [] : [arg.slice(equals + 1)];
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) values.push(argv[(i += 1)]!);
      raw.set(key, values.join('\n'));
    } else if (equals >= 0) {
      raw.set(key, arg.slice(equals + 1));
    } else {
      if (i + 1 >= argv.length || (argv[i + 1]!.startsWith('--') && argv[i + 1] !== '--')) throw new UsageError(`${name} needs a value (${setting.type})`);
      raw.set(key, argv[(i += 1)]!);
    }
  }
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(spec.flags)) {
    const given = raw.get(key);
    if (given === undefined) {
      if (setting.default !== undefined) values[key] = setting.default;
      continue;
    }
    try {
      values[key] = setting.parse(given);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return { files, values: values as FlagValues<F>, help };
}

/** `--help`: the usage line, what the command does, and its table as plain text. */
export function commandHelp(spec: CommandSpec<FlagTable>): string {
  const plain = (text: string) =>
    text
      .replace(/`/g, '')
      .replace(/\\\|/g, '|')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
  const lines = [`usage: ${spec.usage}`, '', plain(spec.summary), ''];
  for (const setting of commandSettings(spec)) {
    const fallback = shownDefault(setting);
    lines.push(`  ${setting.name} ${plain(setting.type)}${fallback === undefined ? '' : ` (default ${plain(fallback)})`}`, `      ${plain(setting.meaning)}`);
  }
  if (spec.epilogue) lines.push('', ...spec.epilogue.map(plain));
  return lines.join('\n');
}

/** Every row of a command's table, for the docs' tables and `--help`. */
export function commandSettings(spec: CommandSpec<FlagTable>): Array<FlagSetting<unknown> | PassedSetting> {
  return [...Object.values(spec.flags), ...(spec.variables ?? [])];
}
