// The `tokenledger` command: `tokenledger <command> …`. Each command's module is loaded only when it is run.
//   collect   collector mode (collector/collect-command.ts)
//   report    a self-contained HTML report of recorded runs
//   whatif    recorded calls re-priced lever by lever
//   gate      a release gate on cost per successful task
//   reconcile recordings against the providers' usage and cost reports, every difference explained
//   export    recordings as a FOCUS 1.2 CSV
// Exit codes: what the command says (gate: 0 pass, 1 fail; reconcile: 0 within the tolerance, 1 not); 2 for a usage
// error or input that cannot be read, with a message naming the file and line (or the bill file and what is wrong).
import { UsageError, type CommandIo } from '../config/command-line.ts';
import { RecordingError } from './recording/recording-error.ts';

const COMMANDS: Record<string, { summary: string; run(argv: readonly string[], io: CommandIo): Promise<number> }> = {
  collect: {
    summary: 'an OTLP/HTTP receiver that prices LLM spans and rolls up runs from any language, then forwards them',
    run: async (argv, io) => (await import('../collector/collect-command.ts')).collect(argv, io),
  },
  report: {
    summary: 'recorded runs as one self-contained HTML page: KPIs per agent, each run step by step, the levers',
    run: async (argv, io) => (await import('./report/report-command.ts')).report(argv, io),
  },
  whatif: {
    summary: 'recorded calls re-priced under each lever (another model, prefix caching, batch, cache TTL, an output cap)',
    run: async (argv, io) => (await import('./whatif/whatif-command.ts')).whatif(argv, io),
  },
  gate: {
    summary: 'fail a release when $ per successful task is over budget or worse than a baseline',
    run: async (argv, io) => (await import('./gate/gate-command.ts')).gate(argv, io),
  },
  reconcile: {
    summary: "recordings beside the providers' usage and cost reports: every difference explained, with reason codes and amounts",
    run: async (argv, io) => (await import('./reconcile/reconcile-command.ts')).reconcileCommand(argv, io),
  },
  export: {
    summary: 'recordings as FOCUS 1.2 cost and usage rows (--focus OUT.csv), to load beside the cloud bills',
    run: async (argv, io) => (await import('./export/export-command.ts')).exportCommand(argv, io),
  },
};

export function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = ['usage: tokenledger <command> [arguments]', '', 'commands:'];
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(width)}  ${command.summary}`);
  lines.push('', 'tokenledger <command> --help describes a command.');
  return lines.join('\n');
}

/** Runs a command; resolves to its exit code (`collect`'s once it has stopped). */
export async function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(`${generalHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`tokenledger: unknown command "${name}"\n\n${generalHelp()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`tokenledger ${name}: ${error.message}\n(tokenledger ${name} --help lists its flags)\n`);
      return 2;
    }
    if (error instanceof RecordingError || (error instanceof Error && error.name === 'BillError')) {
      io.err(`tokenledger ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function processIo(): CommandIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  };
}
