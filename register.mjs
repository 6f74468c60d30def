// `node --import tokenledger/register app.mjs`: registers the ESM loader hook that lets `import 'openai'` be
// patched (import-in-the-middle), then starts OpenTelemetry with tokenledger before the app loads.
import { register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
const { startTokenledger } = await import('./dist/esm/setup/start.js');
startTokenledger();
