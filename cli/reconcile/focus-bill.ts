// A FOCUS (FinOps Open Cost and Usage Specification, 1.2 or later) CSV export, as AWS, Azure and Google Cloud
// publish for Bedrock, Azure OpenAI and Vertex AI: one row per charge. The rows of an AI service are read as bill
// lines — the provider from ServiceProviderName / ProviderName / ServiceName, the model from SkuPriceDetails
// (`ModelId`, the AI appendix's key) or the SKU, the token type from SkuMeter (one SKU per token type, as the AI
// appendix and AWS's usage types have it), tokens from ConsumedQuantity in ConsumedUnit, dollars from BilledCost
// (EffectiveCost when BilledCost is empty, as in tokenledger's own export) and ListCost. Rows of other services are
// skipped and counted.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { BillError, type BillLine, type BillTokenType, utcDay } from './bill-line.ts';
import { dollars } from './money.ts';

const AI_CATEGORY = 'ai and machine learning';

/** Who serves the model, as FOCUS names it → tokenledger's provider name. */
const PROVIDERS: Array<[RegExp, string]> = [
  [/bedrock/i, 'aws.bedrock'],
  [/azure.*(openai|ai foundry)|azure ai/i, 'azure.ai.openai'],
  [/vertex|gemini/i, 'gcp.vertex_ai'],
  [/^openai$/i, 'openai'],
  [/^anthropic$/i, 'anthropic'],
];

export interface FocusRead {
  lines: BillLine[];
  /** Rows that are not an AI service's token charges. */
  skippedRows: number;
}

export function focusLines(files: readonly string[]): FocusRead {
  const lines: BillLine[] = [];
  const seen = new Map<string, string>();
  let skippedRows = 0;
  let currency: { code: string; where: string } | undefined;
  for (const file of files) {
    let records: Record<string, string>[];
    try {
      records = parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false }) as Record<string, string>[];
    } catch (error) {
      throw new BillError(file, `not a CSV file tokenledger can read (${(error as Error).message})`);
    }
    const columns = records.length > 0 ? Object.keys(records[0]!) : [];
    for (const required of ['ChargePeriodStart', 'ServiceName', 'BilledCost']) {
      if (records.length > 0 && !columns.includes(required)) throw new BillError(file, `not a FOCUS export: it has no ${required} column`);
    }
    const rowsOfFile = new Set<string>();
    records.forEach((row, index) => {
      const where = `${file}:${index + 2}`;
      const key = columns.map((column) => row[column]).join('\u0000');
      const other = seen.get(key);
      if (other !== undefined) throw new BillError(where, `overlapping exports: the same charge is in ${other}; give each export once`);
      rowsOfFile.add(key);
      const line = focusLine(row, where);
      if (!line) {
        skippedRows += 1;
        return;
      }
      const code = (row.BillingCurrency ?? 'USD').trim().toUpperCase() || 'USD';
      if (code !== 'USD') throw new BillError(where, `BillingCurrency ${code}: reconcile compares US dollars`);
      if (currency && currency.code !== code) throw new BillError(where, `mixed units: ${code} here, ${currency.code} in ${currency.where}`);
      currency ??= { code, where };
      lines.push(line);
    });
    for (const key of rowsOfFile) seen.set(key, file);
  }
  return { lines, skippedRows };
}

function focusLine(row: Record<string, string>, where: string): BillLine | undefined {
  const service = `${row.ServiceProviderName ?? ''} ${row.ProviderName ?? ''} ${row.ServiceName ?? ''}`;
  if (row.ServiceCategory !== undefined && row.ServiceCategory.trim().toLowerCase() !== AI_CATEGORY) return undefined;
  const provider = providerOf(row);
  if (!provider) return undefined;
  const details = jsonObject(row.SkuPriceDetails, where, 'SkuPriceDetails');
  const meter = `${row.SkuMeter ?? ''} ${details.TokenDirection ?? ''} ${details.TokenCacheAction ?? ''} ${row.SkuId ?? ''}`;
  const tokenType = tokenTypeOf(meter);
  if (!tokenType) return undefined;
  const model = String(details.ModelId ?? details.x_ModelId ?? details.x_tokenledger_model ?? row.SkuId ?? '').trim();
  if (model === '') throw new BillError(where, `a ${service.trim()} token charge without a model (SkuPriceDetails.ModelId or SkuId)`);
  const start = Date.parse(row.ChargePeriodStart ?? '');
  if (!Number.isFinite(start)) throw new BillError(where, `ChargePeriodStart must be a date and time, got ${JSON.stringify(row.ChargePeriodStart)}`);
  const billed = (row.BilledCost ?? '').trim() === '' ? row.EffectiveCost : row.BilledCost;
  return {
    provider,
    day: utcDay(start),
    model,
    tokenType,
    tokens: tokensOf(row, where),
    usd: dollars(billed, where, 'BilledCost'),
    listUsd: (row.ListCost ?? '').trim() === '' ? undefined : dollars(row.ListCost, where, 'ListCost'),
    source: where,
  };
}

function providerOf(row: Record<string, string>): string | undefined {
  for (const name of [row.ServiceName, row.ServiceProviderName, row.ProviderName]) {
    if (!name) continue;
    const found = PROVIDERS.find(([pattern]) => pattern.test(name.trim()));
    if (found) return found[1];
  }
  return undefined;
}

/** SkuMeter (and the AI appendix's TokenDirection / TokenCacheAction) → a token type. */
export function tokenTypeOf(meter: string): BillTokenType | undefined {
  const text = meter.toLowerCase();
  if (/cache/.test(text) && /read|hit/.test(text)) return 'cache_read';
  if (/cache/.test(text) && /write|creation/.test(text)) {
    if (/\b1 ?h|1-hour|one hour|ephemeral_1h/.test(text)) return 'cache_write_1h';
    if (/\b5 ?m|5-minute|ephemeral_5m/.test(text)) return 'cache_write_5m';
    return 'cache_write';
  }
  if (/output/.test(text)) return 'output';
  if (/input|prompt/.test(text)) return 'uncached_input';
  return undefined;
}

/** ConsumedQuantity in tokens (`Tokens`, `1K Tokens`, `1000 Tokens`, `1M Tokens`); another unit gives none. */
function tokensOf(row: Record<string, string>, where: string): number | undefined {
  const quantity = (row.ConsumedQuantity ?? '').trim();
  if (quantity === '') return undefined;
  const value = dollars(quantity, where, 'ConsumedQuantity');
  const unit = (row.ConsumedUnit ?? '').trim().toLowerCase().replace(/,/g, '');
  const scale = /^tokens?$/.test(unit) ? 1 : /^(1k|1000) tokens?$/.test(unit) ? 1000 : /^(1m|1000000) tokens?$/.test(unit) ? 1e6 : undefined;
  return scale === undefined ? undefined : Math.round(value * scale);
}

function jsonObject(text: string | undefined, where: string, column: string): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BillError(where, `${column} must be a JSON object, got ${JSON.stringify(text.slice(0, 80))}`);
}
