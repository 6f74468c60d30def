// `tokenledger collect [--listen host:port] [--upstream url] [--max-body-bytes n] [--prices file]`
// The bearer token clients must send comes from TOKENLEDGER_COLLECTOR_TOKEN (never from argv, which `ps` shows).
import { parseArgs } from 'node:util';
import { loadPriceOverridesFile } from '../pricing/price-overrides.ts';
import { CollectorServer } from './collector-server.ts';

const USAGE = 'usage: tokenledger collect [--listen 127.0.0.1:4318] [--upstream http://collector:4318] [--max-body-bytes 4194304] [--prices prices.yaml]';

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
      prices: { type: 'string' },
    },
  });
  const [host, portText] = splitHostPort(values.listen!);
  const maxBodyBytes = values['max-body-bytes'] === undefined ? undefined : Number(values['max-body-bytes']);
  if (maxBodyBytes !== undefined && (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0)) {
    throw new Error(`--max-body-bytes must be a positive integer, got ${values['max-body-bytes']}`);
  }
  const server = new CollectorServer({
    host,
    port: Number(portText),
    upstream: values.upstream ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '',
    maxBodyBytes,
    bearerToken: env.TOKENLEDGER_COLLECTOR_TOKEN || undefined,
    prices: values.prices ? loadPriceOverridesFile(values.prices) : undefined,
  });
  const url = await server.start();
  console.log(`tokenledger collect: listening on ${url}/v1/traces`);
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
