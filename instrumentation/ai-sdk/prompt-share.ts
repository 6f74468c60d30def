// The tool results' share of an AI SDK prompt, measured from the model-call event before the call is sent: the AI
// SDK's messages keep tool results in `role: 'tool'` messages (`tool-result` parts). The same character rule as
// the vendor SDK patches (common/prompt-shape.ts); with the app's `recordInputs: false` the AI SDK sends no
// messages, and the share is then unknown.
import { isRecord } from '../../ledger/usage.ts';
import { textLength, type ToolResultShare } from '../common/prompt-shape.ts';

export function aiSdkToolResultShare(instructions: unknown, messages: unknown, tools: unknown): ToolResultShare {
  let toolChars = 0;
  let totalChars = textLength(instructions) + textLength(tools);
  if (!Array.isArray(messages)) return { toolChars, totalChars };
  for (const message of messages) {
    const chars = textLength(message);
    totalChars += chars;
    if (isRecord(message) && message.role === 'tool') toolChars += chars;
  }
  return { toolChars, totalChars };
}
