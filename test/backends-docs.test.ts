// docs/backends.md names every query, alert and dashboard the project ships, so neither drifts from the other (what
// each does is tested by clickhouse.e2e, alert-rules and prometheus.e2e).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

const root = new URL('../', import.meta.url);
const backends = readFileSync(new URL('docs/backends.md', root), 'utf8');

test('docs backends: the page names every ClickHouse query file', () => {
  const files = readdirSync(new URL('queries/clickhouse/', root)).filter((name) => name.endsWith('.sql'));
  assert.deepEqual(
    files.filter((file) => !backends.includes(`\`${file}\``)),
    [],
  );
});

test('docs backends: every alert of alerts/tokenledger.rules.yml is in the alert table', () => {
  const rules = parse(readFileSync(new URL('alerts/tokenledger.rules.yml', root), 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string }> }> };
  const alerts = rules.groups.flatMap((group) => group.rules.flatMap((rule) => (rule.alert ? [rule.alert] : [])));
  assert.equal(alerts.length, 7);
  assert.deepEqual(
    alerts.filter((alert) => !backends.includes(`\`${alert}\``)),
    [],
  );
});

test('docs backends: the dashboard file it links exists and is the "Token budget" dashboard', () => {
  assert.match(backends, /\(\.\.\/dashboards\/token-budget\.json\)/);
  const dashboard = JSON.parse(readFileSync(new URL('dashboards/token-budget.json', root), 'utf8')) as { title: string };
  assert.equal(dashboard.title, 'Token budget');
});
