// A real `tokenledger collect` process for end-to-end tests (bin/tokenledger.cjs, which runs the build in dist/):
// started with flags and variables, its output collected line by line, stopped with a signal. It listens on a port
// the system picks (`--listen 127.0.0.1:0` unless given), read back from its start-up line, so no two tests race
// for one; so does `--prometheus …:0`.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export class CollectorProcess {
  readonly child: ChildProcess;
  /** The exit code, once the process has exited and all its output has been read. */
  readonly exited: Promise<number | null>;
  stdout = '';
  stderr = '';
  url = '';
  /** Where `--prometheus` serves the metrics (`http://host:port/metrics`), when given. */
  metricsUrl = '';

  private constructor(child: ChildProcess) {
    this.child = child;
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    child.stdout!.on('data', (data: Buffer) => (this.stdout += data.toString()));
    child.stderr!.on('data', (data: Buffer) => (this.stderr += data.toString()));
  }

  /** Starts `tokenledger collect` on a port the system picks (unless `--listen` is given) and waits until it listens. */
  static async start(args: string[], env: Record<string, string> = {}): Promise<CollectorProcess> {
    const listen = args.includes('--listen') ? [] : ['--listen', '127.0.0.1:0'];
    const child = spawn(process.execPath, ['bin/tokenledger.cjs', 'collect', ...listen, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collector = new CollectorProcess(child);
    await Promise.race([
      collector.waitFor(/listening on (\S+)\/v1\/traces/),
      collector.exited.then((code) => {
        throw new Error(`tokenledger collect exited with ${code} before listening:\n${collector.stderr}`);
      }),
    ]);
    collector.url = /listening on (\S+)\/v1\/traces/.exec(collector.stdout)![1]!;
    const prometheus = /metrics for Prometheus on ([^;\s]+)/.exec(collector.stdout)?.[1];
    collector.metricsUrl = prometheus ? `http://${prometheus}/metrics` : '';
    return collector;
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Resolves when the output matches. */
  async waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    await waitUntil(
      () => `${pattern} in the collector's output:\n${this.output}`,
      () => pattern.test(this.output),
    );
    return pattern.exec(this.output)!;
  }

  /** Sends the signal and resolves to the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  /** The numbers of the stop line. */
  summary(): { accepted: number; forwarded: number; lost: number; lostBy: Record<string, number>; invalid: number; persisted: number } {
    const line = /tokenledger collect: stopped; (.*)/.exec(this.output)?.[1];
    if (!line) throw new Error(`no stop line in:\n${this.output}`);
    const number = (pattern: RegExp) => Number(pattern.exec(line)?.[1] ?? 0);
    const lostBy = Object.fromEntries([...(/lost \d+ \(([^)]*)\)/.exec(line)?.[1] ?? '').matchAll(/(\w+) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    return {
      accepted: number(/accepted (\d+) spans/),
      forwarded: number(/forwarded (\d+)/),
      lost: number(/lost (\d+)/),
      lostBy,
      invalid: number(/refused (\d+) invalid spans/),
      persisted: number(/(\d+) spans kept in the queue directory/),
    };
  }
}
