// The configuration tables are the one description of every setting: the tables in docs/ and the collector's
// --help come from them, the options are parsed from them, and every variable the code reads is in them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commandHelp, commandSettings } from '../config/command-line.ts';
import { GATE_COMMAND } from '../cli/gate/gate-settings.ts';
import { REPORT_COMMAND } from '../cli/report/report-settings.ts';
import { WHATIF_COMMAND } from '../cli/whatif/whatif-settings.ts';
import { COLLECTOR_FLAGS, COLLECTOR_SETTINGS, collectorHelp } from '../collector/settings.ts';
import { DEFAULT_TRACE_STORE_LIMITS } from '../collector/trace-store.ts';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_MEMORY_BYTES } from '../collector/collector-server.ts';
import { DEFAULT_BACKOFF } from '../collector/retry-policy.ts';
import { shownDefault } from '../config/setting.ts';
import { pagesWithSettings, renderSettings } from '../scripts/docs-settings.ts';
import { resolveOptions } from '../setup/options.ts';
import { IN_PROCESS_SETTINGS, settingsFromEnv, TOKENLEDGER_SETTINGS } from '../setup/settings.ts';
import { DEFAULT_MAX_VALUES_PER_KEY } from '../metrics/attribution.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { sourceFiles } from './source-files.ts';

function readDocs(name: string): string {
  return readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');
}

test('settings: the tables in docs/ are the settings tables (run `npm run docs`)', () => {
  const pages = pagesWithSettings();
  assert.deepEqual(pages.map((path) => path.split('/').pop()).sort(), ['collector.md', 'configuration.md', 'cost-lab.md']);
  for (const path of pages) {
    const page = readFileSync(path, 'utf8');
    assert.equal(page, renderSettings(page), path);
  }
  const configuration = readDocs('configuration.md');
  for (const setting of IN_PROCESS_SETTINGS) assert.ok(configuration.includes(`| \`${setting.name}\` |`), setting.name);
  const collector = readDocs('collector.md');
  for (const setting of COLLECTOR_SETTINGS) assert.ok(collector.includes(`| \`${setting.name}\` |`), setting.name);
});

test('settings: every TOKENLEDGER_* and OTEL_* variable the code reads is in a table', () => {
  const documented = new Set([...IN_PROCESS_SETTINGS, ...COLLECTOR_SETTINGS].map((setting) => setting.name));
  // Read by name from process.env / env, or named in a string: what a user can set.
  const read = /(?:env|process\.env)(?:\.|\[')((?:TOKENLEDGER|OTEL)_[A-Z_]+)|'((?:TOKENLEDGER|OTEL)_[A-Z_]+)'/g;
  const missing = new Set<string>();
  for (const file of sourceFiles(['setup', 'collector', 'cli', 'processor', 'instrumentation', 'ledger'])) {
    for (const match of readFileSync(file, 'utf8').matchAll(read)) {
      const name = match[1] ?? match[2]!;
      // OTEL_* variables read by the SDK under the names the tables document as a family.
      const family =
        /^OTEL_(BSP_|EXPORTER_OTLP_(TRACES|METRICS)_|SPAN_\w+_LIMIT|ATTRIBUTE_\w+_LIMIT|TRACES_SAMPLER_ARG|METRIC_EXPORT_TIMEOUT|EXPORTER_PROMETHEUS_HOST)/;
      if (!documented.has(name) && !family.test(name)) missing.add(`${file}: ${name}`);
    }
  }
  assert.deepEqual([...missing], []);
});

test('settings: an invalid variable names itself and its value', () => {
  assert.throws(() => settingsFromEnv({ TOKENLEDGER_RUNS: 'yes' }), /TOKENLEDGER_RUNS must be true or false, got "yes"/);
  assert.throws(() => settingsFromEnv({ TOKENLEDGER_GUARD_MODE: 'block' }), /TOKENLEDGER_GUARD_MODE must be one of warn, enforce, got "block"/);
  assert.throws(() => settingsFromEnv({ TOKENLEDGER_RUN_MAX_STEPS: '2.5' }), /TOKENLEDGER_RUN_MAX_STEPS must be a positive integer, got "2.5"/);
  assert.throws(() => settingsFromEnv({ TOKENLEDGER_RUN_MAX_USD: '0' }), /TOKENLEDGER_RUN_MAX_USD must be a positive number, got "0"/);
  assert.throws(() => settingsFromEnv({ TOKENLEDGER_RUN_WAIT_MS: '-1' }), /TOKENLEDGER_RUN_WAIT_MS must be a number ≥ 0, got "-1"/);
  assert.throws(() => settingsFromEnv({ TOKENLEDGER_RUN_UNKNOWN_COST: 'maybe' }), /TOKENLEDGER_RUN_UNKNOWN_COST must be one of allow, stop, got "maybe"/);
});

test('settings: how long a run waits for its open calls, and what a dollar budget does with an unpriced call', () => {
  assert.deepEqual([resolveOptions({}, {}).runWaitMs, resolveOptions({}, {}).runUnknownCost], [5000, 'allow']);
  const options = resolveOptions({}, { TOKENLEDGER_RUN_WAIT_MS: '0', TOKENLEDGER_RUN_UNKNOWN_COST: 'stop' });
  assert.deepEqual([options.runWaitMs, options.runUnknownCost], [0, 'stop']);
});

test('settings: an option in code wins over its variable, which wins over the default', () => {
  const env = { TOKENLEDGER_RUNS: 'false', TOKENLEDGER_GUARD_MODE: 'enforce', TOKENLEDGER_RUN_MAX_USD: '0.5' };
  const options = resolveOptions({ guardMode: 'warn' }, env);
  assert.equal(options.runs, false); // the variable
  assert.equal(options.guardMode, 'warn'); // the code
  assert.equal(options.runMaxUsd, 0.5);
  assert.equal(options.openaiStreamUsage, 'inject'); // the default
  assert.equal(options.legacyMetrics, false);
  assert.equal(TOKENLEDGER_SETTINGS.openaiStreamUsage.default, 'inject');
});

test("settings: the collector's documented defaults are the ones it uses", () => {
  assert.equal(COLLECTOR_FLAGS.quietMs.default, DEFAULT_TRACE_STORE_LIMITS.quietMs);
  assert.equal(COLLECTOR_FLAGS.maxTraceAgeMs.default, DEFAULT_TRACE_STORE_LIMITS.maxAgeMs);
  assert.equal(COLLECTOR_FLAGS.maxTraces.default, DEFAULT_TRACE_STORE_LIMITS.maxTraces);
  assert.equal(COLLECTOR_FLAGS.maxSpans.default, DEFAULT_TRACE_STORE_LIMITS.maxSpans);
  assert.equal(COLLECTOR_FLAGS.maxMemoryBytes.default, DEFAULT_MAX_MEMORY_BYTES);
  assert.equal(COLLECTOR_FLAGS.maxBodyBytes.default, DEFAULT_MAX_BODY_BYTES);
  assert.equal(COLLECTOR_FLAGS.upstreamMaxElapsedMs.default, DEFAULT_BACKOFF.maxElapsedMs);
  assert.deepEqual(COLLECTOR_FLAGS.listen.default, { host: '127.0.0.1', port: 4318 });
  assert.equal(shownDefault(COLLECTOR_FLAGS.listen), '127.0.0.1:4318');
  assert.throws(() => COLLECTOR_FLAGS.listen.parse('localhost'), /--listen must be host:port, got localhost/);
  assert.throws(() => COLLECTOR_FLAGS.maxSpans.parse('-1'), /--max-spans must be a positive integer, got "-1"/);
});

test('settings: tokenledger collect --help lists every flag and variable with its default', () => {
  const help = collectorHelp();
  for (const setting of COLLECTOR_SETTINGS) assert.ok(help.includes(`  ${setting.name} `), setting.name);
  assert.match(help, /--max-spans positive integer \(default 200000\)/);
});

test('settings: the attribution and backend settings parse lists and name what is wrong', () => {
  const values = settingsFromEnv({
    TOKENLEDGER_BAGGAGE_KEYS: 'tenant.id, user.id,feature',
    TOKENLEDGER_BAGGAGE_HASH_KEYS: 'user.id',
    TOKENLEDGER_BACKEND_CONVENTIONS: 'langfuse,openinference',
  });
  assert.deepEqual(values.baggageKeys, ['tenant.id', 'user.id', 'feature']);
  assert.deepEqual(values.baggageHashKeys, ['user.id']);
  assert.deepEqual(values.backendConventions, ['langfuse', 'openinference']);
  assert.throws(
    () => settingsFromEnv({ TOKENLEDGER_BAGGAGE_KEYS: 'tenant.id,,feature' }),
    /TOKENLEDGER_BAGGAGE_KEYS must be comma-separated names, got "tenant.id,,feature"/,
  );
  assert.throws(() => settingsFromEnv({ TOKENLEDGER_BAGGAGE_KEYS: 'feature,feature' }), /TOKENLEDGER_BAGGAGE_KEYS names feature twice/);
  assert.throws(
    () => settingsFromEnv({ TOKENLEDGER_BACKEND_CONVENTIONS: 'datadog' }),
    /TOKENLEDGER_BACKEND_CONVENTIONS must list some of openinference, langfuse, got "datadog"/,
  );
  assert.throws(() => settingsFromEnv({ TOKENLEDGER_BAGGAGE_MAX_VALUES: '0' }), /TOKENLEDGER_BAGGAGE_MAX_VALUES must be a positive integer, got "0"/);
  assert.equal(TOKENLEDGER_SETTINGS.baggageMaxValues.default, DEFAULT_MAX_VALUES_PER_KEY);
  assert.equal(COLLECTOR_FLAGS.baggageMaxValues.default, DEFAULT_MAX_VALUES_PER_KEY);
});

test('settings: the processor rejects a hash key that is not copied, and an unknown backend convention', () => {
  assert.throws(
    () => new TokenledgerSpanProcessor({ attribution: { baggageKeys: ['tenant.id'], hashKeys: ['user.id'] } }),
    /baggage hash key user.id is not one of the baggage keys \(tenant.id\)/,
  );
  assert.throws(
    () => new TokenledgerSpanProcessor({ attribution: { baggageKeys: ['tenant.id'], maxValuesPerKey: 0 } }),
    /maxValuesPerKey must be a positive integer, got 0/,
  );
  assert.throws(
    () => new TokenledgerSpanProcessor({ backendConventions: ['datadog' as never] }),
    /backendConventions must list some of openinference, langfuse, got datadog/,
  );
  assert.throws(() => new TokenledgerSpanProcessor({ guardrails: { tenants: { key: '' } } }), /guardrails.tenants.key must name an attribution key/);
  assert.throws(
    () => new TokenledgerSpanProcessor({ guardrails: { tenants: { key: 'tenant.id', budgets: { acme: { maxUsd: -1 } } } } }),
    /guardrails.tenants.budgets.acme.maxUsd must be a positive number, got -1/,
  );
});

test("settings: each cost-lab command's table is in docs/cost-lab.md and in its --help", () => {
  const costLab = readDocs('cost-lab.md');
  for (const command of [REPORT_COMMAND, WHATIF_COMMAND, GATE_COMMAND]) {
    const help = commandHelp(command);
    assert.ok(help.startsWith(`usage: tokenledger ${command.name} `), command.name);
    for (const setting of commandSettings(command)) {
      assert.ok(costLab.includes(`| \`${setting.name}\` |`), `${command.name} ${setting.name} in docs/cost-lab.md`);
      assert.ok(help.includes(`  ${setting.name} `), `${command.name} ${setting.name} in --help`);
    }
  }
  assert.match(commandHelp(GATE_COMMAND), /--tolerance number ≥ 0 \(default 0\.2\)/);
});
