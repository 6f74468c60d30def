// `tokenledger reconcile`: its flags (the one table: parsing, --help and the docs come from it).
import { booleanSetting, choiceSetting, fractionSetting, stringSetting } from '../../config/setting.ts';
import { pathListSetting, type CommandSpec } from '../../config/command-line.ts';
import { READING_FLAGS } from '../recording/reading-settings.ts';

export const DEFAULT_TOLERANCE_PCT = 2;

/** The bill's files, shared with `tokenledger report`'s reconcile section. */
export const BILL_FLAGS = {
  openaiUsage: pathListSetting('--openai-usage', 'saved pages of OpenAI `GET /v1/organization/usage/completions` (one page, or a JSON array of pages)'),
  openaiCosts: pathListSetting('--openai-costs', 'saved pages of OpenAI `GET /v1/organization/costs` (`amount.value` in dollars)'),
  anthropicUsage: pathListSetting('--anthropic-usage', 'saved pages of Anthropic `GET /v1/organizations/usage_report/messages` or `/analytics/usage`'),
  anthropicCosts: pathListSetting(
    '--anthropic-costs',
    'saved pages of Anthropic `GET /v1/organizations/cost_report` or `/analytics/cost` (`amount` in cents, as a decimal string)',
  ),
  focus: pathListSetting('--focus', "FOCUS 1.2+ CSV exports of a cloud bill (Bedrock, Azure OpenAI, Vertex AI): the AI services' token charges are read"),
};

export const RECONCILE_FLAGS = {
  ...BILL_FLAGS,
  fetch: choiceSetting(
    '--fetch',
    ['openai', 'anthropic'] as const,
    undefined,
    "fetch the provider's usage and cost reports for `--from` … `--to` with the admin key in `OPENAI_ADMIN_KEY` / `ANTHROPIC_ADMIN_KEY`, every page, and save them beside the result",
  ),
  from: stringSetting('--from', 'YYYY-MM-DD', 'the first UTC day to fetch'),
  to: stringSetting('--to', 'YYYY-MM-DD', 'the last UTC day to fetch (inclusive)'),
  saveTo: stringSetting('--save-to', 'directory', 'where fetched pages are saved (default `tokenledger-bill-<provider>-<from>-<to>`)'),
  json: booleanSetting('--json', false, `print one JSON object (schema \`tokenledger.reconcile/1\`) instead of the tables`),
  tolerance: fractionSetting(
    '--tolerance',
    DEFAULT_TOLERANCE_PCT,
    'percent: exit 1 when a provider-day differs from the bill by more than this share of the bill',
  ),
  writePrices: stringSetting(
    '--write-prices',
    'path',
    "write the rates the bill charges where they differ from tokenledger's (price drift, unpriced cache writes) as a `TOKENLEDGER_PRICES` overrides file, each rate with where it came from",
  ),
  ...READING_FLAGS,
};

export const RECONCILE_COMMAND: CommandSpec<typeof RECONCILE_FLAGS> = {
  name: 'reconcile',
  usage:
    'tokenledger reconcile <recordings…> [--openai-usage F…] [--openai-costs F…] [--anthropic-usage F…] [--anthropic-costs F…] [--focus F…] [--fetch openai|anthropic --from DAY --to DAY] [--json] [--tolerance 2] [--write-prices FILE]',
  summary:
    "Puts recorded telemetry beside the provider's usage and cost reports, per provider × UTC day × model × token type, and explains every difference with a reason code and the dollars it explains (unattributed requests, streams without usage, calls telemetry could not price, batch, service tier, long context, regional inference, server-tool fees, unpriced cache writes, cache-write TTL, day boundaries, price drift) and what remains unexplained.",
  flags: RECONCILE_FLAGS,
  variables: [
    { name: 'OPENAI_ADMIN_KEY', type: 'secret', default: '—', meaning: 'the OpenAI admin key `--fetch openai` uses (only from the environment, never a flag)' },
    { name: 'ANTHROPIC_ADMIN_KEY', type: 'secret', default: '—', meaning: 'the Anthropic admin key `--fetch anthropic` uses (only from the environment)' },
    {
      name: 'OPENAI_ADMIN_BASE_URL',
      type: 'URL',
      default: '`https://api.openai.com`',
      meaning: 'where `--fetch openai` sends its requests (a proxy, or a test server)',
    },
    { name: 'ANTHROPIC_ADMIN_BASE_URL', type: 'URL', default: '`https://api.anthropic.com`', meaning: 'where `--fetch anthropic` sends its requests' },
  ],
  epilogue: [
    'Exit codes: 0 every provider-day within the tolerance; 1 some provider-day is not, or has billed tokens no rate prices (their dollars unknown, never $0; give the price with --prices); 2 a usage error or bad input (a file that is not what its flag says, mixed units, overlapping pages, a recording that cannot be read), naming the file and what is wrong.',
  ],
};
