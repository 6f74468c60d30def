// Flushes telemetry when the process ends normally (`beforeExit`) and on SIGTERM, for at most the shutdown timeout,
// so the process ends promptly whatever the exporters' endpoints do: an endpoint that is down makes the OTLP
// exporters retry for up to their own timeout (10 s), and one that is black-holed holds a socket open until then.
//
// - beforeExit: the app has no work left. Once the flush is done, or the timeout has passed, the process exits with
//   the code it would have exited with (process.exitCode), unless the app has beforeExit listeners of its own
//   (they may start more work; the process then ends when that work and the exporters' requests are done).
// - SIGTERM: a listener stops Node's default action (exit), so when ours was the only one, the signal is raised
//   again once the flush is done or timed out: the process then ends by the signal, as it would have without
//   tokenledger.
import { diag } from '@opentelemetry/api';
import { withTimeout } from '../base/with-timeout.ts';

export function flushOnExit(shutdown: () => Promise<void>, timeoutMs: number): void {
  let flushing: Promise<void> | undefined;
  const flushOnce = () => {
    flushing ??= withTimeout(shutdown(), timeoutMs)
      .then((finished) => {
        if (!finished) diag.warn(`tokenledger: telemetry not flushed within ${timeoutMs} ms at exit; ending (TOKENLEDGER_SHUTDOWN_TIMEOUT_MS)`);
      })
      .catch((error: unknown) => diag.error('tokenledger: telemetry not flushed at exit', error));
    return flushing;
  };
  process.once('beforeExit', () => {
    void flushOnce().finally(() => {
      if (process.listenerCount('beforeExit') === 0) process.exit();
    });
  });
  process.once('SIGTERM', () => {
    void flushOnce().finally(() => {
      if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
    });
  });
}
