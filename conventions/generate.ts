// Generates conventions/attributes.ts and conventions/README.md from conventions/registry.yaml.
// `npm run conventions` writes them; test/conventions.test.ts fails when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface RegistryAttribute {
  name: string;
  group: string;
  type: 'string' | 'int' | 'double' | 'boolean' | 'string[]' | 'int[]';
  origin: 'genai' | 'otel' | 'tokenledger';
  requirement: 'required' | 'conditionally_required' | 'recommended' | 'opt_in';
  spans: string[];
  since_issue: number;
  brief: string;
}

export interface RegistryMetric {
  name: string;
  instrument: 'counter' | 'histogram' | 'updowncounter';
  unit: string;
  origin: 'genai' | 'tokenledger';
  since_issue: number;
  attributes: string[];
  brief: string;
}

export interface RegistryEvent {
  name: string;
  brief: string;
  attributes: string[];
}

export interface Registry {
  genai_conventions: { repository: string; mirrored: string; notes: string };
  groups: Array<{ id: string; title: string; brief: string }>;
  attributes: RegistryAttribute[];
  events: RegistryEvent[];
  metrics: RegistryMetric[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
export const REGISTRY_PATH = `${here}registry.yaml`;
export const CONSTANTS_PATH = `${here}attributes.ts`;
export const DOC_PATH = `${here}README.md`;

const TYPES = new Set(['string', 'int', 'double', 'boolean', 'string[]', 'int[]']);
const ORIGINS = new Set(['genai', 'otel', 'tokenledger']);
const REQUIREMENTS = new Set(['required', 'conditionally_required', 'recommended', 'opt_in']);
const INSTRUMENTS = new Set(['counter', 'histogram', 'updowncounter']);

export function loadRegistry(path = REGISTRY_PATH): Registry {
  return parse(readFileSync(path, 'utf8')) as Registry;
}

/** Problems in the registry itself; an empty list means it is consistent. */
export function validateRegistry(registry: Registry): string[] {
  const problems: string[] = [];
  const groups = new Set(registry.groups.map((g) => g.id));
  const seen = new Set<string>();
  for (const a of registry.attributes) {
    if (seen.has(a.name)) problems.push(`attribute ${a.name} is listed twice`);
    seen.add(a.name);
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
    if (!a.brief) problems.push(`attribute ${a.name}: no brief`);
  }
  const metricNames = new Set<string>();
  for (const m of registry.metrics) {
    if (metricNames.has(m.name)) problems.push(`metric ${m.name} is listed twice`);
    metricNames.add(m.name);
    if (!INSTRUMENTS.has(m.instrument)) problems.push(`metric ${m.name}: unknown instrument ${m.instrument}`);
    for (const attr of m.attributes) {
      if (!seen.has(attr)) problems.push(`metric ${m.name}: attribute ${attr} is not in the registry`);
    }
  }
  for (const e of registry.events ?? []) {
    for (const attr of e.attributes) {
      if (!seen.has(attr)) problems.push(`event ${e.name}: attribute ${attr} is not in the registry`);
    }
  }
  for (const a of registry.attributes) {
    if (a.name.startsWith('tokenledger.run.usage.') || !a.name.startsWith('tokenledger.run.')) continue;
    if (a.spans.includes('llm')) problems.push(`attribute ${a.name}: run figures belong on run spans only`);
  }
  return problems;
}

export function constantName(prefix: 'ATTR' | 'METRIC' | 'EVENT', name: string): string {
  return `${prefix}_${name.replace(/[.\[\]]/g, '_').toUpperCase()}`;
}

const GENERATED = 'Generated from conventions/registry.yaml by `npm run conventions` — do not edit.';

export function renderConstants(registry: Registry): string {
  const lines = [`// ${GENERATED}`, ''];
  lines.push('// Span and metric attribute names.');
  for (const a of registry.attributes) {
    lines.push(`/** ${oneLine(a.brief)} (${a.origin}, ${a.type}) */`);
    lines.push(`export const ${constantName('ATTR', a.name)} = '${a.name}';`);
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

export function renderDoc(registry: Registry): string {
  const out: string[] = [];
  out.push(`<!-- ${GENERATED} -->`, '');
  out.push('# tokenledger semantic conventions', '');
  out.push(
    'Every span attribute and metric tokenledger emits. Names from the OpenTelemetry GenAI conventions',
    `(\`${registry.genai_conventions.repository}\`, mirrored ${registry.genai_conventions.mirrored}) are reused`,
    'with their exact meaning (origin `genai`); our own names live under `tokenledger.*` (origin `tokenledger`).',
    oneLine(registry.genai_conventions.notes),
    '',
    'The TypeScript constants are in `conventions/attributes.ts` (`ATTR_*`, `METRIC_*`), exported by `tokenledger`.',
    '',
  );
  out.push('## How the token types add up', '');
  out.push(
    '```',
    'gen_ai.usage.input_tokens  = tokenledger.usage.uncached.input_tokens',
    '                           + gen_ai.usage.cache_read.input_tokens',
    '                           + gen_ai.usage.cache_write.input_tokens',
    'gen_ai.usage.cache_write.input_tokens = tokenledger.usage.cache_write.ttl_5m.input_tokens',
    '                                      + tokenledger.usage.cache_write.ttl_1h.input_tokens',
    'gen_ai.usage.reasoning.output_tokens   ⊂ gen_ai.usage.output_tokens',
    'tokenledger.usage.tool_result.input_tokens ⊂ gen_ai.usage.input_tokens   (estimated)',
    '',
    'tokenledger.cost.usd = cost.uncached_input + cost.cache_read + cost.cache_write.ttl_5m',
    '                     + cost.cache_write.ttl_1h + cost.output + cost.request_fees',
    'cost.reasoning ⊂ cost.output        cost.tool_result ⊂ input costs',
    '```',
    '',
  );
  for (const group of registry.groups) {
    const attrs = registry.attributes.filter((a) => a.group === group.id);
    if (attrs.length === 0) continue;
    out.push(`## ${group.title}`, '', oneLine(group.brief), '');
    out.push('| attribute | type | origin | requirement | on spans | meaning |', '|---|---|---|---|---|---|');
    for (const a of attrs) {
      const spans = a.spans.length > 0 ? a.spans.join(', ') : 'metrics only';
      out.push(`| \`${a.name}\` | ${a.type} | ${a.origin} | ${a.requirement} | ${spans} | ${cell(a.brief)} |`);
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
  writeFileSync(DOC_PATH, renderDoc(registry));
  console.log(`wrote ${CONSTANTS_PATH} and ${DOC_PATH}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
