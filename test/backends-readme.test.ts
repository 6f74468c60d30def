// The README's Backends section names every query, alert and dashboard the project ships, so neither drifts from the
// other (what each does is tested by clickhouse.e2e, alert-rules and prometheus.e2e).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const section = /\n## Backends\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

test('README backends: the section exists and names every ClickHouse query file', () => {
  assert.ok(section.length > 0, 'README has a "## Backends" section');
  const files = readdirSync(new URL('queries/clickhouse/', root)).filter((name) => name.endsWith('.sql'));
  assert.deepEqual(files.filter((file) => !section.includes(`\`${file}\``)), []);
});

test('README backends: every alert of alerts/tokenledger.rules.yml is in the alert table', () => {
  const rules = parse(readFileSync(new URL('alerts/tokenledger.rules.yml', root), 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string }> }> };
  const alerts = rules.groups.flatMap((group) => group.rules.flatMap((rule) => (rule.alert ? [rule.alert] : [])));
  assert.equal(alerts.length, 7);
  assert.deepEqual(alerts.filter((alert) => !section.includes(`\`${alert}\``)), []);
});

test('README backends: the dashboard file it links exists and is the "Token budget" dashboard', () => {
  assert.match(section, /\(dashboards\/token-budget\.json\)/);
  const dashboard = JSON.parse(readFileSync(new URL('dashboards/token-budget.json', root), 'utf8')) as { title: string };
  assert.equal(dashboard.title, 'Token budget');
});
