// Flushes telemetry when the process ends normally (`beforeExit`) and on SIGTERM. A SIGTERM listener stops
// Node's default action (exit), so when ours was the only one, the signal is raised again once the flush is
// done: the process then ends exactly as it would have without tokenledger.
import { diag } from '@opentelemetry/api';

const SHUTDOWN_TIMEOUT_MS = 5000;

export function flushOnExit(shutdown: () => Promise<void>): void {
  let flushing: Promise<void> | undefined;
  const flushOnce = () => {
    flushing ??= withTimeout(shutdown(), SHUTDOWN_TIMEOUT_MS).catch((error: unknown) => {
      diag.error('tokenledger: could not flush telemetry at exit', error);
    });
    return flushing;
  };
  process.once('beforeExit', () => void flushOnce());
  process.once('SIGTERM', () => {
    void flushOnce().finally(() => {
      if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
    });
  });
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
