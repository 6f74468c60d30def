// Runs a test app in a child process under tokenledger's zero-code entry (`--require` / `--import
// tokenledger/register`), talking to a fake provider and exporting over OTLP/HTTP to a receiver in the test.
// Needs the build (`npm test` runs it first).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface AppEndpoints {
  /** The fake provider's base URL (FAKE_PROVIDER_URL for the app). */
  providerUrl: string;
  /** The OTLP receiver's base URL. */
  receiverUrl: string;
}

/** The environment an app runs with: PATH, the endpoints, the OTel settings the tests rely on, and `env`. */
export function appEnv(endpoints: AppEndpoints, env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    FAKE_PROVIDER_URL: endpoints.providerUrl,
    // The apps' openai clients talk to the fake on this machine, which tokenledger would take for a local model
    // server (unpriced): the setting says it stands for OpenAI.
    TOKENLEDGER_PROVIDER_URLS: `${endpoints.providerUrl}/v1=openai`,
    OTEL_SERVICE_NAME: 'register-e2e',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.receiverUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    ...env,
  };
}

/** Runs `node ...args` from the project root; killed after 20 s. `onStdout` sees the output so far. */
export function runApp(endpoints: AppEndpoints, args: string[], env: Record<string, string> = {}, onStdout?: (text: string, kill: () => void) => void): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: appEnv(endpoints, env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      onStdout?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
