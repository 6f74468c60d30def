// `tokenledger whatif`: its flags (the one table: parsing, --help and docs/cost-lab.md come from it).
import type { CommandSpec } from '../../config/command-line.ts';
import { booleanSetting, choiceSetting, positiveSetting, stringSetting } from '../../config/setting.ts';
import { READING_FLAGS } from '../recording/reading-settings.ts';

export const LEVER_FLAGS = {
  model: stringSetting('--model', 'name', "price the same tokens as this model; `provider/model` for another provider's (`openai/gpt-5.5`)"),
  cachePrefix: booleanSetting(
    '--cache-prefix',
    false,
    "serve each call's stable prompt prefix (system prompt + tools, by its fingerprint) from the cache, by the calls' timing against the TTL",
  ),
  batch: booleanSetting('--batch', false, "bill every call at its provider's batch rate"),
  cacheTtl: choiceSetting('--cache-ttl', ['5m', '1h'] as const, undefined, 'write the cache with this TTL (with `--cache-prefix`, the TTL it caches with)'),
  maxOutputTokens: positiveSetting('--max-output-tokens', true, undefined, "cap every call's output at this many tokens"),
};

export const WHATIF_FLAGS = {
  ...LEVER_FLAGS,
  runs: positiveSetting('--runs', true, 10, 'tasks listed with their savings, the costliest first'),
  json: booleanSetting('--json', false, 'print every lever and every run as JSON'),
  ...READING_FLAGS,
};

export const WHATIF_COMMAND: CommandSpec<typeof WHATIF_FLAGS> = {
  name: 'whatif',
  usage: 'tokenledger whatif <files…> [--model NAME] [--cache-prefix] [--batch] [--cache-ttl 5m|1h] [--max-output-tokens N] [--json]',
  summary:
    'Re-prices every recorded call under a lever, with the same price data and overrides as the processor, and prints the saving in total, per task and per run. Tokens are held constant: a lever re-prices the tokens the calls used, it does not run them again. With no lever flag, every lever, ranked by saving (output capped at the 90th percentile of recorded output); with several, each and all together.',
  flags: WHATIF_FLAGS,
};
