// `require('tokenledger')` for the span processor alone (bench/startup.bench.ts): CPU used and modules loaded.
const before = process.cpuUsage();
const modulesBefore = Object.keys(require.cache).length;
const { TokenledgerSpanProcessor } = require('tokenledger');
new TokenledgerSpanProcessor();
const used = process.cpuUsage(before);
process.stdout.write(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, modules: Object.keys(require.cache).length - modulesBefore }));
