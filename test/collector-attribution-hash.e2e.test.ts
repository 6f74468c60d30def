// Hashed user ids in collector mode, end to end: a real `tokenledger collect --baggage-keys tenant.id,user.id
// --baggage-hash-keys user.id` process, the salt in TOKENLEDGER_BAGGAGE_HASH_SALT (not in argv, which `ps` shows).
// The app copied its baggage onto its spans in plain text; what leaves the collector — the forwarded spans and the
// metrics' labels — carries the same HMAC the in-process processor writes, never the id. gpt-4.1 at $2 / $8 per
// MTok: each call bills 1000 input + 100 output tokens = $0.0028.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startCollector } from '../collector/collect-command.ts';
import { CollectorProcess } from './collector-process.ts';
import { FakeUpstream } from './fake-upstream.ts';
import { waitUntil } from './wait.ts';

const SALT = 's3cret';
/** The first 16 hex digits of HMAC-SHA256 keyed with the salt, worked out here apart from the code under test. */
const hashed = (id: string) => createHmac('sha256', SALT).update(id).digest('hex').slice(0, 16);

const TRACE = '5b8efff798038103d269b633813fc60c';
const NANOS = 1_764_300_000_000_000_000n;
const kv = (key: string, value: string | number) => ({ key, value: typeof value === 'number' ? { intValue: value } : { stringValue: value } });
const span = (id: string, parent: string, name: string, start: number, attributes: Array<ReturnType<typeof kv>>) => ({
  traceId: TRACE,
  spanId: id,
  parentSpanId: parent,
  name,
  kind: 1,
  startTimeUnixNano: String(NANOS + BigInt(start) * 1_000_000n),
  endTimeUnixNano: String(NANOS + BigInt(start + 5) * 1_000_000n),
  attributes,
});
const call = (id: string, start: number, extra: Array<ReturnType<typeof kv>> = []) =>
  span(id, '0000000000000002', 'chat gpt-4.1', start, [
    kv('gen_ai.operation.name', 'chat'),
    kv('gen_ai.provider.name', 'openai'),
    kv('gen_ai.request.model', 'gpt-4.1'),
    kv('gen_ai.usage.input_tokens', 1000),
    kv('gen_ai.usage.output_tokens', 100),
    ...extra,
  ]);

test('collector e2e: --baggage-hash-keys records user ids as the in-process HMAC on forwarded spans and metric labels', async () => {
  const upstream = await new FakeUpstream().start();
  const args = [
    '--upstream',
    upstream.url,
    '--quiet-ms',
    '50',
    '--prometheus',
    '127.0.0.1:0',
    '--baggage-keys',
    'tenant.id,user.id',
    '--baggage-hash-keys',
    'user.id',
  ];
  let collector: CollectorProcess | undefined;
  try {
    collector = await CollectorProcess.start(args, { TOKENLEDGER_BAGGAGE_HASH_SALT: SALT });
    // The request span carries the tenant and the user; the first call inherits them, the second names another user
    // (a number, as some apps send ids), and a plain span inside the run carries the user too.
    const spans = [
      span('0000000000000001', '', 'POST /chat', 0, [kv('tenant.id', 'acme'), kv('user.id', 'alice@example.com')]),
      span('0000000000000002', '0000000000000001', 'invoke_agent support', 1, [
        kv('gen_ai.operation.name', 'invoke_agent'),
        kv('gen_ai.agent.name', 'support'),
      ]),
      call('0000000000000003', 2),
      call('0000000000000004', 3, [kv('user.id', 42)]),
      span('0000000000000005', '0000000000000002', 'db query', 4, [kv('user.id', 'alice@example.com')]),
    ];
    const body = JSON.stringify({
      resourceSpans: [{ resource: { attributes: [kv('service.name', 'chat')] }, scopeSpans: [{ scope: { name: 'app' }, spans }] }],
    });
    const response = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 200);
    await waitUntil('the five spans to be forwarded', () => upstream.spans.length === 5);

    const userOf = Object.fromEntries(upstream.spans.map((forwarded) => [forwarded.name, forwarded.attributes['user.id']]));
    assert.deepEqual(userOf, {
      'POST /chat': hashed('alice@example.com'),
      'invoke_agent support': undefined,
      'chat gpt-4.1': hashed('42'),
      'db query': hashed('alice@example.com'),
    });
    assert.equal(upstream.spans.find((forwarded) => forwarded.name === 'POST /chat')!.attributes['tenant.id'], 'acme', 'keys not listed stay as they are');
    assert.match(hashed('alice@example.com'), /^[0-9a-f]{16}$/);

    const text = await (await fetch(collector.metricsUrl)).text();
    /** The cost series of one user summed over token types (input $0.002 + output $0.0008). */
    const cost = (user: string) => {
      const series = [...text.matchAll(/^tokenledger_cost_total\{([^}]*)\} ([0-9.e-]+)$/gm)].filter((match) => match[1]!.includes(`user_id="${user}"`));
      return Math.round(series.reduce((sum, match) => sum + Number(match[2]), 0) * 1e10) / 1e10;
    };
    // Call 3 takes the request's user (two runs up), call 4 its own: $0.0028 each, labelled by hash.
    assert.equal(cost(hashed('alice@example.com')), 0.0028);
    assert.equal(cost(hashed('42')), 0.0028);
    const everything = text + JSON.stringify(upstream.spans);
    assert.ok(!everything.includes('alice@example.com'), 'the id is in no forwarded span and no metric');
    assert.ok(!everything.includes('user_id="42"'));
    assert.ok(!collector.child.spawnargs.join(' ').includes(SALT), 'the salt is not in argv');
  } finally {
    await collector?.stop();
    await upstream.stop();
  }
});

test('collector: --baggage-hash-keys names only keys of --baggage-keys', async () => {
  const io = { out: () => undefined, err: () => undefined, env: { TOKENLEDGER_BAGGAGE_HASH_SALT: SALT } };
  const collect = (args: string[]) => startCollector(['--listen', '127.0.0.1:0', '--upstream', 'http://127.0.0.1:9', ...args], io);
  await assert.rejects(collect(['--baggage-hash-keys', 'user.id']), { name: 'UsageError', message: '--baggage-hash-keys needs --baggage-keys' });
  await assert.rejects(collect(['--baggage-keys', 'tenant.id', '--baggage-hash-keys', 'user.id']), {
    name: 'UsageError',
    message: /baggage hash key user.id is not one of the baggage keys \(tenant.id\)/,
  });
});
