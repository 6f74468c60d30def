// `node --import tokenledger/register app.mjs`: registers the ESM loader hook that lets `import 'openai'` be
// patched (import-in-the-middle), then starts OpenTelemetry with tokenledger before the app loads. The hook wraps
// only the files of the packages tokenledger instruments: every other module the app imports loads untouched.
import { register } from 'node:module';
import { loaderHookInclude } from './dist/esm/setup/instrumented-modules.js';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: loaderHookInclude() } });
const { startTokenledger } = await import('./dist/esm/setup/start.js');
startTokenledger();
