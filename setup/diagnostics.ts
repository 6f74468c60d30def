// What the register entry prints about problems: OpenTelemetry's `diag` channel, at OTEL_LOG_LEVEL (default
// `info`, as documented), to stderr, one line per problem. With OTEL_LOG_LEVEL unset, OpenTelemetry's own
// info-level chatter (an exporter's retry schedule) is left out; its warnings and errors are shown. The same problem (its message with numbers blanked)
// is printed once, then at most once a minute with the count of repeats in between, so an exporter that fails
// every five seconds, or a model priced on every call, never floods the app's output. Export failures reach it
// through OpenTelemetry's global error handler, which otherwise prints a whole serialised error object.
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { packageRequire } from '../package-require.cjs';

const REPEAT_INTERVAL_MS = 60_000;
const MAX_PROBLEMS = 1000;

type Write = (line: string) => void;

/** A DiagLogger that prints each distinct problem on one line, rate-limited. */
export class OneLineDiagLogger implements DiagLogger {
  private readonly seen = new Map<string, { lastMs: number; repeats: number }>();
  private readonly write: Write;
  private readonly now: () => number;
  /** Drop info, debug and verbose messages that are not tokenledger's. */
  private readonly quietForeignInfo: boolean;

  constructor(options: { write?: Write; now?: () => number; quietForeignInfo?: boolean } = {}) {
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.now = options.now ?? Date.now;
    this.quietForeignInfo = options.quietForeignInfo ?? false;
  }

  error = (message: string, ...args: unknown[]) => this.print('error', message, args);
  warn = (message: string, ...args: unknown[]) => this.print('warn', message, args);
  info = (message: string, ...args: unknown[]) => this.print('info', message, args);
  debug = (message: string, ...args: unknown[]) => this.print('debug', message, args);
  verbose = (message: string, ...args: unknown[]) => this.print('verbose', message, args);

  private print(level: string, message: string, args: unknown[]): void {
    const ours = message.startsWith('tokenledger');
    if (!ours && this.quietForeignInfo && level !== 'error' && level !== 'warn') return;
    const text = oneLine([message, ...args.map(describe)].filter((part) => part !== '').join(': '));
    const key = `${level} ${text.replace(/\d+/g, '#')}`;
    const now = this.now();
    const problem = this.seen.get(key);
    if (problem && now - problem.lastMs < REPEAT_INTERVAL_MS) {
      problem.repeats += 1;
      return;
    }
    const repeats = problem?.repeats ?? 0;
    if (this.seen.size >= MAX_PROBLEMS) this.seen.clear();
    this.seen.set(key, { lastMs: now, repeats: 0 });
    const prefix = ours ? '' : 'tokenledger: OpenTelemetry: ';
    this.write(`${prefix}${text}${repeats > 0 ? ` (${repeats} more since last shown)` : ''}`);
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message || value.name;
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

const LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

/** Routes diag to a OneLineDiagLogger at OTEL_LOG_LEVEL (default info), and export failures to diag. */
export function startDiagnostics(env: NodeJS.ProcessEnv = process.env): void {
  const raw = env.OTEL_LOG_LEVEL?.trim();
  const logger = new OneLineDiagLogger({ quietForeignInfo: !raw });
  const level = raw ? LEVELS[raw.toUpperCase()] : DiagLogLevel.INFO;
  diag.setLogger(logger, { logLevel: level ?? DiagLogLevel.INFO, suppressOverrideMessage: true });
  if (raw && level === undefined) diag.warn(`tokenledger: OTEL_LOG_LEVEL "${raw}" is not a level (none, error, warn, info, debug, verbose, all); using info`);
  const { setGlobalErrorHandler } = packageRequire('@opentelemetry/core') as typeof import('@opentelemetry/core');
  setGlobalErrorHandler((error) => diag.error('tokenledger: telemetry export failed', error));
}
