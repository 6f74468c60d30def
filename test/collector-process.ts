// A real `tokenledger collect` process for end-to-end tests (bin/tokenledger.cjs, which runs the build in dist/):
// started with flags and variables, its output collected line by line, stopped with a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export class CollectorProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stdout = '';
  stderr = '';
  url = '';

  private constructor(child: ChildProcess) {
    this.child = child;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout!.on('data', (data: Buffer) => (this.stdout += data.toString()));
    child.stderr!.on('data', (data: Buffer) => (this.stderr += data.toString()));
  }

  /** Starts `tokenledger collect` on a free port (unless `--listen` is given) and waits until it listens. */
  static async start(args: string[], env: Record<string, string> = {}): Promise<CollectorProcess> {
    const listen = args.includes('--listen') ? [] : ['--listen', `127.0.0.1:${await freePort()}`];
    const child = spawn(process.execPath, ['bin/tokenledger.cjs', 'collect', ...listen, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collector = new CollectorProcess(child);
    await Promise.race([
      collector.waitFor(/listening on (\S+)\/v1\/traces/, 15_000),
      collector.exited.then((code) => {
        throw new Error(`tokenledger collect exited with ${code} before listening:\n${collector.stderr}`);
      }),
    ]);
    collector.url = /listening on (\S+)\/v1\/traces/.exec(collector.stdout)![1]!;
    return collector;
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Resolves when the output matches. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.output);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`no ${pattern} in the collector's output within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
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

/** Polls until `condition()` holds or the time is up. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
