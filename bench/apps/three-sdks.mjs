// The ESM twin of three-sdks.cjs.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';

new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1' });
new Anthropic({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
new GoogleGenAI({ apiKey: 'k' });
const total = process.cpuUsage();
process.stdout.write(JSON.stringify({ cpuMs: (total.user + total.system) / 1000 }));
