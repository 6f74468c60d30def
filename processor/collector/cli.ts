// `tokenledger collect [--listen host:port] [--upstream url] [--max-body-bytes n] [--prices file]`
// The bearer token clients must send comes from TOKENLEDGER_COLLECTOR_TOKEN (never from argv, which `ps` shows).
import { parseArgs } from 'node:util';
import { loadPriceOverridesFile } from '../pricing/price-overrides.ts';
import { CollectorServer } from './collector-server.ts';

const USAGE =
  'usage: tokenledger collect [--listen 127.0.0.1:4318] [--upstream http://collector:4318] [--max-body-bytes 4194304] ' +
  '[--quiet-ms 2000] [--max-trace-age-ms 30000] [--max-traces 10000] [--max-spans 200000] [--max-queued-requests 1000] [--prices prices.yaml]';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CollectorServer | undefined> {
  const [command, ...rest] = argv;
  if (command !== 'collect') {
    console.error(USAGE);
    process.exitCode = 2;
    return undefined;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      listen: { type: 'string', default: '127.0.0.1:4318' },
      upstream: { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'quiet-ms': { type: 'string' },
      'max-trace-age-ms': { type: 'string' },
      'max-traces': { type: 'string' },
      'max-spans': { type: 'string' },
      'max-queued-requests': { type: 'string' },
      prices: { type: 'string' },
    },
  });
  const positive = (flag: string): number | undefined => {
    const text = (values as Record<string, string | undefined>)[flag];
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${flag} must be a positive integer, got ${text}`);
    return value;
  };
  const [host, portText] = splitHostPort(values.listen!);
  const server = new CollectorServer({
    host,
    port: Number(portText),
    upstream: values.upstream ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
    maxBodyBytes: positive('max-body-bytes'),
    maxQueuedRequests: positive('max-queued-requests'),
    traces: {
      ...(positive('quiet-ms') ? { quietMs: positive('quiet-ms') } : {}),
      ...(positive('max-trace-age-ms') ? { maxAgeMs: positive('max-trace-age-ms') } : {}),
      ...(positive('max-traces') ? { maxTraces: positive('max-traces') } : {}),
      ...(positive('max-spans') ? { maxSpans: positive('max-spans') } : {}),
    },
    bearerToken: env.TOKENLEDGER_COLLECTOR_TOKEN || undefined,
    prices: values.prices ? loadPriceOverridesFile(values.prices) : undefined,
  });
  const url = await server.start();
  console.log(`tokenledger collect: listening on ${url}/v1/traces`);
  // SIGTERM: roll up and forward every held trace, drain the queue, then exit.
  process.once('SIGTERM', () => void server.stop());
  process.once('SIGINT', () => void server.stop());
  return server;
}

function splitHostPort(listen: string): [string, string] {
  const index = listen.lastIndexOf(':');
  if (index <= 0) throw new Error(`--listen must be host:port, got ${listen}`);
  const port = listen.slice(index + 1);
  if (!/^\d+$/.test(port)) throw new Error(`--listen port must be a number, got ${port}`);
  return [listen.slice(0, index).replace(/^\[|\]$/g, ''), port];
}
