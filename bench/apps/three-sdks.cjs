// Start-up workload for bench/startup.bench.ts: an app that loads the three provider SDKs and makes a client of
// each, then prints the CPU its process has used so far (preload included) as JSON. No call is made.
const started = process.cpuUsage();
const OpenAI = require('openai').default;
const Anthropic = require('@anthropic-ai/sdk').default;
const { GoogleGenAI } = require('@google/genai');

new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1' });
new Anthropic({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
new GoogleGenAI({ apiKey: 'k' });
const total = process.cpuUsage();
process.stdout.write(JSON.stringify({ cpuMs: (total.user + total.system) / 1000, appMs: (total.user + total.system - started.user - started.system) / 1000 }));
