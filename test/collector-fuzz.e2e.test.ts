// Collector mode under fuzzing, end to end: 3 000 generated requests (test/fuzz-requests.ts, seeded) sent eight at
// a time to a real `tokenledger collect` process, while a canary client — the real OpenTelemetry JS protobuf
// exporter with gzip — exports 40 traces of 12 spans beside them, to an upstream that refuses invalid OTLP as the
// OpenTelemetry Collector does. Nothing may crash, nothing may get a 5xx, every canary span must arrive, and
// nothing invalid may reach the upstream (which would cost other clients' spans their batch).
// FUZZ_SEED=<n> replays another sequence; FUZZ_TABLE=1 prints the statuses by kind of request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { CollectorProcess } from './collector-process.ts';
import { waitUntil } from './wait.ts';
import { FakeUpstream } from './fake-upstream.ts';
import { FuzzGenerator } from './fuzz-requests.ts';
import { exportSpans, otlpExporter, sdkSpans } from './otlp-clients.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const REQUESTS = 3000;
const CONCURRENCY = 8;
const LIMIT = 256 * 1024;
const CANARY_TRACES = 40;
const CANARY_SPANS = 12;

test(`collector fuzz: ${REQUESTS} generated requests beside a canary client — no crash, no 5xx, every canary span delivered (seed ${SEED})`, async () => {
  const upstream = await new FakeUpstream().start();
  const collector = await CollectorProcess.start([
    '--upstream',
    upstream.url,
    '--quiet-ms',
    '100',
    '--max-trace-age-ms',
    '1000',
    '--max-body-bytes',
    String(LIMIT),
  ]);
  try {
    const generator = new FuzzGenerator(SEED, LIMIT);
    const statusesByKind = new Map<string, Map<number | string, number>>();
    let sent = 0;
    const fuzz = async () => {
      while (sent < REQUESTS) {
        sent += 1;
        const request = generator.next();
        let status: number | string;
        try {
          const response = await fetch(`${collector.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
          await response.arrayBuffer();
          status = response.status;
        } catch (error) {
          status = `network error: ${(error as Error).cause ?? (error as Error).message}`;
        }
        const statuses = statusesByKind.get(request.kind) ?? new Map<number | string, number>();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        statusesByKind.set(request.kind, statuses);
      }
    };
    const canaryIds: string[] = [];
    const canary = async () => {
      const exporter = otlpExporter('proto', collector.url);
      for (let t = 0; t < CANARY_TRACES; t += 1) {
        const spans = await sdkSpans('canary', [
          { name: `canary ${t}` },
          ...Array.from({ length: CANARY_SPANS - 1 }, (_, i) => ({ name: `canary ${t}.${i}`, parent: 0 })),
        ]);
        canaryIds.push(...spans.map((span) => span.spanContext().spanId));
        const result = await exportSpans(exporter, spans);
        assert.equal(result.code, ExportResultCode.SUCCESS, `canary ${t}: ${result.error?.message}`);
      }
    };
    await Promise.all([canary(), ...Array.from({ length: CONCURRENCY }, fuzz)]);

    assert.equal(collector.child.exitCode, null, `the collector exited:\n${collector.stderr}`);
    if (process.env.FUZZ_TABLE)
      console.log(JSON.stringify(Object.fromEntries([...statusesByKind].map(([kind, statuses]) => [kind, Object.fromEntries(statuses)]))));
    const table = Object.fromEntries([...statusesByKind].map(([kind, statuses]) => [kind, Object.fromEntries(statuses)]));
    const failures = Object.entries(table).filter(([, statuses]) => Object.keys(statuses).some((status) => !/^(200|400|404|405|413|415)$/.test(status)));
    assert.deepEqual(failures, [], `only 200, 400, 404, 405, 413 and 415:\n${JSON.stringify(table, null, 1)}`);
    assert.deepEqual(table.valid && Object.keys(table.valid), ['200'], 'valid requests are taken');
    assert.deepEqual(table['gzip bomb'] && Object.keys(table['gzip bomb']), ['413']);
    assert.deepEqual(table.oversized && Object.keys(table.oversized), ['413']);
    assert.deepEqual(table['wrong method'] && Object.keys(table['wrong method']), ['405']);

    const missingCanaries = () => {
      const delivered = new Set(upstream.spans.map((span) => span.spanId));
      return canaryIds.filter((id) => !delivered.has(id));
    };
    await waitUntil(
      () => `${missingCanaries().length} canary spans to be delivered`,
      () => missingCanaries().length === 0,
    );
    const missing = missingCanaries();
    assert.equal(canaryIds.length, CANARY_TRACES * CANARY_SPANS);
    assert.deepEqual(missing, [], `${missing.length} of ${canaryIds.length} canary spans missing`);
    assert.deepEqual(upstream.invalid, [], 'nothing the upstream refuses as invalid was forwarded');
  } finally {
    const code = await collector.stop();
    await upstream.stop();
    assert.equal(code, 0, collector.output.slice(-3000));
    assert.equal(collector.summary().lost, 0);
  }
});
