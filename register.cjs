'use strict';
// `node --require tokenledger/register app.js`: starts OpenTelemetry with tokenledger before the app loads,
// so `require('openai')` and the other provider SDKs are patched as they load. ESM apps use `--import`.
require('./dist/cjs/setup/start.js').startTokenledger();
