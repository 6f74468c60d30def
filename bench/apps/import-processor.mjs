// `import { TokenledgerSpanProcessor } from 'tokenledger'` (bench/startup.bench.ts): CPU used by the import.
const before = process.cpuUsage();
const { TokenledgerSpanProcessor } = await import('tokenledger');
new TokenledgerSpanProcessor();
const used = process.cpuUsage(before);
process.stdout.write(JSON.stringify({ cpuMs: (used.user + used.system) / 1000 }));
