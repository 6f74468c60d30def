// User price data: a JSON or YAML file (TOKENLEDGER_PRICES) or the same object passed in code. `providers`
// uses @pydantic/genai-prices' own Provider schema, so its docs apply and a corrected entry can go upstream;
// `modifiers` scale token charges for batch or service tiers (see modifiers.ts). Overrides win over the
// bundled data. Everything is checked when loaded, with messages that name the entry at fault.
import { readFileSync } from 'node:fs';
import type { Provider } from '@pydantic/genai-prices';
import { packageRequire } from '../../package-require.cjs';
import { genaiPrices } from './genai-prices.ts';
import type { PriceModifier } from './modifiers.ts';

/** Price overrides, in code or in the TOKENLEDGER_PRICES file: they win over the bundled price data. */
export interface PriceOverrides {
  /** Recorded as `tokenledger.cost.data_version` on calls these prices priced. */
  version?: string;
  /** Providers in `@pydantic/genai-prices`' own schema (USD per million tokens), matched before the bundled ones. */
  providers?: Provider[];
  /** Multipliers on a call's token charges, first match wins, before the default ones. */
  modifiers?: PriceModifier[];
}

export function loadPriceOverridesFile(path: string): PriceOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`price overrides ${path}: cannot read the file (${(error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = parseJsonOrYaml(text);
  } catch (error) {
    throw new Error(`price overrides ${path}: not valid JSON or YAML (${(error as Error).message})`);
  }
  return validatePriceOverrides(raw, path);
}

/** JSON first; the YAML parser (a superset of JSON) is loaded only for a file that is not JSON. */
function parseJsonOrYaml(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const { parse } = packageRequire('yaml') as typeof import('yaml');
    return parse(text);
  }
}

const PROBE_USAGE = { input_tokens: 1000, output_tokens: 100 };

export function validatePriceOverrides(raw: unknown, source = 'price overrides'): PriceOverrides {
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('expected an object with `providers` and/or `modifiers`');
  const input = raw as Record<string, unknown>;
  const version = input.version === undefined ? undefined : String(input.version);
  const providers: Provider[] = [];
  if (input.providers !== undefined) {
    if (!Array.isArray(input.providers)) fail('`providers` must be a list');
    (input.providers as unknown[]).forEach((entry, index) => {
      providers.push(validateProvider(entry, `providers[${index}]`, fail));
    });
  }
  const modifiers: PriceModifier[] = [];
  if (input.modifiers !== undefined) {
    if (!Array.isArray(input.modifiers)) fail('`modifiers` must be a list');
    (input.modifiers as unknown[]).forEach((entry, index) => {
      modifiers.push(validateModifier(entry, `modifiers[${index}]`, fail));
    });
  }
  return { version, providers, modifiers };
}

function validateProvider(entry: unknown, where: string, fail: (message: string) => never): Provider {
  if (typeof entry !== 'object' || entry === null) fail(`${where} must be an object`);
  const provider = { name: '', api_pattern: '$^', ...(entry as object) } as Provider;
  if (typeof provider.id !== 'string' || provider.id === '') fail(`${where}.id must be a provider id such as "anthropic"`);
  if (!Array.isArray(provider.models)) fail(`${where}.models must be a list`);
  provider.models.forEach((model, index) => {
    const at = `${where}.models[${index}]`;
    if (typeof model?.id !== 'string') fail(`${at}.id must be a string`);
    if (typeof model.match !== 'object' || model.match === null) fail(`${at} (${model.id}).match must be a match clause such as {"equals": "${model.id}"}`);
    if (typeof model.prices !== 'object' || model.prices === null) fail(`${at} (${model.id}).prices must be an object of USD per million tokens`);
    let priced: ReturnType<ReturnType<typeof genaiPrices>['calcPrice']> | undefined;
    try {
      priced = genaiPrices().calcPrice(PROBE_USAGE, model.id, { provider });
    } catch (error) {
      fail(`${at} (${model.id}): ${(error as Error).message}`);
    }
    if (!priced) fail(`${at} (${model.id}): its match clause does not match its own id`);
  });
  return provider;
}

function validateModifier(entry: unknown, where: string, fail: (message: string) => never): PriceModifier {
  if (typeof entry !== 'object' || entry === null) fail(`${where} must be an object`);
  const modifier = entry as PriceModifier;
  if (typeof modifier.multiplier !== 'number' || !Number.isFinite(modifier.multiplier) || modifier.multiplier < 0) {
    fail(`${where}.multiplier must be a non-negative number`);
  }
  if (typeof modifier.when !== 'object' || modifier.when === null) fail(`${where}.when must be an object`);
  return modifier;
}

/** Code-given prices win over the file's, which win over the bundled data. */
export function mergePriceOverrides(file: PriceOverrides | undefined, code: PriceOverrides | undefined): PriceOverrides | undefined {
  if (!file) return code;
  if (!code) return file;
  return {
    version: code.version ?? file.version,
    providers: [...(code.providers ?? []), ...(file.providers ?? [])],
    modifiers: [...(code.modifiers ?? []), ...(file.modifiers ?? [])],
  };
}
