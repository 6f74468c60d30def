// Price data stays offline unless a refresh is asked for; a refresh replaces the bundled data and the spans say
// so. Its own test file: the price data is one dataset per process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Attributes } from '@opentelemetry/api';
import { writeCostAttributes } from '../ledger/cost-attributes.ts';
import { callDescription } from '../ledger/llm-spans.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { activePriceData, refreshPriceData } from '../ledger/pricing/price-data.ts';
import { usageFromAttributes } from '../ledger/usage-attributes.ts';
import { usageFigures } from '../ledger/usage-figures.ts';

const call = {
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': 'claude-sonnet-4-5',
  'gen_ai.usage.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 100,
};
/** The cost attributes the processor writes for `call`. */
const priced = (pricer: CallPricer): Attributes =>
  writeCostAttributes(pricer.price(usageFigures(usageFromAttributes(call)), callDescription(call, new Date())), {});

const refreshed = [
  {
    id: 'anthropic',
    name: 'Anthropic',
    api_pattern: 'https://api\\.anthropic\\.com',
    models: [{ id: 'claude-sonnet-4-5', match: { starts_with: 'claude-sonnet-4-5' }, prices: { input_mtok: 1, output_mtok: 2 } }],
  },
];

let server: Server;
let url = '';
const realFetch = globalThis.fetch;
let fetches = 0;

before(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/data.json' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/data.json' ? JSON.stringify(refreshed) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
    fetches += 1;
    return realFetch(...args);
  }) as typeof fetch;
});
after(() => {
  globalThis.fetch = realFetch;
  server.close();
});

test('price refresh: pricing makes no network request without one', () => {
  const pricer = new CallPricer();
  const attributes = priced(pricer);
  assert.equal(attributes['tokenledger.cost.usd'], 0.0045); // (1000 × 3 + 100 × 15) / 1e6, bundled
  assert.equal(attributes['tokenledger.cost.source'], 'bundled');
  assert.equal(fetches, 0);
});

test('price refresh: a failed refresh keeps the data in use', async () => {
  await assert.rejects(refreshPriceData({ url: `${url}/missing.json` }), /HTTP 404/);
  assert.equal(activePriceData().source, 'bundled');
});

test('price refresh: a refresh replaces the bundled data and spans record the refreshed source', async () => {
  const pricer = new CallPricer();
  assert.equal(priced(pricer)['tokenledger.cost.usd'], 0.0045);
  await refreshPriceData({ url: `${url}/data.json` });
  const attributes = priced(pricer);
  assert.equal(attributes['tokenledger.cost.usd'], 0.0012); // (1000 × 1 + 100 × 2) / 1e6, refreshed
  assert.equal(attributes['tokenledger.cost.source'], 'refreshed');
  assert.match(String(attributes['tokenledger.cost.data_version']), /^refreshed .* from http:\/\/127\.0\.0\.1:\d+\/data\.json$/);
});
