// The standard OTEL_* variables read the way the OpenTelemetry SDK reads them (trimmed; empty is unset; lists are
// comma-separated), without loading @opentelemetry/core for it: `import 'tokenledger'` must stay cheap.

export function stringFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function numberFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = stringFromEnv(name, env);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

export function listFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const raw = stringFromEnv(name, env);
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

export function booleanFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return stringFromEnv(name, env)?.toLowerCase() === 'true';
}
