// `error.type` per the OpenTelemetry conventions: the error's class name (low cardinality), else `_OTHER`.
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const name = error.constructor?.name;
    if (name && name !== 'Object') return name;
    return error.name || '_OTHER';
  }
  return '_OTHER';
}
