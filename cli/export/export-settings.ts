// `tokenledger export`: its flags (the one table: parsing, --help and the docs come from it).
import { stringSetting } from '../../config/setting.ts';
import type { CommandSpec } from '../../config/command-line.ts';
import { READING_FLAGS } from '../recording/reading-settings.ts';

export const EXPORT_FLAGS = {
  focus: stringSetting(
    '--focus',
    'path',
    'write FOCUS 1.2 cost and usage rows (CSV) to this file: one per UTC day × provider × model × token type × attribution keys',
  ),
  ...READING_FLAGS,
};

export const EXPORT_COMMAND: CommandSpec<typeof EXPORT_FLAGS> = {
  name: 'export',
  usage: 'tokenledger export <recordings…> --focus OUT.csv',
  summary:
    "Writes the recorded calls' spend as FOCUS (FinOps Open Cost and Usage Specification) 1.2 rows, so a FinOps tool loads it beside the cloud bills: one SKU per token type (SkuMeter), tokens as ConsumedQuantity, the AI appendix's SkuPriceDetails keys, attribution keys as Tags. BilledCost is empty: tokenledger's figure is an estimate from price data (EffectiveCost, ListCost).",
  flags: EXPORT_FLAGS,
  epilogue: ['Exit codes: 0 written; 2 a usage error or unreadable input.'],
};
