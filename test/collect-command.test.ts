// `tokenledger collect` run in process: started from its flags and variables as the command line gives them, it
// serves, forwards and stops as SIGTERM would, saying what it did; what it cannot use is a usage error (exit 2)
// naming the flag; `--help` prints the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../cli/main.ts';
import { collect, startCollector } from '../collector/collect-command.ts';
import type { CommandIo } from '../config/command-line.ts';
import { FakeUpstream } from './fake-upstream.ts';

function io(env: NodeJS.ProcessEnv = {}): CommandIo & { stdout: string; stderr: string } {
  const written = { stdout: '', stderr: '' };
  return Object.assign(written, {
    out: (text: string) => void (written.stdout += text),
    err: (text: string) => void (written.stderr += text),
    env: { OTEL_LOG_LEVEL: 'none', ...env },
  });
}

const trace = (name: string) =>
  JSON.stringify({
    resourceSpans: [
      { scopeSpans: [{ scope: { name: 'in-process' }, spans: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', name }] }] },
    ],
  });

test('collect in process: it listens where it says, holds, forwards on stop and says so; stop() is once', async () => {
  const upstream = await new FakeUpstream().start();
  const out = io();
  const running = await startCollector(['--listen', '127.0.0.1:0', '--upstream', upstream.url, '--quiet-ms', '60000', '--prometheus', '127.0.0.1:0'], out);
  try {
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(running.url, 'http://127.0.0.1:0');
    assert.equal(
      out.stdout,
      `tokenledger collect: listening on ${running.url}/v1/traces; upstream ${upstream.url}; memory limit 64 MiB, body limit 20 MiB, ` +
        `4 upstream requests in flight, drain 20 s; metrics for Prometheus on 127.0.0.1:${new URL(running.metricsUrl!).port}\n`,
    );
    const response = await fetch(`${running.url}/v1/traces`, {
      method: 'POST',
      body: trace('held until stop'),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200);
    assert.equal(upstream.spans.length, 0, 'held: the quiet period is a minute');
    assert.match(await (await fetch(running.metricsUrl!)).text(), /tokenledger_collector_spans_late_total\{[^}]*\} 0/);
    const stopping = running.stop();
    assert.equal(running.stop(), stopping);
    assert.equal(await stopping, 0);
    assert.deepEqual(upstream.names(), ['held until stop']);
    assert.match(
      out.stdout,
      /tokenledger collect: stopped; accepted 1 spans; forwarded 1; lost 0; refused 0 invalid spans and 0 requests \(the clients were told\)\n$/,
    );
    assert.equal(running.server.budget.used, 0, 'every lease given back');
  } finally {
    await running.stop();
    await upstream.stop();
  }
});

test('collect in process: spans still undelivered at the drain deadline are lost, said on stderr, and the exit code is 1', async () => {
  const down = await new FakeUpstream().start();
  const url = down.url;
  await down.stop();
  const out = io();
  const running = await startCollector(
    ['--listen', '127.0.0.1:0', '--upstream', url, '--quiet-ms', '60000', '--drain-timeout-ms', '200', '--metrics-endpoint', url],
    out,
  );
  const response = await fetch(`${running.url}/v1/traces`, { method: 'POST', body: trace('never delivered'), headers: { 'content-type': 'application/json' } });
  assert.equal(response.status, 200);
  assert.equal(await running.stop(), 1);
  assert.match(out.stderr, /tokenledger collect: stopped; accepted 1 spans; forwarded 0; lost 1 \(shutdown 1\)/);
  assert.equal(running.server.budget.used, 0);
});

test('collect: --help prints the table and exits 0', async () => {
  const out = io();
  assert.equal(await collect(['--help'], out), 0);
  assert.match(out.stdout, /^usage: tokenledger collect \[flags\]\n/);
  assert.match(out.stdout, / {2}--max-spans positive integer \(default 200000\)\n/);
});

test('collect: flags and variables it cannot use are usage errors naming them (exit 2), and it never starts', async () => {
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [['--upstream', 'http://127.0.0.1:9', '--max-spans', '-1'], {}, /--max-spans must be a positive integer, got "-1"/],
    [['--upstream', 'http://127.0.0.1:9', '--no-such-flag'], {}, /unknown flag --no-such-flag \(see tokenledger collect --help\)/],
    [['--upstream', 'http://127.0.0.1:9', 'spans.json'], {}, /collect takes no files, got spans\.json/],
    [['--listen', 'localhost'], {}, /--listen must be host:port, got localhost/],
    [[], {}, /an upstream endpoint is required \(--upstream or OTEL_EXPORTER_OTLP_ENDPOINT\)/],
    [['--upstream', 'http://127.0.0.1:9', '--tls-cert', 'cert.pem'], {}, /--tls-cert and --tls-key go together/],
    [['--upstream', 'http://127.0.0.1:9', '--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'], {}, /ENOENT.*\/nonexistent\/cert\.pem/],
    [['--upstream', 'http://127.0.0.1:9', '--prices', '/nonexistent/prices.yaml'], {}, /\/nonexistent\/prices\.yaml/],
    [['--upstream', 'http://127.0.0.1:9', '--quiet-ms', '2000', '--quiet-ms', '10'], {}, /--quiet-ms is given twice/],
  ];
  for (const [argv, env, message] of cases) {
    const out = io(env);
    const listen = argv.includes('--listen') ? [] : ['--listen', '127.0.0.1:0'];
    assert.equal(await main(['collect', ...listen, ...argv], out), 2, argv.join(' '));
    assert.match(out.stderr, message, argv.join(' '));
    assert.match(out.stderr, /^tokenledger collect: .*\n\(tokenledger collect --help lists its flags\)\n$/);
    assert.equal(out.stdout, '', 'nothing started');
  }
});

test('collect: the upstream may come from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, before OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
  const upstream = await new FakeUpstream().start();
  const out = io({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: upstream.url, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
  const running = await startCollector(['--listen', '127.0.0.1:0'], out);
  try {
    assert.match(out.stdout, new RegExp(`; upstream ${upstream.url}; .*; metrics to ${upstream.url}\\n$`));
  } finally {
    assert.equal(await running.stop(), 0);
    await upstream.stop();
  }
});
