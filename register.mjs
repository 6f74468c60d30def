// `node --import tokenledger/register app.mjs`: registers the ESM loader hook that lets `import 'openai'` be
// patched (import-in-the-middle), then starts OpenTelemetry with tokenledger before the app loads. The hook wraps
// only the packages tokenledger instruments; every other module the app imports loads untouched. Where Node can
// (22.22.3 and later) the hook runs in the app's thread (`module.registerHooks`), which spares every import a
// round trip to a loader thread; older Node gets the loader thread (`module.register`).
import { register } from 'node:module';
import { register as registerInThread, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';
import { loaderHookInclude } from './dist/esm/setup/instrumented-modules.js';

const include = loaderHookInclude();
if (supportsSyncHooks()) registerInThread({ include });
else register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include } });
const { startTokenledger } = await import('./dist/esm/setup/start.js');
startTokenledger();
