// Under `node --import tokenledger/register`: says whether a module of the app's own reached it wrapped by the ESM
// loader hook (import-in-the-middle serves a wrapper module in its place). The hook wraps only the instrumented
// packages, so this one must arrive as it is, while `openai` is still patched.
import * as helper from './loader-scope-helper.mjs';
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1`, maxRetries: 0 });
await client.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] });
console.log((await helper.ownNamespace()) === helper ? 'helper: unwrapped' : 'helper: wrapped');
