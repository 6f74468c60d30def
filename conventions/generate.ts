// Generates conventions/attributes.ts, conventions/token-types.ts and conventions/README.md from
// conventions/registry.yaml. `npm run conventions` writes them; test/conventions.test.ts fails when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface RegistryAttribute {
  name: string;
  group: string;
  type: 'string' | 'int' | 'double' | 'boolean' | 'string[]' | 'int[]';
  values?: string[];
  origin: 'genai' | 'otel' | 'tokenledger' | 'openinference' | 'langfuse' | 'baggage';
  requirement: 'required' | 'conditionally_required' | 'recommended' | 'opt_in';
  spans: string[];
  brief: string;
}

export interface RegistryMetric {
  name: string;
  instrument: 'counter' | 'histogram' | 'updowncounter';
  unit: string;
  origin: 'genai' | 'tokenledger';
  attributes: string[];
  brief: string;
}

export interface RegistryEvent {
  name: string;
  brief: string;
  attributes: string[];
}

/** One row of the token-type table: a part of a call's bill, or a subset of one. */
export interface RegistryTokenType {
  id: string;
  role: 'part' | 'subset';
  side: 'input' | 'output' | 'fees';
  /** For a subset: the part (or total) it is inside. */
  of?: string;
  brief: string;
  usage?: string;
  cost: string;
  run_usage?: string;
  run_cost: string;
  /** A genai-prices price key, `input_share` (its share of the input cost) or `fees` (per request and per search). */
  price: string;
  /** The part whose rate applies when the price entry has no `price` rate. */
  priced_as?: string;
  genai_metric?: string;
}

/** A sum of parts that spans carry too. */
export interface RegistryTokenTotal {
  id: string;
  parts: string[];
  usage?: string;
  legacy_usage?: string;
  run_usage?: string;
  cost?: string;
  run_cost?: string;
  genai_metric?: string;
}

export interface Registry {
  genai_conventions: { repository: string; mirrored: string; notes: string };
  groups: Array<{ id: string; title: string; brief: string }>;
  token_types: RegistryTokenType[];
  token_totals: RegistryTokenTotal[];
  attributes: RegistryAttribute[];
  events: RegistryEvent[];
  metrics: RegistryMetric[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
export const REGISTRY_PATH = `${here}registry.yaml`;
export const CONSTANTS_PATH = `${here}attributes.ts`;
export const TOKEN_TYPES_PATH = `${here}token-types.ts`;
export const DOC_PATH = `${here}README.md`;

const TYPES = new Set(['string', 'int', 'double', 'boolean', 'string[]', 'int[]']);
const ORIGINS = new Set(['genai', 'otel', 'tokenledger', 'openinference', 'langfuse', 'baggage']);
/**
 * Another project's names, written only on request: each origin's names keep to that project's namespaces, and are
 * opt-in on LLM call spans only (they repeat tokenledger's figures for a backend that reads nothing else).
 */
const FOREIGN_NAMESPACES: Record<string, readonly string[]> = { openinference: ['llm.', 'openinference.'], langfuse: ['langfuse.'] };
const REQUIREMENTS = new Set(['required', 'conditionally_required', 'recommended', 'opt_in']);
const INSTRUMENTS = new Set(['counter', 'histogram', 'updowncounter']);
/** The price keys of @pydantic/genai-prices' ModelPrice a token type may name, and our two rules. */
const PRICE_KEYS = new Set([
  'input_mtok',
  'cache_read_mtok',
  'cache_write_mtok',
  'cache_write_1h_mtok',
  'output_mtok',
  'output_reasoning_mtok',
  'input_share',
  'fees',
]);
const TOKEN_TYPE_ATTRIBUTE = 'tokenledger.token.type';

/** The registry as written, with the attributes its token types name added and `tokenledger.token.type`'s values set. */
export function loadRegistry(path = REGISTRY_PATH): Registry {
  return expandRegistry(parse(readFileSync(path, 'utf8')) as Registry);
}

export function expandRegistry(registry: Registry): Registry {
  const listed = new Set(registry.attributes.map((a) => a.name));
  const added: RegistryAttribute[] = [];
  const add = (name: string | undefined, make: () => Omit<RegistryAttribute, 'name'>) => {
    if (name === undefined || listed.has(name)) return;
    listed.add(name);
    added.push({ name, ...make() });
  };
  const parent = (row: RegistryTokenType) => (row.role === 'subset' ? ` ⊂ ${row.of}` : '');
  for (const row of registry.token_types) {
    const what = oneLine(row.brief);
    const relation = row.role === 'part' ? 'a part of the partition' : `a SUBSET of ${row.of}, never added on top`;
    add(row.usage, () => ({
      group: 'usage',
      type: 'int',
      origin: 'tokenledger',
      requirement: 'recommended',
      spans: ['llm'],
      brief: `Tokens of ${what}; ${relation}.`,
    }));
    add(row.cost, () => ({
      group: 'cost',
      type: 'double',
      origin: 'tokenledger',
      requirement: 'recommended',
      spans: ['llm'],
      brief: `USD for ${what}; ${relation}.`,
    }));
    add(row.run_usage, () => ({
      group: 'agent',
      type: 'int',
      origin: 'tokenledger',
      requirement: 'recommended',
      spans: ['agent'],
      brief: `The run's \`${row.id}\` tokens${parent(row)}, over its subtree; absent when a call left it unknown.`,
    }));
    add(row.run_cost, () => ({
      group: 'agent',
      type: 'double',
      origin: 'tokenledger',
      requirement: 'recommended',
      spans: ['agent'],
      brief: `The run's USD for \`${row.id}\`${parent(row)}, over its subtree.`,
    }));
  }
  const attributes = [...registry.attributes, ...added].map((a) =>
    a.name === TOKEN_TYPE_ATTRIBUTE ? { ...a, values: registry.token_types.map((row) => row.id) } : a,
  );
  return { ...registry, attributes };
}

/** Problems in the registry itself; an empty list means it is consistent. */
export function validateRegistry(registry: Registry): string[] {
  const problems: string[] = [];
  const groups = new Set(registry.groups.map((g) => g.id));
  const attributes = new Map<string, RegistryAttribute>();
  for (const a of registry.attributes) {
    if (attributes.has(a.name)) problems.push(`attribute ${a.name} is listed twice`);
    attributes.set(a.name, a);
    if (!TYPES.has(a.type)) problems.push(`attribute ${a.name}: unknown type ${a.type}`);
    if (!ORIGINS.has(a.origin)) problems.push(`attribute ${a.name}: unknown origin ${a.origin}`);
    if (!REQUIREMENTS.has(a.requirement)) problems.push(`attribute ${a.name}: unknown requirement ${a.requirement}`);
    if (!groups.has(a.group)) problems.push(`attribute ${a.name}: unknown group ${a.group}`);
    if (a.origin === 'tokenledger' && !a.name.startsWith('tokenledger.')) {
      problems.push(`attribute ${a.name}: our own names live under tokenledger.*`);
    }
    if (a.origin !== 'tokenledger' && a.name.startsWith('tokenledger.')) {
      problems.push(`attribute ${a.name}: tokenledger.* names must have origin tokenledger`);
    }
    const namespaces = FOREIGN_NAMESPACES[a.origin];
    if (namespaces !== undefined) {
      if (!namespaces.some((prefix) => a.name.startsWith(prefix)))
        problems.push(`attribute ${a.name}: ${a.origin} names live under ${namespaces.join(' or ')}`);
      if (a.requirement !== 'opt_in' || a.spans.join() !== 'llm') problems.push(`attribute ${a.name}: ${a.origin} names are opt-in, on LLM call spans only`);
    }
    if (a.origin === 'baggage' && (a.requirement !== 'opt_in' || a.name.startsWith('gen_ai.'))) {
      problems.push(`attribute ${a.name}: a baggage key is opt-in and never a GenAI name`);
    }
    if (a.values !== undefined && (a.type !== 'string' || a.values.length === 0)) problems.push(`attribute ${a.name}: values need type string`);
    if (!a.brief) problems.push(`attribute ${a.name}: no brief`);
    if (a.name.startsWith('tokenledger.run.') && !a.name.startsWith('tokenledger.run.usage.') && a.spans.includes('llm')) {
      problems.push(`attribute ${a.name}: run figures belong on run spans only`);
    }
  }
  const metricNames = new Set<string>();
  for (const m of registry.metrics) {
    if (metricNames.has(m.name)) problems.push(`metric ${m.name} is listed twice`);
    metricNames.add(m.name);
    if (!INSTRUMENTS.has(m.instrument)) problems.push(`metric ${m.name}: unknown instrument ${m.instrument}`);
    for (const attr of m.attributes) {
      if (!attributes.has(attr)) problems.push(`metric ${m.name}: attribute ${attr} is not in the registry`);
    }
  }
  for (const e of registry.events ?? []) {
    for (const attr of e.attributes) {
      if (!attributes.has(attr)) problems.push(`event ${e.name}: attribute ${attr} is not in the registry`);
    }
  }
  problems.push(...validateTokenTable(registry, attributes, metricNames));
  return problems;
}

function validateTokenTable(registry: Registry, attributes: Map<string, RegistryAttribute>, metrics: Set<string>): string[] {
  const problems: string[] = [];
  const rows = new Map(registry.token_types.map((row) => [row.id, row]));
  const totals = new Set(registry.token_totals.map((total) => total.id));
  const expect = (where: string, name: string | undefined, type: string, span: string) => {
    if (name === undefined) return;
    const a = attributes.get(name);
    if (!a) problems.push(`${where}: attribute ${name} is not in the registry`);
    else if (a.type !== type || !a.spans.includes(span)) problems.push(`${where}: ${name} must be a ${type} on ${span} spans`);
  };
  for (const row of registry.token_types) {
    const where = `token type ${row.id}`;
    if (row.role !== 'part' && row.role !== 'subset') problems.push(`${where}: role must be part or subset`);
    if (row.role === 'subset' && !rows.has(row.of ?? '') && !totals.has(row.of ?? '')) problems.push(`${where}: a subset names the part or total it is in`);
    if (row.side !== 'fees' && (!row.usage || !row.run_usage)) problems.push(`${where}: a token type has usage and run usage attributes`);
    if (!PRICE_KEYS.has(row.price)) problems.push(`${where}: unknown price key ${row.price}`);
    if (row.priced_as !== undefined && rows.get(row.priced_as)?.role !== 'part') problems.push(`${where}: priced_as names a part`);
    if (row.genai_metric !== undefined && !metrics.has(row.genai_metric)) problems.push(`${where}: metric ${row.genai_metric} is not in the registry`);
    expect(where, row.usage, 'int', 'llm');
    expect(where, row.cost, 'double', 'llm');
    expect(where, row.run_usage, 'int', 'agent');
    expect(where, row.run_cost, 'double', 'agent');
  }
  for (const total of registry.token_totals) {
    const where = `token total ${total.id}`;
    for (const part of total.parts) if (rows.get(part)?.role !== 'part') problems.push(`${where}: ${part} is not a part`);
    if (total.genai_metric !== undefined && !metrics.has(total.genai_metric)) problems.push(`${where}: metric ${total.genai_metric} is not in the registry`);
    expect(where, total.usage, 'int', 'llm');
    expect(where, total.legacy_usage, 'int', 'llm');
    expect(where, total.run_usage, 'int', 'agent');
    expect(where, total.cost, 'double', 'llm');
    expect(where, total.run_cost, 'double', 'agent');
  }
  return problems;
}

export function constantName(prefix: 'ATTR' | 'METRIC' | 'EVENT', name: string): string {
  return `${prefix}_${snake(name)}`;
}

/** `tokenledger.usage.unknown_reason` + `usage_missing` → `TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUE_USAGE_MISSING`. */
export function valueConstantName(attribute: string, value: string): string {
  return `${snake(attribute)}_VALUE_${snake(value)}`;
}

/** `tokenledger.usage.unknown_reason` → `TOKENLEDGER_USAGE_UNKNOWN_REASON_VALUES`, the list of its values. */
export function valuesConstantName(attribute: string): string {
  return `${snake(attribute)}_VALUES`;
}

/** `tokenledger.usage.unknown_reason` → `TokenledgerUsageUnknownReason`, the union of its values. */
export function valueTypeName(attribute: string): string {
  return attribute
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function snake(name: string): string {
  return name.replace(/[^a-zA-Z0-9]/g, '_').toUpperCase();
}

const GENERATED = 'Generated from conventions/registry.yaml by `npm run conventions` — do not edit.';

export function renderConstants(registry: Registry): string {
  const lines = [`// ${GENERATED}`, ''];
  lines.push('// Span and metric attribute names.');
  for (const a of registry.attributes) {
    lines.push(`/** ${oneLine(a.brief)} (${a.origin}, ${a.type}) */`);
    lines.push(`export const ${constantName('ATTR', a.name)} = '${a.name}';`);
  }
  lines.push('', '// The values of attributes with a closed set of values, and their union types.');
  for (const a of registry.attributes) {
    if (!a.values) continue;
    for (const value of a.values) {
      lines.push(`/** \`${a.name}\` = \`${value}\`. */`);
      lines.push(`export const ${valueConstantName(a.name, value)} = '${value}';`);
    }
    lines.push(`/** Every value of \`${a.name}\`. */`);
    lines.push(`export const ${valuesConstantName(a.name)} = [${a.values.map((value) => `'${value}'`).join(', ')}] as const;`);
    lines.push(`/** A value of \`${a.name}\`. */`);
    lines.push(`export type ${valueTypeName(a.name)} = (typeof ${valuesConstantName(a.name)})[number];`);
  }
  lines.push('', '// Span event names.');
  for (const e of registry.events ?? []) {
    lines.push(`/** ${oneLine(e.brief)} */`);
    lines.push(`export const ${constantName('EVENT', e.name)} = '${e.name}';`);
  }
  lines.push('', '// Metric names.');
  for (const m of registry.metrics) {
    lines.push(`/** ${oneLine(m.brief)} (${m.instrument}, ${m.unit}) */`);
    lines.push(`export const ${constantName('METRIC', m.name)} = '${m.name}';`);
  }
  lines.push('');
  return lines.join('\n');
}

/** conventions/token-types.ts: the token-type table as data, for the code to derive every projection from. */
export function renderTokenTypes(registry: Registry): string {
  const string = (value: string | undefined) => (value === undefined ? 'undefined' : `'${value}'`);
  const lines = [`// ${GENERATED}`, '//', '// The token types a call is billed for (see the `token_types` table of the registry).', ''];
  lines.push('/** One row of the token-type table: a thing a call is billed for, and the names it goes by. */');
  lines.push('export interface TokenTypeRow {');
  lines.push('  /** The id, also the `tokenledger.token.type` value of its metric series. */');
  lines.push('  readonly id: string;');
  lines.push('  /** `part`: the parts add up to the bill; `subset`: inside a part, never added on top. */');
  lines.push("  readonly role: 'part' | 'subset';");
  lines.push('  /** Whether it is billed as input, as output, or as a fee per request. */');
  lines.push("  readonly side: 'input' | 'output' | 'fees';");
  lines.push('  /** For a subset: the part or total it is inside. */');
  lines.push('  readonly of: string | undefined;');
  lines.push('  /** The call span attribute of its token count (none for fees). */');
  lines.push('  readonly usageAttribute: string | undefined;');
  lines.push('  /** The call span attribute of its cost, in USD. */');
  lines.push('  readonly costAttribute: string;');
  lines.push('  /** The run span attribute of its token count over the run (none for fees). */');
  lines.push('  readonly runUsageAttribute: string | undefined;');
  lines.push('  /** The run span attribute of its cost over the run, in USD. */');
  lines.push('  readonly runCostAttribute: string;');
  lines.push('  /** A genai-prices price key, `input_share` or `fees`. */');
  lines.push('  readonly price: string;');
  lines.push('  /** The part whose rate applies when the price entry has no rate for `price`. */');
  lines.push('  readonly pricedAs: string | undefined;');
  lines.push("  /** The GenAI conventions' metric of its tokens, where there is one. */");
  lines.push('  readonly genaiMetric: string | undefined;');
  lines.push('}', '');
  lines.push("/** The token-type table, the registry's `token_types`: the parts of a bill, then the subsets inside them. */");
  lines.push('export const TOKEN_TYPES = [');
  for (const row of registry.token_types) {
    lines.push(
      `  { id: '${row.id}', role: '${row.role}', side: '${row.side}', of: ${string(row.of)}, usageAttribute: ${string(row.usage)}, ` +
        `costAttribute: '${row.cost}', runUsageAttribute: ${string(row.run_usage)}, runCostAttribute: '${row.run_cost}', ` +
        `price: '${row.price}', pricedAs: ${string(row.priced_as)}, genaiMetric: ${string(row.genai_metric)} },`,
    );
  }
  lines.push('] as const satisfies readonly TokenTypeRow[];', '');
  lines.push('/** The id of a token type. */');
  lines.push("export type TokenTypeId = (typeof TOKEN_TYPES)[number]['id'];");
  lines.push('');
  lines.push("/** A sum of parts that spans carry beside the parts themselves (the registry's `token_totals`). */");
  lines.push('export interface TokenTotalRow {');
  lines.push('  /** The id of the total. */');
  lines.push('  readonly id: string;');
  lines.push('  /** The token types it adds up. */');
  lines.push('  readonly parts: readonly string[];');
  lines.push('  /** The call span attribute of its token count. */');
  lines.push('  readonly usageAttribute: string | undefined;');
  lines.push('  /** The same figure under a name older consumers read (written on request). */');
  lines.push('  readonly legacyUsageAttribute: string | undefined;');
  lines.push('  /** The run span attribute of its token count over the run. */');
  lines.push('  readonly runUsageAttribute: string | undefined;');
  lines.push('  /** The call span attribute of its cost, in USD. */');
  lines.push('  readonly costAttribute: string | undefined;');
  lines.push('  /** The run span attribute of its cost over the run, in USD. */');
  lines.push('  readonly runCostAttribute: string | undefined;');
  lines.push("  /** The GenAI conventions' metric of its tokens, where there is one. */");
  lines.push('  readonly genaiMetric: string | undefined;');
  lines.push('}', '');
  lines.push("/** The totals, the registry's `token_totals`: each the sum of its parts. */");
  lines.push('export const TOKEN_TOTALS = [');
  for (const total of registry.token_totals) {
    lines.push(
      `  { id: '${total.id}', parts: [${total.parts.map((part) => `'${part}'`).join(', ')}], usageAttribute: ${string(total.usage)}, ` +
        `legacyUsageAttribute: ${string(total.legacy_usage)}, runUsageAttribute: ${string(total.run_usage)}, ` +
        `costAttribute: ${string(total.cost)}, runCostAttribute: ${string(total.run_cost)}, genaiMetric: ${string(total.genai_metric)} },`,
    );
  }
  lines.push('] as const satisfies readonly TokenTotalRow[];', '');
  return lines.join('\n');
}

export function renderDoc(registry: Registry): string {
  const out: string[] = [];
  out.push(`<!-- ${GENERATED} -->`, '');
  out.push('# tokenledger semantic conventions', '');
  out.push(
    'Every span attribute and metric tokenledger emits. Names from the OpenTelemetry GenAI conventions',
    `(\`${registry.genai_conventions.repository}\`, mirrored: ${registry.genai_conventions.mirrored}) are reused`,
    'with their exact meaning (origin `genai`); our own names live under `tokenledger.*` (origin `tokenledger`).',
    'Names of OpenInference and Langfuse (origins `openinference`, `langfuse`) are written only on request, with those',
    "projects' meaning; attribution keys (origin `baggage`) are names the app chooses.",
    oneLine(registry.genai_conventions.notes),
    '',
    'The TypeScript constants are in `conventions/attributes.ts` (`ATTR_*`, `METRIC_*`, `EVENT_*`, and `*_VALUE_*` for',
    'attribute values), exported by `tokenledger/conventions`; the token-type table is `conventions/token-types.ts`.',
    '',
  );
  out.push('## Token types', '');
  out.push(
    'One row per thing a call is billed for. The parts are a partition: they add up to all input + all output, and',
    'their costs add up to `tokenledger.cost.usd`; each is a `tokenledger.token.type` value of `tokenledger.tokens` and',
    '`tokenledger.cost`. Subsets are inside a part and are counted apart (`tokenledger.tokens.subset`,',
    '`tokenledger.cost.subset`). A part with no rate of its own in the price entry takes the rate of the part in the',
    '"priced as" column.',
    '',
  );
  out.push('| type | role | usage on the call span | cost on the call span | on the run span | price key | priced as |', '|---|---|---|---|---|---|---|');
  for (const row of registry.token_types) {
    const role = row.role === 'part' ? 'part' : `subset of ${row.of}`;
    const run = [row.run_usage, row.run_cost]
      .filter(Boolean)
      .map((name) => `\`${name}\``)
      .join(', ');
    out.push(`| \`${row.id}\` | ${role} | ${row.usage ? `\`${row.usage}\`` : '—'} | \`${row.cost}\` | ${run} | \`${row.price}\` | ${row.priced_as ?? '—'} |`);
  }
  out.push('');
  out.push('| total | sum of | on the call span | on the run span |', '|---|---|---|---|');
  for (const total of registry.token_totals) {
    const call = [total.usage, total.cost]
      .filter(Boolean)
      .map((name) => `\`${name}\``)
      .join(', ');
    const run = [total.run_usage, total.run_cost]
      .filter(Boolean)
      .map((name) => `\`${name}\``)
      .join(', ');
    out.push(`| ${total.id} | ${total.parts.join(' + ')} | ${call} | ${run} |`);
  }
  out.push('');
  for (const group of registry.groups) {
    const attrs = registry.attributes.filter((a) => a.group === group.id);
    if (attrs.length === 0) continue;
    out.push(`## ${group.title}`, '', oneLine(group.brief), '');
    out.push('| attribute | type | origin | requirement | on spans | meaning |', '|---|---|---|---|---|---|');
    for (const a of attrs) {
      const spans = a.spans.length > 0 ? a.spans.join(', ') : 'metrics only';
      const values = a.values ? ` Values: ${a.values.map((v) => `\`${v}\``).join(', ')}.` : '';
      out.push(`| \`${a.name}\` | ${a.type} | ${a.origin} | ${a.requirement} | ${spans} | ${cell(a.brief)}${values} |`);
    }
    out.push('');
  }
  out.push('## Span events', '');
  out.push('| event | attributes | meaning |', '|---|---|---|');
  for (const e of registry.events ?? []) {
    out.push(`| \`${e.name}\` | ${e.attributes.map((a) => `\`${a}\``).join(', ')} | ${cell(e.brief)} |`);
  }
  out.push('');
  out.push('## Metrics', '');
  out.push(
    'The token, cost and run metrics (`tokenledger.tokens`, `.tokens.subset`, `.cost`, `.cost.subset`, `tokenledger.runs` and',
    'the `tokenledger.run.*` histograms) also carry the attribution keys TOKENLEDGER_BAGGAGE_KEYS names, as labels.',
    '',
  );
  out.push('| metric | instrument | unit | origin | attributes | meaning |', '|---|---|---|---|---|---|');
  for (const m of registry.metrics) {
    const attrs = m.attributes.map((a) => `\`${a}\``).join(', ');
    out.push(`| \`${m.name}\` | ${m.instrument} | \`${m.unit}\` | ${m.origin} | ${attrs} | ${cell(m.brief)} |`);
  }
  out.push('');
  return out.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function main(): void {
  const registry = loadRegistry();
  const problems = validateRegistry(registry);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  writeFileSync(CONSTANTS_PATH, renderConstants(registry));
  writeFileSync(TOKEN_TYPES_PATH, renderTokenTypes(registry));
  writeFileSync(DOC_PATH, renderDoc(registry));
  console.log(`wrote ${CONSTANTS_PATH}, ${TOKEN_TYPES_PATH} and ${DOC_PATH}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
