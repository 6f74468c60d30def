'use strict';
// `require` anchored at tokenledger's own files, for loading a dependency only when the configuration uses it
// (an exporter for one protocol, gRPC, Prometheus, YAML, the price data). A CommonJS file in both builds, so the
// ESM build gets the same synchronous `require`, resolving from this package as an `import` would.
exports.packageRequire = require;
