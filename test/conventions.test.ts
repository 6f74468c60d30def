// The registry is the one source of names: the generated constants and doc must match it, and every
// attribute name the code writes must be in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CONSTANTS_PATH,
  DOC_PATH,
  loadRegistry,
  renderConstants,
  renderDoc,
  renderTokenTypes,
  TOKEN_TYPES_PATH,
  validateRegistry,
} from '../conventions/generate.ts';
import { VERSION } from '../base/version.ts';
import { sourceFiles } from './source-files.ts';

const registry = loadRegistry();

test('conventions: the registry is consistent', () => {
  assert.deepEqual(validateRegistry(registry), []);
});

test('conventions: attributes.ts is generated from the registry (run `npm run conventions`)', () => {
  assert.equal(readFileSync(CONSTANTS_PATH, 'utf8'), renderConstants(registry));
});

test('conventions: token-types.ts is generated from the registry (run `npm run conventions`)', () => {
  assert.equal(readFileSync(TOKEN_TYPES_PATH, 'utf8'), renderTokenTypes(registry));
});

test('conventions: README.md is generated from the registry (run `npm run conventions`)', () => {
  assert.equal(readFileSync(DOC_PATH, 'utf8'), renderDoc(registry));
});

test('conventions: run totals are never written under gen_ai.usage.* on run spans', () => {
  const onRuns = registry.attributes.filter((a) => a.spans.includes('agent') && a.name.startsWith('gen_ai.usage.'));
  assert.deepEqual(onRuns, []);
});

test('conventions: the code writes attribute names only through the generated constants', () => {
  // A name as a whole string literal is a name written; inside a longer string (a table's prose) it is documentation.
  const literal = /(['"])((?:gen_ai|tokenledger)\.[a-z0-9_.]+)\1/g;
  const offenders: string[] = [];
  for (const file of sourceFiles(['base', 'instrumentation', 'ledger', 'runs', 'span-ledger', 'metrics', 'processor', 'collector', 'cli', 'setup'])) {
    if (file.endsWith('ledger/foreign-names.ts')) continue; // names of other conventions, read only
    for (const line of codeLines(readFileSync(file, 'utf8'))) {
      for (const match of line.matchAll(literal)) offenders.push(`${file}: ${match[2]}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('package: the instrumentation scope version is the package version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});

/** Source lines without comments, where names in backticks are prose, not attributes written. */
function codeLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, ''))
    .filter((line) => !/^\s*(\*|\/\*)/.test(line));
}

test('package: the names are in tokenledger/conventions, and the root export stays small', async () => {
  // The built package, by its own name (`npm test` builds before it tests; typecheck runs before the build).
  const load = (specifier: string) => import(specifier) as Promise<Record<string, unknown>>;
  const conventions = await load('tokenledger/conventions');
  assert.equal(conventions.ATTR_TOKENLEDGER_RUN_NESTED, 'tokenledger.run.nested');
  assert.equal((conventions.TOKEN_TYPES as unknown[]).length, registry.token_types.length);
  const root = await load('tokenledger');
  assert.equal(
    Object.keys(root).some((name) => name.startsWith('ATTR_') || name.startsWith('METRIC_')),
    false,
  );
});

test("conventions: tokenledger.token.type takes exactly the token-type table's ids, parts and subsets alike", () => {
  const values = registry.attributes.find((a) => a.name === 'tokenledger.token.type')?.values;
  assert.deepEqual(values, ['uncached_input', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output', 'request_fees', 'reasoning', 'tool_result']);
  const parts = registry.token_types.filter((row) => row.role === 'part').map((row) => row.id);
  const input = registry.token_totals.find((total) => total.id === 'input')!.parts;
  const cost = registry.token_totals.find((total) => total.id === 'cost')!.parts;
  assert.deepEqual(cost, parts, 'the cost total is the sum of every part');
  assert.deepEqual(
    input,
    parts.filter((id) => registry.token_types.find((row) => row.id === id)!.side === 'input'),
  );
});

test('conventions: names of other projects keep to their namespaces and are opt-in on LLM call spans only', () => {
  const attribute = (name: string, origin: string, spans = ['llm'], requirement = 'opt_in') =>
    ({ name, group: 'backend', type: 'int', origin, requirement, spans, brief: 'x' }) as (typeof registry.attributes)[number];
  const withAttributes = (...extra: (typeof registry.attributes)[number][]) => ({ ...registry, attributes: [...registry.attributes, ...extra] });
  assert.deepEqual(validateRegistry(withAttributes(attribute('llm.token_count.audio', 'openinference'))), []);
  assert.deepEqual(validateRegistry(withAttributes(attribute('gen_ai.token_count.x', 'openinference'))), [
    'attribute gen_ai.token_count.x: openinference names live under llm. or openinference.',
  ]);
  assert.deepEqual(validateRegistry(withAttributes(attribute('langfuse.observation.x', 'langfuse', ['agent']))), [
    'attribute langfuse.observation.x: langfuse names are opt-in, on LLM call spans only',
  ]);
  assert.deepEqual(validateRegistry(withAttributes(attribute('team', 'baggage', ['llm'], 'recommended'))), [
    'attribute team: a baggage key is opt-in and never a GenAI name',
  ]);
  assert.deepEqual(validateRegistry(withAttributes(attribute('x.y', 'vendor'))), ['attribute x.y: unknown origin vendor']);
});
