// Runs a test app in a child process under tokenledger's zero-code entry (`--require` / `--import
// tokenledger/register`), talking to a fake provider and exporting over OTLP/HTTP to a receiver in the test.
// Needs the build (`npm test` runs it first).
import { spawn } from 'node:child_process';
import { after, before, beforeEach } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FakeProvider } from './fake-provider.ts';
import { OtlpReceiver } from './otlp-receiver.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface AppEndpoints {
  /** The fake provider the app talks to (its URL is FAKE_PROVIDER_URL for the app). */
  provider: FakeProvider;
  /** The OTLP receiver the app exports to. */
  receiver: OtlpReceiver;
}

/**
 * A fake provider and an OTLP receiver for a test file: started before its tests, stopped after them, and emptied
 * before each (scripted and queued answers included: each test starts from the fixtures).
 */
export function useAppEndpoints(): AppEndpoints {
  const endpoints = {} as AppEndpoints;
  before(async () => {
    endpoints.provider = await new FakeProvider().start();
    endpoints.receiver = await new OtlpReceiver().start();
  });
  after(async () => {
    await endpoints.provider.stop();
    await endpoints.receiver.stop();
  });
  beforeEach(() => {
    endpoints.receiver.spans.length = 0;
    endpoints.receiver.metrics.clear();
    endpoints.provider.reset();
  });
  return endpoints;
}

/** The environment an app runs with: PATH, the endpoints, the OTel settings the tests rely on, and `env`. */
export function appEnv(endpoints: AppEndpoints, env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    FAKE_PROVIDER_URL: endpoints.provider.url,
    // The apps' openai clients talk to the fake on this machine, which tokenledger would take for a local model
    // server (unpriced): the setting says it stands for OpenAI.
    TOKENLEDGER_PROVIDER_URLS: `${endpoints.provider.url}/v1=openai`,
    OTEL_SERVICE_NAME: 'register-e2e',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    ...env,
  };
}

/** Runs `node ...args` from the project root (a hang guard kills it after 2 minutes). `onStdout` sees the output so far. */
export function runApp(
  endpoints: AppEndpoints,
  args: string[],
  env: Record<string, string> = {},
  onStdout?: (text: string, kill: () => void) => void,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: appEnv(endpoints, env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      onStdout?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    // A hang guard only: a loaded machine never reaches it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    // 'close', not 'exit': every byte the app wrote has been read.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
